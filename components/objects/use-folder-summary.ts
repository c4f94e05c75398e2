"use client";
import { useCallback, useRef, useState } from "react";
import { api } from "@/lib/api-client";
import { summaryResultSchema, type SummaryResult } from "@/lib/validation/objects";

export type Totals = Omit<SummaryResult, "nextCursor">;

type Counts = Totals["extensions"];

export function addTotals(a: Totals, b: Totals): Totals {
  const merge = (x: Counts, y: Counts): Counts => {
    const out = new Map(x.map((e) => [e.name, e.count]));
    for (const e of y) out.set(e.name, (out.get(e.name) ?? 0) + e.count);
    return [...out].map(([name, count]) => ({ name, count }));
  };
  return {
    objects: a.objects + b.objects,
    bytes: a.bytes + b.bytes,
    extensions: merge(a.extensions, b.extensions),
    subfolders: merge(a.subfolders, b.subfolders),
  };
}

export const EMPTY_TOTALS: Totals = { objects: 0, bytes: 0, extensions: [], subfolders: [] };

/** Walks folders a page (1,000 objects) at a time, reporting running totals; can be cancelled. */
export function useFolderSummary(bucket: string, connectionId: string) {
  const cancelled = useRef(false);
  const [running, setRunning] = useState(false);
  const run = useCallback(
    async (
      prefixes: string[],
      onProgress: (t: Totals) => void,
    ): Promise<{ totals: Totals; complete: boolean }> => {
      cancelled.current = false;
      setRunning(true);
      let totals = EMPTY_TOTALS;
      try {
        for (const prefix of prefixes) {
          let cursor: string | undefined;
          do {
            if (cancelled.current) return { totals, complete: false };
            const page = await api(
              `/api/buckets/${encodeURIComponent(bucket)}/objects/summary?connection=${encodeURIComponent(connectionId)}`,
              summaryResultSchema,
              { method: "POST", body: { prefix, ...(cursor ? { cursor } : {}) } },
            );
            totals = addTotals(totals, page);
            onProgress(totals);
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
        }
        return { totals, complete: true };
      } finally {
        setRunning(false);
      }
    },
    [bucket, connectionId],
  );
  return { run, running, cancel: () => (cancelled.current = true) };
}
