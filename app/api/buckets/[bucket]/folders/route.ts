import { z } from "zod";
import { json, route } from "@/lib/server/http/route";
import { createFolderFor } from "@/lib/server/objects";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { createFolderSchema } from "@/lib/validation/objects";

export const POST = route(
  {
    operation: "folders.create",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: createFolderSchema,
  },
  async ({ store, params, body }) =>
    json(z.object({ prefix: z.string() }).parse(await createFolderFor(store, params.bucket, body)), {
      status: 201,
    }),
);
