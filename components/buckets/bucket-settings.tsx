"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useState, type ReactNode } from "react";
import type { z } from "zod";
import { api } from "@/lib/api-client";
import { abortIncompleteRule, withAppCorsRule } from "@/lib/bucket-rules";
import {
  aclInfoSchema,
  bucketOverviewSchema,
  corsSchema,
  lifecycleSchema,
  policySchema,
  versioningSchema,
  type BucketAcl,
  type CorsRule,
  type LifecycleRule,
} from "@/lib/validation/buckets";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useApiErrorMessage } from "@/components/ui/use-api-error-message";

interface Loaded {
  overview: z.infer<typeof bucketOverviewSchema>;
  versioning: z.infer<typeof versioningSchema>["status"];
  acl: z.infer<typeof aclInfoSchema>;
  cors: CorsRule[];
  lifecycle: LifecycleRule[];
  policy: string | null;
}

/** Whether a rule lets this page's origin PUT and read ETag: what browser uploads need. */
export function allowsAppUploads(rules: CorsRule[], origin: string): boolean {
  return rules.some(
    (r) =>
      (r.allowedOrigins.includes(origin) || r.allowedOrigins.includes("*")) &&
      r.allowedMethods.includes("PUT") &&
      r.exposeHeaders.some((h) => h.toLowerCase() === "etag"),
  );
}

