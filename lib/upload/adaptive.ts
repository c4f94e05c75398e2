// How many requests the upload engine keeps in flight, found by measuring: on a fast nearby store a few
// are enough and more only add contention; across a 40 ms link each request spends most of its time
// waiting for round trips, and throughput grows with the number in flight until the link is full.
//
// The rule (additive increase, multiplicative decrease, as TCP does): every window of about a second in
// which the slots were kept busy, compare the work done with the best window so far. More work: widen by a
// quarter. No more: take the last widening back, and probe with a quarter more after a while. A failed request
// (network, 5xx, 429, a stall): narrow by a third. Always within [min, max]; `max` follows the protocol the store answered with: HTTP/1.1
// gives a page six connections to a host, so more requests in flight only queue in the browser; HTTP/2
// multiplexes them over one connection.

/** Beside its bytes, each finished request counts as this much work: a zero-byte file is work too. */
export const REQUEST_WEIGHT = 16 * 1024;
/** A window is at least this long and holds at least `limit` finished requests. */
export const WINDOW_MS = 1000;
/** Growth must beat the best window by this factor to count (measurement noise is about 5%). */
export const GAIN = 1.1;
/** After a window that did not gain, wait this long before widening again. */
export const HOLD_MS = 10_000;

export const LIMITS = {
  /** HTTP/1.1: Chromium's six connections per host. */
  "http/1.1": 6,
  /** HTTP/2 or HTTP/3: requests share one connection. */
  multiplexed: 32,
  /** The protocol is hidden (a cross-origin answer without Timing-Allow-Origin): measured growth decides. */
  unknown: 16,
} as const;

export type Protocol = keyof typeof LIMITS;

/** The protocol a resource timing entry names ("" when the store does not let this page see it). */
export function protocolOf(nextHopProtocol: string): Protocol {
  if (nextHopProtocol === "h2" || nextHopProtocol === "h3" || nextHopProtocol === "h2c") return "multiplexed";
  if (nextHopProtocol.startsWith("http/1")) return "http/1.1";
  return "unknown";
}

export class AdaptiveLimit {
  limit: number;
  private max: number;
  private readonly min: number;
  private windowStart: number;
  private work = 0;
  private finished = 0;
  private busyMs = 0;
  private busySince: number | null = null;
  private best = 0;
  private holdUntil = 0;
  /** How much the last window widened the limit (0: it did not). */
  private step = 0;

  constructor(
    o: { initial?: number; min?: number; max?: number; fixed?: boolean } = {},
    private readonly now: () => number = Date.now,
  ) {
    this.min = o.min ?? 2;
    this.max = o.fixed ? (o.initial ?? 6) : (o.max ?? LIMITS.unknown);
    this.limit = Math.min(this.max, o.initial ?? 6);
    this.fixed = o.fixed ?? false;
    this.windowStart = this.now();
  }

  private readonly fixed: boolean;

  /**
   * The store answered over this protocol: the ceiling follows it (a fixed limit stays fixed). A store seen
   * to multiplex starts at its ceiling: on HTTP/2 a request in flight costs a stream, not a connection, and
   * where the browser's own work per request is what limits (a small machine) the curve is too flat to
   * climb: each widening by a quarter gained a few percent, less than a window's noise, so growth stopped
   * at 12-16 while 32 moved 2,000 small files 10-20% faster across 40 ms (CONTRIBUTING.md, Benchmarks).
   * Failures still narrow it, and it grows back while that pays.
   */
  protocol(p: Protocol) {
    if (this.fixed) return;
    this.max = LIMITS[p];
    this.limit = p === "multiplexed" ? this.max : Math.min(this.limit, this.max);
  }

  /** Called whenever the number of requests in flight changes: a window counts only while slots are full. */
  inFlight(running: number) {
    const t = this.now();
    const busy = running >= this.limit;
    if (busy && this.busySince === null) this.busySince = t;
    if (!busy && this.busySince !== null) {
      this.busyMs += t - this.busySince;
      this.busySince = null;
    }
  }

  /** A request finished well, having moved `bytes`. */
  done(bytes: number) {
    this.work += bytes + REQUEST_WEIGHT;
    this.finished++;
    this.evaluate();
  }

  /** A request failed in a way that says the path is overloaded (network, 5xx, 429, a stall). */
  failed() {
    if (this.fixed) return;
    this.limit = Math.max(this.min, Math.floor((this.limit * 2) / 3));
    this.best *= 0.8;
    this.step = 0;
    this.reset(this.now());
  }

  private reset(t: number) {
    this.windowStart = t;
    this.work = 0;
    this.finished = 0;
    this.busyMs = 0;
    this.busySince = this.busySince === null ? null : t;
  }

  private evaluate() {
    const t = this.now();
    const span = t - this.windowStart;
    if (span < WINDOW_MS || this.finished < this.limit) return;
    const busy = this.busyMs + (this.busySince !== null ? t - this.busySince : 0);
    const rate = (this.work * 1000) / span;
    // A window in which the engine had too little to do says nothing about the link.
    const saturated = busy >= span * 0.8;
    this.reset(t);
    if (this.fixed || !saturated) return;
    if (rate > this.best * GAIN) {
      this.best = rate;
      this.widen(t, Math.max(1, Math.round(this.limit / 4)));
      return;
    }
    // The last widening bought nothing: take it back, and probe again later (the link may change).
    if (this.step > 0) {
      this.limit = Math.max(this.min, this.limit - this.step);
      this.step = 0;
      this.holdUntil = t + HOLD_MS;
      return;
    }
    // Probe by the same quarter: one request more can never show a 10% gain once a dozen are in flight.
    this.best = Math.max(this.best * 0.98, rate);
    this.widen(t, Math.max(1, Math.round(this.limit / 4)));
  }

  private widen(t: number, by: number) {
    this.step = 0;
    if (this.limit >= this.max || t < this.holdUntil) return;
    const next = Math.min(this.max, this.limit + by);
    this.step = next - this.limit;
    this.limit = next;
  }
}
