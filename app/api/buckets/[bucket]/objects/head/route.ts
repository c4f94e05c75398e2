import { route } from "@/lib/server/http/route";
import { objectDetailsFor } from "@/lib/server/objects";
import { bucketParamsSchema } from "@/lib/validation/buckets";
import { objectDetailsSchema, objectKeyQuerySchema } from "@/lib/validation/objects";

export const GET = route(
  { access: "user", params: bucketParamsSchema, query: objectKeyQuerySchema, response: objectDetailsSchema },
  ({ user, params, query }) => objectDetailsFor(user, query.connection, params.bucket, query.key),
);
