import { route } from "@/lib/server/http/route";
import { findConflicts } from "@/lib/server/uploads";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { conflictsResultSchema, conflictsSchema } from "@/lib/validation/uploads";

/** Which of these keys already exist (asked before uploading, so the user can overwrite, skip or rename). */
export const POST = route(
  {
    operation: "uploads.conflicts",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: conflictsSchema,
    response: conflictsResultSchema,
  },
  ({ store, params, body }) => findConflicts(store, params.bucket, body.keys),
);
