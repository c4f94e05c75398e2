import { REQUEST_WEIGHT } from "./adaptive";

// Forms or PUTs for small files, chosen by measuring. A POST form is a CORS simple request: no preflight, so
// across a link with a round trip to save it moves up to 1.8x the files of presigned PUTs (80 ms). Where
// there is no round trip to save (a store on the same network, loopback) a form costs the browser more
// than a PUT (the multipart body; the store checks a policy), and PUTs move ~15% more. The page cannot tell
// which case it is in from its timings (under load a form's answer on loopback took 12-80 ms), so it
// measures: a window of forms, then a window of PUTs, takes forms only where they are clearly faster, and
// measures both again after a while, since the link and the files change. The number in flight is measured
// the same way (adaptive.ts).

export type SmallMethod = "form" | "put";

export interface ChoiceTimes {
  /** A window lasts at least this long… */
  windowMs: number;
  /** …and holds at least this many files. */
  windowFiles: number;
  /**
   * A choice holds this long before both methods are measured again; twice as long after each round that
   * kept the same method, up to eight times, and eight times at once after a decisive round (a round costs
   * the slower method's window: a second or two).
   */
  holdMs: number;
}

export const CHOICE_TIMES: ChoiceTimes = { windowMs: 1500, windowFiles: 30, holdMs: 30_000 };
/** The longest hold, as a multiple of `holdMs`. */
export const MAX_HOLD = 8;
/** Forms are chosen only when they moved this much more than PUTs (windows differ by ~5-10% by noise). */
export const MARGIN = 1.08;
/**
 * A round in which one method moved this much more holds for the longest time at once: across 40-80 ms
 * forms move 1.5-1.8x the files of PUTs, and each round spends a window of PUTs (~100 files) to find it again.
 */
export const DECISIVE = 1.4;
/** A window in which the slots were full less than this share of the time says nothing about either method. */
export const BUSY_SHARE = 0.8;
/**
 * After such a window, and after a page's first round that picked forms without being decisive, both are
 * measured again this many windows later.
 */
export const RETRY_WINDOWS = 2;

export class MethodChoice {
  /** The method small files are planned with now. */
  method: SmallMethod = "form";
  /** The method that was in use when this round of measuring began (a round that keeps it waits longer). */
  private incumbent: SmallMethod = "form";
  /** Methods still to measure in this round; empty while a choice holds. */
  private toMeasure: SmallMethod[] = ["form", "put"];
  private readonly rates: Partial<Record<SmallMethod, number>> = {};
  /** Completions of the method measured that are not counted: the slots still refill after a switch. */
  private skip: number;
  private start = 0;
  /** The number in flight the window began with: a window counts only while it stays the same. */
  private windowLimit = 0;
  private work = 0;
  private files = 0;
  private busyMs = 0;
  private busySince: number | null = null;
  private holdUntil = 0;
  private holdFor: number;
  /** Rounds that came to a decision. */
  private rounds = 0;
  /** A first round's figures, while the round that confirms it runs. */
  private unconfirmed: Record<SmallMethod, number> | null = null;

  constructor(
    settle: number,
    private readonly times: ChoiceTimes = CHOICE_TIMES,
    private readonly now: () => number = Date.now,
  ) {
    this.skip = settle;
    this.holdFor = times.holdMs;
  }

  /** What the round has found so far (files a second, weighted as adaptive.ts weighs them). */
  measured(): Readonly<Partial<Record<SmallMethod, number>>> {
    return this.rates;
  }

  /** Whether the slots are all busy: a window counts only the time they were. */
  slotsFull(full: boolean) {
    const t = this.now();
    if (full && this.busySince === null) this.busySince = t;
    if (!full && this.busySince !== null) {
      this.busyMs += t - this.busySince;
      this.busySince = null;
    }
  }

