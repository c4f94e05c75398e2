"use client";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import { useTranslations } from "next-intl";
import { UploadEngine, type Batch, type UploadItem } from "@/lib/upload/engine";
import type { UploadReport } from "@/lib/validation/uploads";
import { useToast } from "@/components/ui/toaster";
import { httpTransport } from "@/lib/upload/http-transport";
import { resumeStoreFor } from "@/lib/upload/resume-store";
import type {
  ConflictAction,
  PickedEntry,
  ResumeRecord,
  UploadTarget,
  UploadTransport,
} from "@/lib/upload/types";
import { ConflictDialog } from "./conflict-dialog";
import { DownloadsPanel } from "@/components/download/downloads-panel";
import { TransfersPanel } from "./transfers-panel";

// One upload engine for the whole console: it lives in the layout, so uploads go on while the user browses
// other pages of the app. Pages start uploads and hear when a drop has finished (to refresh their listing).

interface Question {
  key: string;
  remaining: number;
  answer: (a: { action: ConflictAction; all: boolean } | null) => void;
}

interface UploadContext {
  engine: UploadEngine;
  upload: (target: UploadTarget, prefix: string, entries: PickedEntry[]) => Promise<void>;
  /** Called with every drop whose files have all finished. */
  onSettled: (fn: (b: Batch) => void) => () => void;
  /** Multipart uploads of an earlier visit (this browser), not resumed yet. */
  leftovers: ResumeRecord[];
  resumeWith: (files: File[]) => number;
  discardLeftovers: (records?: ResumeRecord[]) => Promise<void>;
  reloadLeftovers: () => Promise<void>;
  error: string | null;
  /** An upload request's page: the visitor cannot change the bucket (no CORS fix offered). */
  publicPage: boolean;
}

const Ctx = createContext<UploadContext | null>(null);

export function useUploads(): UploadContext {
  const c = useContext(Ctx);
  if (!c) throw new Error("useUploads outside UploadProvider");
  return c;
}

/** Re-renders the caller a few times a second while the engine changes. */
export function useEngineVersion(engine: UploadEngine): number {
  return useSyncExternalStore(
    useCallback((fn) => engine.subscribe(fn), [engine]),
    () => engine.version,
    () => 0,
  );
}

/** What a finished drop reports for the audit log; a resumed batch reports the folder its keys share. */
function batchReport(prefix: string, items: readonly UploadItem[]): UploadReport {
  const count = (s: UploadItem["status"]) => items.filter((i) => i.status === s).length;
  let common = prefix;
  if (!common && items.length > 0) {
    const first = items[0]!.key;
    common = first.slice(0, first.lastIndexOf("/") + 1);
    for (const i of items)
      while (common && !i.key.startsWith(common)) common = common.replace(/[^/]*\/$/, "");
  }
  return {
    prefix: common,
    uploaded: count("done"),
    bytes: items.filter((i) => i.status === "done").reduce((n, i) => n + i.size, 0),
    failed: count("failed"),
    skipped: count("skipped"),
    cancelled: count("cancelled"),
  };
}

/**
 * `userId` keys the resume records kept in this browser; `transport` is the console's API unless given (an
 * upload request's page passes its own, and `publicPage`).
 */
