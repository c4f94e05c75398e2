import { json, route } from "@/lib/server/http/route";
import { forgetLink, showLink } from "@/lib/server/links";
import { linkParamsSchema, presignResultSchema } from "@/lib/validation/links";

export const GET = route(
  { operation: "link.show", params: linkParamsSchema, response: presignResultSchema },
  ({ store, link }) => showLink(store, link),
);

export const DELETE = route(
  { operation: "links.forget", params: linkParamsSchema },
  async ({ user, params }) => {
    await forgetLink(user, params.id);
    return json({ ok: true });
  },
);
