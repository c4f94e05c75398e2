import { route } from "@/lib/server/http/route";
import { exportLinks } from "@/lib/server/links";
import { exportQuerySchema, linkParamsSchema } from "@/lib/validation/links";

export const GET = route(
  { access: "user", params: linkParamsSchema, query: exportQuerySchema },
  ({ user, params, query }) => exportLinks(user, params.id, query.format),
);
