import { z } from "zod";
import { json, route } from "@/lib/server/http/route";
import { createFolderFor } from "@/lib/server/objects";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { createFolderSchema } from "@/lib/validation/objects";

export const POST = route(
  { access: "user", params: bucketParamsSchema, query: connectionQuerySchema, body: createFolderSchema },
  async ({ user, params, query, body }) =>
    json(
      z
        .object({ prefix: z.string() })
        .parse(await createFolderFor(user, query.connection, params.bucket, body)),
      {
        status: 201,
      },
    ),
);
