import { json, route } from "@/lib/server/http/route";
import { forgetLink, showLink } from "@/lib/server/links";
import { linkParamsSchema, presignResultSchema } from "@/lib/validation/links";

export const GET = route(
  { access: "user", params: linkParamsSchema, response: presignResultSchema },
  ({ user, params }) => showLink(user, params.id),
);

export const DELETE = route({ access: "user", params: linkParamsSchema }, async ({ user, params }) => {
  await forgetLink(user, params.id);
  return json({ ok: true });
});
