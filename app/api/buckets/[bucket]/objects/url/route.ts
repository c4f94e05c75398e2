import { route } from "@/lib/server/http/route";
import { objectUrlFor } from "@/lib/server/objects";
import { bucketParamsSchema } from "@/lib/validation/buckets";
import { objectUrlQuerySchema, objectUrlSchema } from "@/lib/validation/objects";

export const GET = route(
  { access: "user", params: bucketParamsSchema, query: objectUrlQuerySchema, response: objectUrlSchema },
  ({ user, params, query }) =>
    objectUrlFor(user, query.connection, params.bucket, query.key, query.disposition),
);
