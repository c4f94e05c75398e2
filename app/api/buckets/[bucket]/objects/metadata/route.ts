import { route } from "@/lib/server/http/route";
import { editMetadataFor } from "@/lib/server/objects";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { editMetadataResultSchema, editMetadataSchema } from "@/lib/validation/objects";

/** Replaces an object's Content-Type, Content-Disposition, Cache-Control, Content-Encoding and metadata. */
export const POST = route(
  {
    operation: "objects.metadata",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: editMetadataSchema,
    response: editMetadataResultSchema,
  },
  ({ store, params, body, audit }) => editMetadataFor(store, params.bucket, body, audit),
);
