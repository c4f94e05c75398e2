"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "./button";

/** Copies text to the clipboard and says so (politely, for screen readers too). */
export function CopyButton({ text, label }: { text: string | (() => Promise<string>); label: string }) {
  const t = useTranslations("links");
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="secondary"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(typeof text === "string" ? text : await text());
            setState("copied");
          } catch {
            setState("failed");
          }
        }}
      >
        {label}
      </Button>
      <span role="status" aria-live="polite" className="text-xs text-slate-600 dark:text-slate-400">
        {state === "copied" ? t("copied") : state === "failed" ? t("copyFailed") : ""}
      </span>
    </span>
  );
}
