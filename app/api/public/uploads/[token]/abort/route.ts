import { z } from "zod";
import { route } from "@/lib/server/http/route";
import { abortShareUpload } from "@/lib/server/shares/upload";
import { publicShareParamsSchema, shareAbortSchema } from "@/lib/validation/shares";

export const POST = route(
  {
    operation: "upload-request.abort",
    params: publicShareParamsSchema,
    body: shareAbortSchema,
    response: z.object({ aborted: z.boolean() }),
  },
  ({ share, store, body, audit }) => abortShareUpload(share, store, body, audit),
);
