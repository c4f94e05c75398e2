import { route } from "@/lib/server/http/route";
import { exportAudit } from "@/lib/server/audit";
import { auditQuerySchema } from "@/lib/validation/audit";

/** The same rows as GET /api/audit with the same filters, every page, as CSV. */
export const GET = route({ operation: "audit.export", query: auditQuerySchema }, async ({ user, query }) =>
  exportAudit(user, query),
);
