"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "@/lib/api-client";
import { listObjectsResultSchema, type ObjectEntry } from "@/lib/validation/objects";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";
import { useUploads } from "@/components/upload/upload-provider";

export type Row =
  | { kind: "folder"; id: string; name: string }
  | { kind: "object"; id: string; name: string; entry: ObjectEntry };

/**
 * One folder's listing, a page of 1,000 at a time. The newest request wins: a new folder or filter aborts the
 * request before it. A finished upload into this bucket refreshes the listing once, not once per file.
 */
export function useFolderListing(q: {
  bucket: string;
  connectionId: string;
  prefix: string;
  filter: string;
  startCursor: string | null;
}) {
  const { bucket, connectionId, prefix, filter, startCursor } = q;
  const errorMessage = useApiErrorMessage();
  const [rows, setRows] = useState<Row[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const inflight = useRef<AbortController | null>(null);

  const load = useCallback(
    async (cursor: string | null, replace: boolean) => {
      inflight.current?.abort();
      const controller = new AbortController();
      inflight.current = controller;
      setLoading(true);
      setError(null);
      const params = new URLSearchParams({ connection: connectionId, prefix, filter, limit: "1000" });
      if (cursor) params.set("cursor", cursor);
      try {
        const page = await api(
          `/api/buckets/${encodeURIComponent(bucket)}/objects?${params}`,
          listObjectsResultSchema,
          { signal: controller.signal },
        );
        const base = page.prefix;
        const add: Row[] = [
          ...page.folders.map((f): Row => ({
            kind: "folder",
            id: f.prefix,
            name: f.prefix.slice(base.length).replace(/\/$/, ""),
          })),
          ...page.objects.map((o): Row => ({
            kind: "object",
            id: o.key,
            name: o.key.slice(base.length),
            entry: o,
          })),
        ];
        setRows((old) => (replace ? add : [...old, ...add]));
        setNext(page.nextCursor);
        setDone(page.nextCursor === null);
      } catch (err) {
        if (err instanceof DOMException && err.name === "AbortError") return;
        setError(errorMessage(err));
      } finally {
        if (inflight.current === controller) setLoading(false);
      }
    },
    [bucket, connectionId, prefix, filter, errorMessage],
  );

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a new folder or filter starts a new listing
    void load(startCursor, true);
    return () => inflight.current?.abort();
  }, [load, startCursor]);

  const { onSettled } = useUploads();
  useEffect(
    () =>
      onSettled((b) => {
        if (b.target.bucket === bucket && b.target.connectionId === connectionId) void load(null, true);
      }),
    [onSettled, bucket, connectionId, load],
  );

  return { rows, next, done, loading, error, load };
}
