import { okSchema } from "@/lib/api-client";
import { route } from "@/lib/server/http/route";
import { reportUploads } from "@/lib/server/uploads";
import { bucketParamsSchema, connectionQuerySchema } from "@/lib/validation/buckets";
import { uploadReportSchema } from "@/lib/validation/uploads";

/** The summary of a finished drop, for the audit log: its single PUTs reached the store without us. */
export const POST = route(
  {
    operation: "uploads.report",
    params: bucketParamsSchema,
    query: connectionQuerySchema,
    body: uploadReportSchema,
    response: okSchema,
  },
  async ({ body, audit }) => reportUploads(body, audit),
);
