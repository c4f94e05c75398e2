import type { UploadPlan } from "@/lib/validation/uploads";
import {
  apiFailure,
  Cancelled,
  FileError,
  FORM_BYTES_MAX,
  PUT_BYTES_MAX,
  URL_MARGIN_MS,
  type Prepared,
  type UploadItem,
} from "./engine-model";
import { EngineParts } from "./engine-parts";
import { MethodChoice, type SmallMethod } from "./method-choice";
import type { PlanHints, PutResult, UploadTarget } from "./types";

// Small files, one request each: a POST form where the store takes them (no CORS preflight, so one round
// trip instead of two), else a presigned PUT. Whether a store takes forms is learnt from the first ones:
// an answer that says "not this" (400, 403, 405, 501, or no answer) before any form has worked makes the
// bucket's files go as PUTs from then on, the failed file first, with nothing lost. Where it takes them,
// which of the two moves more files on this link is measured (method-choice.ts); files signed ahead for
// the other method are signed again when the choice changes.

type SinglePlan = Extract<UploadPlan, { kind: "single" | "form" }>;

interface FormState {
  state: "unknown" | "works" | "refused";
  /** POSTs whose ETag was not the file's MD5. */
  mismatches: number;
  /** Forms or PUTs, by measurement, while the store takes both. */
  choice: MethodChoice;
}

/**
 * A store whose ETags are not the MD5 of the bytes (KMS encryption) would fail every check: after this many
 * mismatches the bucket gets PUTs, whose Content-MD5 header the store verifies itself.
 */
export const MISMATCHES_BEFORE_PUT = 3;
const REFUSES_FORMS = new Set([400, 403, 405, 501]);

const targetId = (t: UploadTarget) => `${t.connectionId}\n${t.bucket}`;

const hexOf = (base64: string) =>
  [...atob(base64)].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");

/** Whether the store's ETag for a POST is the MD5 we sent (no ETag: nothing to compare, the store checked). */
export function etagMatches(etag: string | null, md5: string): boolean {
  if (!etag) return true;
  return etag.replaceAll('"', "").toLowerCase() === hexOf(md5);
}

export abstract class EngineSingle extends EngineParts {
  private readonly forms = new Map<string, FormState>();

  protected formsFor(t: UploadTarget): FormState {
    let s = this.forms.get(targetId(t));
    if (!s) {
      const choice = new MethodChoice(this.slots.limit, this.choiceTimes);
      this.forms.set(targetId(t), (s = { state: "unknown", mismatches: 0, choice }));
    }
    return s;
  }

  /** Whether small files of this target go as forms now. */
  private formsNow(t: UploadTarget): boolean {
    const s = this.formsFor(t);
    return !!this.t.postForm && s.state !== "refused" && s.choice.method === "form";
  }

  /** The number in flight changed: both measurements count only while the slots are full. */
  protected inFlightChanged() {
    this.slots.inFlight(this.running);
    for (const s of this.forms.values()) s.choice.slotsFull(this.running >= this.slots.limit);
  }

  /** Plans of small files signed for the method not in use any more are dropped, to be signed again. */
  protected stalePlan(t: UploadTarget, plan: UploadPlan): boolean {
    if (plan.kind === "multipart") return false;
    return (plan.kind === "form") !== this.formsNow(t);
  }

  /**
   * Drops the plans of waiting files signed for the method not in use; the first `keep` of them are sent as
   * signed, so the slots stay busy while the planner signs the rest again.
   */
  private dropStalePlans(t: UploadTarget, keep = 0) {
    const id = targetId(t);
    for (const it of [...this.again, ...this.queue.slice(this.head)]) {
      if (it.status !== "waiting" || !it.plan || targetId(it.batch.target) !== id) continue;
      if (keep > 0) keep--;
      else if (this.stalePlan(t, it.plan)) it.plan = null;
    }
  }

  /** A small file was stored by `method`: the measurement of forms against PUTs counts it. */
  private smallDone(t: UploadTarget, method: SmallMethod, bytes: number) {
    const s = this.formsFor(t);
    if (!this.t.postForm || s.state === "refused") return;
    if (s.choice.done(method, bytes, this.slots.limit)) this.dropStalePlans(t, this.slots.limit);
  }

