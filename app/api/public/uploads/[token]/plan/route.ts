import { expectedOrigin } from "@/lib/server/auth/request-info";
import { json, route } from "@/lib/server/http/route";
import { planShareUploads } from "@/lib/server/shares/upload";
import { publicShareParamsSchema, sharePlanSchema } from "@/lib/validation/shares";
import { planResultSchema } from "@/lib/validation/uploads";

/** Names, room and signed URLs for up to 100 files of this visit. */
export const POST = route(
  { operation: "upload-request.plan", params: publicShareParamsSchema, body: sharePlanSchema },
  async ({ req, share, store, body, audit }) =>
    json(planResultSchema.parse(await planShareUploads(share, store, body, expectedOrigin(req), audit)), {
      status: 201,
    }),
);