/** Whether the rules also let this app's pages send small files as POST forms (one round trip each). */
export function allowsAppPost(rules: CorsRule[], origin: string): boolean {
  return rules.some(
    (r) =>
      (r.allowedOrigins.includes(origin) || r.allowedOrigins.includes("*")) &&
      r.allowedMethods.includes("POST"),
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section
      aria-labelledby={id}
      className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function JsonEditor<T>({
  label,
  value,
  onSave,
}: {
  label: string;
  value: T;
  onSave: (parsed: unknown) => Promise<void>;
}) {
  const t = useTranslations("bucketSettings");
  const id = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <details
      onToggle={(e) => {
        const isOpen = (e.target as HTMLDetailsElement).open;
        setOpen(isOpen);
        if (isOpen) setText(JSON.stringify(value, null, 2));
      }}
    >
      <summary className="cursor-pointer text-sm font-medium">{t("rawJson")}</summary>
      {open ? (
        <div className="mt-2 flex flex-col gap-2">
          <label htmlFor={id} className="sr-only">
            {label}
          </label>
          <textarea
            id={id}
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={10}
            spellCheck={false}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs dark:border-slate-600 dark:bg-slate-950"
          />
          {error ? <Alert tone="error">{error}</Alert> : null}
          <div>
            <Button
              variant="secondary"
              onClick={async () => {
                let parsed: unknown;
                try {
                  parsed = JSON.parse(text);
                } catch (err) {
                  setError(t("invalidJson", { message: err instanceof Error ? err.message : "" }));
                  return;
                }
                setError(null);
                await onSave(parsed);
              }}
            >
              {t("saveJson")}
            </Button>
          </div>
        </div>
      ) : null}
    </details>
  );
}

export function BucketSettings({ bucket, connectionId }: { bucket: string; connectionId: string }) {
  const t = useTranslations("bucketSettings");
  const tb = useTranslations("buckets");
  const errorMessage = useApiErrorMessage();
  const [data, setData] = useState<Loaded | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [acl, setAcl] = useState<BucketAcl>("private");
  // Only used once settings have loaded, which happens in the browser: no server/client mismatch.
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const base = `/api/buckets/${encodeURIComponent(bucket)}`;
  const q = `?connection=${encodeURIComponent(connectionId)}`;

  const load = useCallback(async () => {
    try {
      const [overview, versioning, aclInfo, cors, lifecycle, policy] = await Promise.all([
        api(`${base}${q}`, bucketOverviewSchema),
        api(`${base}/versioning${q}`, versioningSchema),
        api(`${base}/acl${q}`, aclInfoSchema),
        api(`${base}/cors${q}`, corsSchema),
        api(`${base}/lifecycle${q}`, lifecycleSchema),
        api(`${base}/policy${q}`, policySchema),
      ]);
      setData({
        overview,
        versioning: versioning.status,
        acl: aclInfo,
        cors: cors.rules,
        lifecycle: lifecycle.rules,
        policy: policy.policy,
      });
      if (aclInfo.canned !== "custom") setAcl(aclInfo.canned);
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }, [base, q, errorMessage]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading on mount is the point
    void load();
  }, [load]);

  async function save<T>(fn: () => Promise<T>, apply: (r: T) => void) {
    setMessage(null);
    try {
      apply(await fn());
      setMessage({ tone: "success", text: t("saved") });
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err) });
    }
  }
  const putCors = (rules: unknown) =>
    save(
      () => api(`${base}/cors${q}`, corsSchema, { method: "PUT", body: { rules } }),
      (r) => setData((d) => d && { ...d, cors: r.rules }),
    );
  const putLifecycle = (rules: unknown) =>
    save(
      () => api(`${base}/lifecycle${q}`, lifecycleSchema, { method: "PUT", body: { rules } }),
      (r) => setData((d) => d && { ...d, lifecycle: r.rules }),
    );

  return (
    <div className="flex flex-col gap-6">
      <Link
        href="/buckets"
        className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-100"
      >
        ← {t("back")}
      </Link>
      <h1 className="text-2xl font-semibold tracking-tight">{t("title", { name: bucket })}</h1>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {data === null ? (
        message ? null : (
          <p role="status">{t("loading")}</p>
        )
      ) : (
        <>
          <Section title={t("overview")}>
            <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
              <dt className="font-medium">{tb("region")}</dt>
              <dd>{data.overview.region ?? "—"}</dd>
              <dt className="font-medium">{t("endpoint")}</dt>
              <dd className="break-all">{data.overview.endpoint}</dd>
            </dl>
          </Section>

          <Section title={t("versioning")}>
            <p className="text-sm">{t(`versioningStatus.${data.versioning}`)}</p>
            <div>
              <Button
                variant="secondary"
                onClick={() =>
                  save(
                    () =>
                      api(`${base}/versioning${q}`, versioningSchema, {
                        method: "PUT",
                        body: { enabled: data.versioning !== "Enabled" },
                      }),
                    (r) => setData((d) => d && { ...d, versioning: r.status }),
                  )
                }
              >
                {data.versioning === "Enabled" ? t("suspendVersioning") : t("enableVersioning")}
              </Button>
            </div>
          </Section>

          <Section title={t("acl")}>
            <p className="text-sm">
              {t("aclCurrent", {
                acl: data.acl.canned === "custom" ? t("aclCustom") : tb(`acls.${data.acl.canned}`),
              })}
            </p>
            <fieldset className="flex flex-col gap-2">
              <legend className="sr-only">{t("acl")}</legend>
              {(["private", "public-read", "public-read-write"] as const).map((a) => (
                <label key={a} className="flex items-center gap-2 text-sm">
                  <input type="radio" name="bucket-acl" checked={acl === a} onChange={() => setAcl(a)} />
                  {tb(`acls.${a}`)}
                </label>
              ))}
            </fieldset>
            {acl !== "private" ? (
              <Alert tone="error">
                {tb("publicWarning", {
                  what: acl === "public-read" ? tb("publicRead") : tb("publicReadWrite"),
                })}
              </Alert>
            ) : null}
            <div>
              <Button
                variant="secondary"
                onClick={() =>
                  save(
                    () => api(`${base}/acl${q}`, aclInfoSchema, { method: "PUT", body: { acl } }),
                    (r) => setData((d) => d && { ...d, acl: r }),
                  )
                }
              >
                {t("saveAcl")}
              </Button>
            </div>
          </Section>

          <Section title={t("cors")}>
            <p className="text-sm text-slate-600 dark:text-slate-300">{t("corsIntro", { origin })}</p>
            {allowsAppUploads(data.cors, origin) && allowsAppPost(data.cors, origin) ? (
              <Alert tone="success">{t("corsOk")}</Alert>
            ) : allowsAppUploads(data.cors, origin) ? (
              <div className="flex flex-wrap items-center gap-3">
                <Alert tone="info">{t("corsNoPost")}</Alert>
                <Button onClick={() => putCors(withAppCorsRule(data.cors, origin))}>{t("updateCors")}</Button>
              </div>
            ) : (
              <div className="flex flex-wrap items-center gap-3">
                <Alert tone="info">{t("corsMissing")}</Alert>
                <Button onClick={() => putCors(withAppCorsRule(data.cors, origin))}>{t("fixCors")}</Button>
              </div>
            )}
            {data.cors.length === 0 ? (
              <p className="text-sm">{t("noRules")}</p>
            ) : (
              <table className="w-full text-left text-sm">
                <caption className="sr-only">{t("cors")}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="py-1 pr-3">
                      {t("origins")}
                    </th>
                    <th scope="col" className="py-1 pr-3">
                      {t("methods")}
                    </th>
                    <th scope="col" className="py-1 pr-3">
                      {t("headers")}
                    </th>
                    <th scope="col" className="py-1 pr-3">
                      {t("expose")}
                    </th>
                    <th scope="col" className="py-1 pr-3">
                      {t("maxAge")}
                    </th>
                    <th scope="col" className="py-1">
                      <span className="sr-only">{t("actionsCol")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.cors.map((r, i) => (
                    <tr key={r.id ?? i} className="border-t border-slate-200 align-top dark:border-slate-800">
                      <td className="py-1 pr-3 break-all">{r.allowedOrigins.join(", ")}</td>
                      <td className="py-1 pr-3">{r.allowedMethods.join(", ")}</td>
                      <td className="py-1 pr-3">{r.allowedHeaders.join(", ") || "—"}</td>
                      <td className="py-1 pr-3">{r.exposeHeaders.join(", ") || "—"}</td>
                      <td className="py-1 pr-3">{r.maxAgeSeconds ?? "—"}</td>
                      <td className="py-1 text-right">
                        <Button
                          variant="ghost"
                          aria-label={t("removeRule", { id: r.id ?? String(i + 1) })}
                          onClick={() => putCors(data.cors.filter((_, j) => j !== i))}
                        >
                          ✕
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <JsonEditor label={t("cors")} value={data.cors} onSave={putCors} />
          </Section>

          <Section title={t("lifecycle")}>
            {data.lifecycle.length === 0 ? (
              <p className="text-sm">{t("noRules")}</p>
            ) : (
              <ul className="flex flex-col gap-2 text-sm">
                {data.lifecycle.map((r, i) => (
                  <li
                    key={r.id}
                    className="flex items-start justify-between gap-3 border-t border-slate-200 pt-2 dark:border-slate-800"
                  >
                    <div>
                      <p className="font-medium">
                        {r.id} · {r.enabled ? t("enabled") : t("disabled")} · {t("prefix")}:{" "}
                        {r.prefix || t("everywhere")}
                      </p>
                      <ul className="text-slate-600 dark:text-slate-300">
                        {r.expirationDays !== null ? (
                          <li>{t("expire", { days: r.expirationDays })}</li>
                        ) : null}
                        {r.noncurrentExpirationDays !== null ? (
                          <li>{t("expireOld", { days: r.noncurrentExpirationDays })}</li>
                        ) : null}
                        {r.abortIncompleteAfterDays !== null ? (
                          <li>{t("abort", { days: r.abortIncompleteAfterDays })}</li>
                        ) : null}
                      </ul>
                    </div>
                    <Button
                      variant="ghost"
                      aria-label={t("removeRule", { id: r.id })}
                      onClick={() => putLifecycle(data.lifecycle.filter((_, j) => j !== i))}
                    >
                      ✕
                    </Button>
                  </li>
                ))}
              </ul>
            )}
            {data.lifecycle.some((r) => r.abortIncompleteAfterDays !== null && r.enabled) ? null : (
              <div>
                <Button
                  variant="secondary"
                  onClick={() => putLifecycle([...data.lifecycle, abortIncompleteRule(7)])}
                >
                  {t("addAbort")}
                </Button>
              </div>
            )}
            <JsonEditor label={t("lifecycle")} value={data.lifecycle} onSave={putLifecycle} />
          </Section>

          <Section title={t("policy")}>
            {data.policy ? (
              <pre className="overflow-x-auto rounded-md bg-slate-100 p-3 text-xs dark:bg-slate-950">
                {JSON.stringify(JSON.parse(data.policy), null, 2)}
              </pre>
            ) : (
              <p className="text-sm">{t("noPolicy")}</p>
            )}
          </Section>
        </>
      )}
    </div>
  );
}