  /** What the planner is told for this target: forms or not, and the link's speed for part sizes. */
  protected planHints(t: UploadTarget): PlanHints {
    const speed = this.linkBytesPerSecond();
    return {
      form: this.formsNow(t),
      ...(speed > 0 ? { linkBytesPerSecond: Math.round(speed) } : {}),
    };
  }

  /** The store refused forms: queued files of this target signed as forms are signed again as PUTs. */
  private refuseForms(t: UploadTarget) {
    const s = this.formsFor(t);
    if (s.state === "refused") return;
    s.state = "refused";
    this.dropStalePlans(t);
  }

  protected async putSingle(it: UploadItem) {
    let plan = it.plan as SinglePlan;
    const target = it.batch.target;
    try {
      const body = await (it.prepared ?? this.prepare(it));
      const { md5 } = body;
      it.prepared = null;
      let putOnly = false;
      const replan = async (form: boolean) => {
        const [fresh] = await this.t.plan(
          target,
          [{ key: it.key, size: it.size, ...(it.contentType ? { contentType: it.contentType } : {}) }],
          { form },
        );
        if (fresh?.kind !== "single" && fresh?.kind !== "form")
          throw new FileError("unknown", "unexpected plan");
        plan = fresh;
      };
      await this.attempt(it, async () => {
        const forms = this.formsFor(target);
        if (plan.kind === "form" && (putOnly || forms.state === "refused")) await replan(false);
        else if (Date.parse(plan.expiresAt) - Date.now() < URL_MARGIN_MS) await replan(plan.kind === "form");
        const r = await this.send(it, plan, body, md5);
        if (plan.kind !== "form") return r;
        if (r.status >= 200 && r.status < 300) {
          if (etagMatches(r.etag, md5)) {
            forms.state = "works";
            return r;
          }
          // Stored, but not the bytes we hashed (or a store whose ETags are not MD5s): sent again as a PUT,
          // which the store verifies against Content-MD5 itself.
          if (++forms.mismatches >= MISMATCHES_BEFORE_PUT) this.refuseForms(target);
          putOnly = true;
          return { status: 400, etag: r.etag, code: "BadDigest" };
        }
        const stopped = this.paused || it.status !== "uploading";
        // Another form may have found the refusal while this one was on its way ("refused" already).
        if (!stopped && forms.state !== "works" && (r.status === 0 || REFUSES_FORMS.has(r.status))) {
          this.refuseForms(target);
          await replan(false);
          return this.send(it, plan, body, md5);
        }
        return r;
      });
      this.requestDone(plan.url, it.size);
      this.smallDone(target, plan.kind === "form" ? "form" : "put", it.size);
      it.sent = it.size;
      this.sentBytes += it.size;
      this.setStatus(it, "done");
    } catch (err) {
      if (err instanceof Cancelled) {
        if (this.paused && it.status === "uploading") {
          it.status = "waiting";
          this.again.unshift(it);
        }
        return;
      }
      this.fail(it, apiFailure(err));
    }
  }

  private async send(it: UploadItem, plan: SinglePlan, body: Prepared, md5: string): Promise<PutResult> {
    const ctl = new AbortController();
    const progress = { loaded: 0, ctl };
    it.single = progress;
    this.inflight.add(progress);
    try {
      if (plan.kind === "form")
        return await this.t.postForm!(
          plan.url,
          { ...plan.fields, "Content-MD5": md5 },
          body.bytes ?? body.file,
          ctl.signal,
        );
      return await this.t.put(
        plan.url,
        body.bytes && it.size <= PUT_BYTES_MAX ? body.bytes : body.file,
        { ...plan.headers, "content-md5": md5 },
        (n) => (progress.loaded = n),
        ctl.signal,
      );
    } finally {
      this.inflight.delete(progress);
      it.single = null;
    }
  }

  protected prepare(it: UploadItem): Promise<Prepared> {
    const file = it.file ?? new Blob([]);
    // Read once for the hash; the bytes are kept only where a request may send them (engine-model.ts).
    const formMaySend =
      !!this.t.postForm && this.formsFor(it.batch.target).state !== "refused" && it.size <= FORM_BYTES_MAX;
    const keep = it.size <= PUT_BYTES_MAX || formMaySend;
    const p = this.digest(file, keep).then(({ md5, bytes }) => ({ md5, file, bytes }));
    it.prepared = p;
    p.catch(() => (it.prepared = null));
    return p;
  }
}
