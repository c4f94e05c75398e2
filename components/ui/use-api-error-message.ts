"use client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { ApiError } from "@/lib/api-client";

/**
 * Turns a failed call into a sentence for the user, in their language where we know the error. The function
 * is stable across renders (effects may depend on it).
 */
export function useApiErrorMessage() {
  const t = useTranslations();
  return useCallback(
    (err: unknown): string => {
      if (err instanceof ApiError) {
        if (err.code === "network") return t("common.networkError");
        // Refusals of the sharing rules carry their reason and names: said in the user's language.
        const reason = err.code === "forbidden" ? err.details?.reason : undefined;
        if (typeof reason === "string" && t.has(`accessErrors.${reason}`)) {
          const d = err.details ?? {};
          const role = (r: unknown) =>
            typeof r === "string" && t.has(`sharing.roles.${r}`) ? t(`sharing.roles.${r}`) : String(r ?? "");
          return t(`accessErrors.${reason}`, {
            connection: String(d.connection ?? ""),
            owner: String(d.owner ?? ""),
            role: role(d.role),
            needed: role(d.needed),
            where:
              d.path === null ? String(d.bucket ?? "") : `${String(d.bucket ?? "")}/${String(d.path ?? "")}`,
            allowed: String(d.allowed ?? ""),
          });
        }
        const storeCode = err.details?.storeCode;
        if (typeof storeCode === "string" && t.has(`storeErrors.${storeCode}`))
          return t(`storeErrors.${storeCode}`);
        return err.message;
      }
      return t("common.error");
    },
    [t],
  );
}
