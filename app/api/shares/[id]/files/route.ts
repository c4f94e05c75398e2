import { route } from "@/lib/server/http/route";
import { receivedFiles } from "@/lib/server/shares/owner";
import { shareFilesSchema, shareParamsSchema } from "@/lib/validation/shares";

/** What an upload request received. */
export const GET = route(
  { operation: "share.files", params: shareParamsSchema, response: shareFilesSchema },
  ({ user, params }) => receivedFiles(user, params.id),
);