  /**
   * A small file was stored by `method`, having moved `bytes`; `settle` is the number the engine keeps in
   * flight now. Returns the method to plan with from now on when it changed, else null.
   */
  done(method: SmallMethod, bytes: number, settle: number): SmallMethod | null {
    const t = this.now();
    if (this.toMeasure.length === 0) {
      if (t < this.holdUntil) return null;
      // Measure the other method first, then the one in use again, under the same conditions.
      this.incumbent = this.method;
      this.toMeasure = [this.method === "form" ? "put" : "form", this.method];
      return this.begin(this.toMeasure[0]!, settle);
    }
    const measuring = this.toMeasure[0]!;
    // A file of the other method, sent before the switch, finishing now: not this window's work.
    if (method !== measuring) return null;
    if (this.skip > 0) {
      if (--this.skip === 0) this.restart(t, settle);
      return null;
    }
    // The number in flight changed (adaptive.ts grows it at first): the two methods must be compared at the
    // same number, or the later window wins by having more in flight. Start this window again.
    if (settle !== this.windowLimit) {
      this.restart(t, settle);
      return null;
    }
    this.work += bytes + REQUEST_WEIGHT;
    this.files++;
    const span = t - this.start;
    if (span < this.times.windowMs || this.files < this.times.windowFiles) return null;
    const busy = this.busyMs + (this.busySince !== null ? t - this.busySince : 0);
    // Too little to do (the queue ran low, the planner lagged): keep what was in use and try again later.
    if (busy < span * BUSY_SHARE) return this.hold(this.incumbent, t, false);
    this.rates[measuring] = (this.work * 1000) / span;
    this.toMeasure.shift();
    const next = this.toMeasure[0];
    if (next !== undefined) return this.begin(next, settle);
    // The round before, when this one confirms it: each method counts with its better window.
    const earlier = this.unconfirmed;
    this.unconfirmed = null;
    const rates = {
      form: Math.max(this.rates.form!, earlier?.form ?? 0),
      put: Math.max(this.rates.put!, earlier?.put ?? 0),
    };
    // Forms only where they clearly move more; a tie goes to PUTs, which cost the browser and the store less
    // per file (across 40 ms over HTTP/2, where the two tie, PUTs and forms took the same 20.3 s at best).
    const best = rates.form > rates.put * MARGIN ? "form" : "put";
    const worst = best === "form" ? "put" : "form";
    const decisive = rates[best] >= rates[worst] * DECISIVE;
    // A page's first round that picks forms without being decisive is measured again soon: a cold page's
    // PUT window is held back by the page's own start now and then (on loopback it came out at 102-109 in
    // two drops of five, at 146-159 in the others, with forms at 101-114 in all), and forms then held for
    // the whole drop, which they cost 20-40% more there. Confirming every undecided round cost more than it
    // saved: on loopback PUTs win by 1.3-1.4x, below DECISIVE, so every drop paid a second window of forms.
    if (best === "form" && this.rounds === 0 && !earlier && !decisive) {
      this.unconfirmed = rates;
      return this.hold(best, t, false);
    }
    return this.hold(best, t, true, decisive);
  }

  private begin(method: SmallMethod, settle: number): SmallMethod | null {
    this.skip = Math.max(1, settle);
    const changed = method !== this.method;
    this.method = method;
    return changed ? method : null;
  }

  private hold(method: SmallMethod, t: number, decided: boolean, decisive = false): SmallMethod | null {
    this.toMeasure = [];
    if (decided) {
      // A round that found again what was in use waits longer for the next one; a change starts over, unless
      // the difference was so large that noise cannot have made it.
      const longest = this.times.holdMs * MAX_HOLD;
      const kept = this.rounds > 0 && method === this.incumbent;
      this.holdFor = decisive ? longest : kept ? Math.min(this.holdFor * 2, longest) : this.times.holdMs;
      this.rounds++;
    }
    // A window that said nothing (the planner lagged while the page was still cold, the queue ran low) is
    // tried again soon, and so is a first round that is to be confirmed: holding the method in use for the
    // whole hold kept a cold page's first drop on forms from start to end, on loopback 28 s where the next
    // drop took 20 s.
    this.holdUntil = t + (decided ? this.holdFor : RETRY_WINDOWS * this.times.windowMs);
    const changed = method !== this.method;
    this.method = method;
    return changed ? method : null;
  }

  private restart(t: number, limit: number) {
    this.start = t;
    this.windowLimit = limit;
    this.work = 0;
    this.files = 0;
    this.busyMs = 0;
    this.busySince = this.busySince === null ? null : t;
  }
}
