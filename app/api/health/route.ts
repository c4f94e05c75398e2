import { route } from "@/lib/server/http/route";
import { health } from "@/lib/server/health";
import { healthSchema } from "@/lib/validation/health";

export const GET = route({ operation: "health.read", response: healthSchema }, () => health());
