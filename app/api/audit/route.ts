import { route } from "@/lib/server/http/route";
import { auditPage } from "@/lib/server/audit";
import { auditPageSchema, auditQuerySchema } from "@/lib/validation/audit";

/** The audit log, newest first: all of it for administrators, their own keys' for everyone else. */
export const GET = route(
  { operation: "audit.read", query: auditQuerySchema, response: auditPageSchema },
  ({ user, query }) => auditPage(user, query),
);
