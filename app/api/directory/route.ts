import { route } from "@/lib/server/http/route";
import { directory } from "@/lib/server/teams";
import { directorySchema } from "@/lib/validation/sharing";

/** Users and teams by name, for choosing whom to share an access key with. */
export const GET = route({ operation: "directory.read", response: directorySchema }, () => directory());
