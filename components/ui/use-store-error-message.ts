"use client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";

/** The explanation of a store error code in the user's language, or the server's English text if unknown. */
export function useStoreErrorMessage() {
  const t = useTranslations("storeErrors");
  return useCallback(
    (code: string | null | undefined, fallback: string): string => (code && t.has(code) ? t(code) : fallback),
    [t],
  );
}
