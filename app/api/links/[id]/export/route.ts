import { route } from "@/lib/server/http/route";
import { exportLinks } from "@/lib/server/links";
import { exportQuerySchema, linkParamsSchema } from "@/lib/validation/links";

export const GET = route(
  { operation: "link.export", params: linkParamsSchema, query: exportQuerySchema },
  ({ store, link, query, audit }) => {
    audit.details = { linkId: link.id, format: query.format };
    return exportLinks(store, link, query.format);
  },
);
