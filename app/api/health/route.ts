import { json, route } from "@/lib/server/http/route";
import { health } from "@/lib/server/health";
import { healthQuerySchema, healthSchema } from "@/lib/validation/health";

export const GET = route(
  { operation: "health.read", query: healthQuerySchema, response: healthSchema },
  async ({ query }) => {
    const h = healthSchema.parse(await health());
    return query.ready !== undefined && !h.ready ? json(h, { status: 503 }) : h;
  },
);
