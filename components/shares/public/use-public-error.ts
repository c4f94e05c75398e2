"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback } from "react";
import { ApiError } from "@/lib/api-client";
import { formatBytes } from "@/lib/format-bytes";

/**
 * A failed call of a share page or upload request, said in the visitor's language: the server gives each
 * refusal a reason (revoked, expired, wrong code, over a limit…) and the figures that go with it.
 */
export function usePublicError() {
  const t = useTranslations("publicShare.errors");
  const tc = useTranslations("common");
  const format = useFormatter();
  return useCallback(
    (err: unknown): string => {
      if (!(err instanceof ApiError)) return tc("error");
      if (err.code === "network") return tc("networkError");
      const d = err.details ?? {};
      const bytes = (n: unknown) =>
        formatBytes(Number(n ?? 0), (v, digits) => format.number(v, { maximumFractionDigits: digits }));
      switch (d.reason) {
        case "revoked":
        case "closed":
        case "used":
        case "creator":
        case "locked":
          return t(d.reason);
        case "expired":
          return t("expired", {
            date: format.dateTime(new Date(String(d.expiredAt)), { dateStyle: "medium" }),
          });
        case "code":
          return t("code", { left: Number(d.attemptsLeft ?? 0) });
        case "extension":
          return t("extension", {
            name: String(d.path ?? ""),
            allowed: ((d.allowed as string[] | undefined) ?? []).map((e) => `.${e}`).join(", "),
          });
        case "file-size":
          return t("fileSize", { name: String(d.path ?? ""), limit: bytes(d.limit) });
        case "files":
          return t("files", { limit: Number(d.limit ?? 0), left: Number(d.left ?? 0) });
        case "bytes":
          return t("bytes", { limit: bytes(d.limit), left: bytes(d.left) });
      }
      if (err.code === "not_found") return t("notFound");
      if (err.code === "too_many_requests")
        return d.retryAfterMinutes !== undefined
          ? t("tooManyCodes", { minutes: Number(d.retryAfterMinutes) })
          : t("tooMany");
      if (err.details?.storeCode === "CorsNotAllowed") return t("cors");
      return err.message;
    },
    [t, tc, format],
  );
}
