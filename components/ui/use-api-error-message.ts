"use client";
import { useTranslations } from "next-intl";
import { ApiError } from "@/lib/api-client";

/** Turns a failed call into a sentence for the user, in their language where we know the error. */
export function useApiErrorMessage() {
  const t = useTranslations();
  return (err: unknown): string => {
    if (err instanceof ApiError) {
      if (err.code === "network") return t("common.networkError");
      const storeCode = err.details?.storeCode;
      if (typeof storeCode === "string" && t.has(`storeErrors.${storeCode}`))
        return t(`storeErrors.${storeCode}`);
      return err.message;
    }
    return t("common.error");
  };
}
