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
