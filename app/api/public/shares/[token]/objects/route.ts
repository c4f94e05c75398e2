import { route } from "@/lib/server/http/route";
import { listShare } from "@/lib/server/shares/download";
import {
  publicShareParamsSchema,
  shareListQuerySchema,
  shareListResultSchema,
} from "@/lib/validation/shares";

/** One page of a folder inside the share (names relative to the shared folder). */
export const GET = route(
  {
    operation: "share.list",
    params: publicShareParamsSchema,
    query: shareListQuerySchema,
    response: shareListResultSchema,
  },
  ({ share, store, query }) => listShare(share, store, query),
);