export function UploadProvider({
  userId,
  transport = httpTransport,
  publicPage = false,
  children,
}: {
  userId: string;
  transport?: UploadTransport;
  publicPage?: boolean;
  children: ReactNode;
}) {
  const [resumeStore] = useState(() => resumeStoreFor(userId));
  const [settledListeners] = useState(() => new Set<(b: Batch) => void>());
  const toast = useToast();
  const t = useTranslations("uploads");
  const [engine] = useState(
    () =>
      new UploadEngine({
        transport,
        resume: resumeStore,
        onBatchSettled: (b) => settledListeners.forEach((fn) => fn(b)),
      }),
  );
  // A finished drop says so (the panel may be hidden or the user on another page).
  useEffect(() => {
    const onDone = (b: Batch) => {
      if (b.total === 0 && b.identical + b.skipped === 0) return;
      const items = engine.items.filter((i) => i.batch === b);
      const failed = items.filter((i) => i.status === "failed").length;
      const done = items.filter((i) => i.status === "done").length;
      if (failed > 0) toast(t("summaryFailed", { done, failed }), "error");
      else if (b.identical + b.replacing + b.skipped > 0)
        // A drop onto existing files says what happened to each kind.
        toast(
          t("doneCompared", {
            changed: b.replacing,
            fresh: done - Math.min(done, b.replacing),
            identical: b.identical,
            skipped: b.skipped,
          }),
        );
      else toast(t("done", { done }));
      void transport.report?.(b.target, batchReport(b.prefix, items)).catch(() => undefined); // the audit record is the server's business, never the user's
    };
    settledListeners.add(onDone);
    return () => void settledListeners.delete(onDone);
  }, [settledListeners, engine, toast, t, transport]);
  const [question, setQuestion] = useState<Question | null>(null);
  const [leftovers, setLeftovers] = useState<ResumeRecord[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reloadLeftovers = useCallback(async () => {
    const inEngine = new Set(
      engine.items.map((i) => i.multi?.uploadId ?? (i.plan?.kind === "multipart" ? i.plan.uploadId : "")),
    );
    const all = await resumeStore.all().catch(() => []);
    setLeftovers(all.filter((r) => !inEngine.has(r.uploadId)));
  }, [engine, resumeStore]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- IndexedDB is read once, after mount
    void reloadLeftovers();
  }, [reloadLeftovers]);

  // Leaving the page with uploads under way loses them (a multipart one can be resumed): ask first.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (engine.stats().active > 0 && !engine.stats().paused) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [engine]);

  const upload = useCallback(
    async (target: UploadTarget, prefix: string, entries: PickedEntry[]) => {
      setError(null);
      try {
        await engine.add(
          target,
          prefix,
          entries,
          (key, remaining) => new Promise((answer) => setQuestion({ key, remaining, answer })),
        );
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      } finally {
        setQuestion(null);
      }
    },
    [engine],
  );

  const resumeWith = useCallback(
    (files: File[]) => {
      const matched: { record: ResumeRecord; file: File }[] = [];
      const left = [...leftovers];
      for (const file of files) {
        const i = left.findIndex(
          (r) =>
            r.file.name === file.name &&
            r.file.size === file.size &&
            r.file.lastModified === file.lastModified,
        );
        if (i >= 0) matched.push({ record: left.splice(i, 1)[0]!, file });
      }
      if (matched.length > 0) engine.resume(matched);
      setLeftovers(left);
      return matched.length;
    },
    [engine, leftovers],
  );

  const discardLeftovers = useCallback(
    async (records?: ResumeRecord[]) => {
      const gone = records ?? leftovers;
      await Promise.all(
        gone.map(async (r) => {
          await transport.abort(r.target, r.uploadId, r.key).catch(() => undefined);
          await resumeStore.remove(r.uploadId);
        }),
      );
      const ids = new Set(gone.map((r) => r.uploadId));
      setLeftovers((l) => l.filter((r) => !ids.has(r.uploadId)));
    },
    [leftovers, resumeStore, transport],
  );

  const onSettled = useCallback(
    (fn: (b: Batch) => void) => {
      settledListeners.add(fn);
      return () => settledListeners.delete(fn);
    },
    [settledListeners],
  );

  const value = useMemo(
    () => ({
      engine,
      upload,
      onSettled,
      leftovers,
      resumeWith,
      discardLeftovers,
      reloadLeftovers,
      error,
      publicPage,
    }),
    [engine, upload, onSettled, leftovers, resumeWith, discardLeftovers, reloadLeftovers, error, publicPage],
  );
  return (
    <Ctx.Provider value={value}>
      {children}
      <TransfersPanel />
      {publicPage ? null : <DownloadsPanel />}
      <ConflictDialog
        question={question ? { key: question.key, remaining: question.remaining } : null}
        onAnswer={(a) => {
          const q = question;
          setQuestion(null);
          q?.answer(a);
        }}
      />
    </Ctx.Provider>
  );
}
