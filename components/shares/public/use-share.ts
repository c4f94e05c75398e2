"use client";
import { useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { api } from "@/lib/api-client";
import { publicShareSchema, type PublicShare } from "@/lib/validation/shares";
import { usePublicError } from "./use-public-error";

/** A share page's or upload request's description, and unlocking it (the code, or taking a single use). */
export function useShare(kind: "shares" | "uploads", token: string) {
  const base = `/api/public/${kind}/${encodeURIComponent(token)}`;
  const describe = usePublicError();
  const [info, setInfo] = useState<PublicShare | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setInfo(await api(base, publicShareSchema));
      setError(null);
    } catch (err) {
      setError(describe(err));
    }
  }, [base, describe]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the share is read once, after mount
    void load();
  }, [load]);

  /** Throws the visitor-facing message when refused. */
  const unlock = useCallback(
    async (code: string) => {
      try {
        await api(`${base}/unlock`, z.object({ unlocked: z.boolean() }), { method: "POST", body: { code } });
      } catch (err) {
        throw new Error(describe(err));
      }
      await load();
    },
    [base, describe, load],
  );

  return { base, info, error, unlock, reload: load };
}
