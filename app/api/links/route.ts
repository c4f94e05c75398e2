import { route } from "@/lib/server/http/route";
import { listLinks } from "@/lib/server/links";
import { linkListSchema } from "@/lib/validation/links";

export const GET = route({ operation: "links.list", response: linkListSchema }, async ({ user }) => ({
  links: await listLinks(user),
}));
