import { route } from "@/lib/server/http/route";
import { health } from "@/lib/server/health";
import { healthSchema } from "@/lib/validation/health";

export const GET = route({ access: "public", response: healthSchema }, () => health());
