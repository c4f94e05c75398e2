import { route } from "@/lib/server/http/route";
import { shareDownloadUrl } from "@/lib/server/shares/download";
import {
  publicShareParamsSchema,
  shareDownloadResultSchema,
  shareDownloadSchema,
} from "@/lib/validation/shares";

/** A presigned GET of one file of the share, valid five minutes (inline: for a preview). */
export const POST = route(
  {
    operation: "share.download",
    params: publicShareParamsSchema,
    body: shareDownloadSchema,
    response: shareDownloadResultSchema,
  },
  ({ share, store, body, audit }) => shareDownloadUrl(share, store, body.key, body.inline, audit),
);
