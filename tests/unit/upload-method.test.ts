import { HASHING_AT_ONCE } from "@/lib/upload/engine-model";
import {
  BUSY_SHARE,
  CHOICE_TIMES,
  DECISIVE,
  MARGIN,
  MAX_HOLD,
  MethodChoice,
  RETRY_WINDOWS,
  type ChoiceTimes,
  type SmallMethod,
} from "@/lib/upload/method-choice";
import { FakeFormStore, FakeStore, files, runEngine } from "../helpers/fake-upload-store";

// Forms or PUTs for small files, measured (lib/upload/method-choice.ts), and how many files the engine reads
// and hashes at once. The real store's side of forms is in tests/integration/post-uploads.test.ts.

const clock = () => {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const SETTLE = 6;
const { windowMs, windowFiles, holdMs } = CHOICE_TIMES;

/**
 * Runs the choice's current method for one whole window at `perSecond` files a second with the slots full,
 * after the completions it lets pass while the slots refill. Returns what the last completion changed.
 */
function window(c: MethodChoice, k: ReturnType<typeof clock>, perSecond: number, busy = true) {
  const m = c.method;
  c.slotsFull(busy);
  let changed: SmallMethod | null = null;
  for (let i = 0; i < SETTLE; i++) changed = c.done(m, 0, SETTLE) ?? changed;
  const n = Math.max(windowFiles, Math.ceil((perSecond * windowMs) / 1000) + 1);
  for (let i = 0; i < n; i++) {
    k.advance(1000 / perSecond);
    changed = c.done(m, 0, SETTLE) ?? changed;
  }
  return changed;
}

describe("forms or PUTs, measured", () => {
  it("starts with forms, then measures PUTs, and keeps PUTs where they move more files", () => {
    const k = clock();
    const c = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    expect(c.method).toBe("form");
    expect(window(c, k, 90)).toBe("put");
    // Loopback: no round trip to save, PUTs cost the browser less.
    expect(window(c, k, 110)).toBeNull();
    expect(c.method).toBe("put");
    expect(c.measured().put! / c.measured().form!).toBeCloseTo(110 / 90, 1);
    // The choice holds: PUTs, counted or not, change nothing until the hold is over.
    for (let i = 0; i < 200; i++) {
      k.advance(10);
      expect(c.done("put", 0, SETTLE)).toBeNull();
    }
    expect(c.method).toBe("put");
  });

  it("keeps forms where they move more (a round trip saved per file)", () => {
    const k = clock();
    const c = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    window(c, k, 100);
    expect(c.method).toBe("put");
    expect(window(c, k, 60)).toBe("form");
    expect(c.method).toBe("form");
  });

  it(`takes forms only where they move more than ${MARGIN}x the files of PUTs: a tie goes to PUTs`, () => {
    const k = clock();
    // Forms a little faster, within a window's noise: PUTs, which cost the browser and the store less.
    const tie = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    window(tie, k, 100);
    expect(window(tie, k, 100 / (MARGIN - 0.03))).toBeNull();
    expect(tie.method).toBe("put");
    // Clearly faster: forms.
    const clear = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    window(clear, k, 100);
    expect(window(clear, k, 100 / (MARGIN + 0.03))).toBe("form");
  });

  it("confirms a page's first round that picks forms without being decisive, each method counting its better window", () => {
    const k = clock();
    const c = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    // A cold page: the PUT window is held back by the page's own start (loopback: PUTs 102 where they move
    // ~150 once it runs). Forms win this round, not decisively.
    window(c, k, 114);
    expect(window(c, k, 100)).toBe("form");
    // Not after a whole hold: two windows later (less the last few files of the window above).
    k.advance(RETRY_WINDOWS * windowMs - 100);
    expect(c.done("form", 0, SETTLE)).toBeNull();
    k.advance(100);
    expect(c.done("form", 0, SETTLE)).toBe("put");
    expect(window(c, k, 150)).toBe("form");
    // Forms at 110 this time, 114 before: each counts its better window, and PUTs win.
    expect(window(c, k, 110)).toBe("put");
    // That was the confirmation: the choice now holds for the usual time.
    k.advance(holdMs - 1000);
    expect(c.done("put", 0, SETTLE)).toBeNull();
    k.advance(1000);
    expect(c.done("put", 0, SETTLE)).toBe("form");
  });

  it("keeps forms after the confirmation when the first round's better window says so", () => {
    const k = clock();
    const c = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    window(c, k, 114);
    expect(window(c, k, 100)).toBe("form");
    k.advance(RETRY_WINDOWS * windowMs);
    expect(c.done("form", 0, SETTLE)).toBe("put");
    // Alone, this round would give PUTs (forms at 110 are not 8% above 104); with forms' 114 from the
    // round before, forms stay.
    expect(window(c, k, 104)).toBe("form");
    expect(window(c, k, 110)).toBeNull();
    expect(c.method).toBe("form");
  });

  it("measures both again after the hold, the other method first, and follows a link that changed", () => {
    const k = clock();
    const c = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    window(c, k, 90);
    window(c, k, 110);
    expect(c.method).toBe("put");
    k.advance(holdMs);
    // The first completion after the hold starts the round with the method not in use.
    expect(c.done("put", 0, SETTLE)).toBe("form");
    // The link got slower (say the user moved from the lab to home): forms save a round trip per file now.
    expect(window(c, k, 80)).toBe("put");
    expect(window(c, k, 50)).toBe("form");
  });

  it(`waits twice as long after each round that kept the method, up to ${MAX_HOLD} times the hold`, () => {
    const k = clock();
    const c = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    window(c, k, 100);
    window(c, k, 80);
    expect(c.method).toBe("form");
    // The first round, not decisive, is confirmed a few seconds later; the holds count from there.
    k.advance(RETRY_WINDOWS * windowMs);
    expect(c.done("form", 0, SETTLE)).toBe("put");
    window(c, k, 80);
    window(c, k, 100);
    expect(c.method).toBe("form");
    /** Waits until the next round starts; returns how long that took. */
    const untilNextRound = () => {
      let waited = 0;
      while (c.done("form", 0, SETTLE) === null) {
        k.advance(1000);
        waited += 1000;
      }
      return waited;
    };
    const holds: number[] = [];
    for (let round = 0; round < 6; round++) {
      holds.push(untilNextRound());
      window(c, k, 80); // PUTs first, then forms again: forms win every time, not by much
      window(c, k, 100);
      expect(c.method).toBe("form");
    }
    // Each figure is the hold less the windows of the round before (a few seconds).
    const rounded = holds.map((h) => Math.round(h / holdMs));
    expect(rounded).toEqual([1, 2, 4, 8, 8, 8]);
    // A round that changes the method starts over at the shortest hold.
    untilNextRound();
    window(c, k, 120);
    window(c, k, 100);
    expect(c.method).toBe("put");
    k.advance(holdMs);
    expect(c.done("put", 0, SETTLE)).toBe("form");
  });

  it(`holds ${MAX_HOLD} times as long at once when one method moved ${DECISIVE}x the other`, () => {
    const k = clock();
    const c = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    window(c, k, 100);
    window(c, k, 55); // 80 ms: forms 1.8x
    expect(c.method).toBe("form");
    k.advance(holdMs * MAX_HOLD - 1000);
    expect(c.done("form", 0, SETTLE)).toBeNull();
    k.advance(1000);
    expect(c.done("form", 0, SETTLE)).toBe("put");
  });

  it("starts a window again when the number in flight changes during it", () => {
    const k = clock();
    const c = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    expect(window(c, k, 100)).toBe("put");
    // The count in flight grows every 500 ms (adaptive.ts ramping up): no window completes meanwhile.
    let limit = SETTLE;
    for (let i = 0; i < 200; i++) {
      if (i % 50 === 0) limit += 2;
      k.advance(10);
      expect(c.done("put", 0, limit)).toBeNull();
    }
    expect(c.measured().put).toBeUndefined();
    // Steady again: one whole window at that count decides (PUTs at 80 files a second, forms moved 100).
    let changed: SmallMethod | null = null;
    for (let i = 0; i < 400 && changed === null; i++) {
      k.advance(12.5);
      changed = c.done("put", 0, limit);
    }
    expect(changed).toBe("form");
    expect(c.measured().form! / c.measured().put!).toBeGreaterThan(MARGIN);
  });

  it("does not count the other method's files, nor the first ones while the slots refill", () => {
    const k = clock();
    const c = new MethodChoice(SETTLE, { windowMs: 100, windowFiles: 3, holdMs }, k.now);
    c.slotsFull(true);
    // Forms: the first SETTLE completions pass, then a window of 10 ms a file.
    for (let i = 0; i < SETTLE; i++) c.done("form", 0, SETTLE);
    for (let i = 0; i < 10; i++) {
      k.advance(10);
      c.done("form", 0, SETTLE);
    }
    expect(c.method).toBe("put");
    // PUTs now; late forms finishing in the PUT window are not PUTs' work, nor do they shorten the refill.
    for (let i = 0; i < 50; i++) expect(c.done("form", 0, SETTLE)).toBeNull();
    for (let i = 0; i < SETTLE; i++) c.done("put", 0, SETTLE);
    for (let i = 0; i < 20; i++) {
      k.advance(5);
      c.done("put", 0, SETTLE);
    }
    expect(c.measured().put! / c.measured().form!).toBeCloseTo(2, 1);
    expect(c.method).toBe("put");
  });

  it(`keeps the method in use when the slots were full less than ${BUSY_SHARE * 100}% of a window`, () => {
    const k = clock();
    const c = new MethodChoice(SETTLE, CHOICE_TIMES, k.now);
    window(c, k, 90);
    // The queue ran low while PUTs were measured: their figure says nothing; forms again, and a later try.
    expect(window(c, k, 200, false)).toBe("form");
    expect(c.measured().put).toBeUndefined();
    // Soon, not after a whole hold: a cold page's planner lags at first, and a drop is often shorter than
    // a hold.
    k.advance(RETRY_WINDOWS * windowMs - 10);
    expect(c.done("form", 0, SETTLE)).toBeNull();
    k.advance(20);
    expect(c.done("form", 0, SETTLE)).toBe("put");
    expect(RETRY_WINDOWS * windowMs).toBeLessThan(holdMs / 4);
  });
});

describe("the engine follows the measurement", () => {
  const quick: ChoiceTimes = { windowMs: 60, windowFiles: 10, holdMs: 60_000 };

  it("moves to PUTs when forms are the slower, signing the files planned as forms again", async () => {
    const store = new FakeFormStore();
    store.postDelayMs = 12;
    store.putDelayMs = 2;
    const e = await runEngine(store, files(400), { choiceTimes: quick });
    expect(e.stats().done).toBe(400);
    expect(store.objects.size).toBe(400);
    // A window of forms, then PUTs for the rest: a handful of forms, most files as PUTs.
    expect(store.posts.length).toBeGreaterThanOrEqual(quick.windowFiles);
    expect(store.posts.length).toBeLessThan(150);
    expect(store.puts.length).toBe(400 - store.posts.length);
    // After the switch the planner asked for PUTs, and no file was sent twice.
    expect(store.hints.at(-1)?.form).toBe(false);
    expect(new Set(store.posts.map((p) => p.key)).size).toBe(store.posts.length);
  });

  it("stays with forms when they are the faster, after one window of PUTs", async () => {
    const store = new FakeFormStore();
    store.postDelayMs = 2;
    store.putDelayMs = 12;
    const e = await runEngine(store, files(600), { choiceTimes: quick });
    expect(e.stats().done).toBe(600);
    expect(store.objects.size).toBe(600);
    expect(store.puts.length).toBeGreaterThanOrEqual(quick.windowFiles);
    expect(store.puts.length).toBeLessThan(150);
    expect(store.hints.at(-1)?.form).toBe(true);
  });

  it("never measures where the transport has no forms", async () => {
    const store = new FakeStore();
    const e = await runEngine(store, files(100), { choiceTimes: quick });
    expect(e.stats().done).toBe(100);
    expect(store.hints.every((h) => h?.form === false)).toBe(true);
  });
});

describe("reading and hashing ahead", () => {
  it(`reads and hashes up to ${HASHING_AT_ONCE.files} small files at once while the slots send`, async () => {
    const store = new FakeStore();
    let hashing = 0;
    let most = 0;
    const md5 = store.md5.bind(store);
    store.md5 = async (b) => {
      hashing++;
      // With every slot sending, whatever is hashed is hashed ahead.
      if (store.inFlight === 6) most = Math.max(most, hashing);
      await new Promise((r) => setTimeout(r, 3));
      try {
        return await md5(b);
      } finally {
        hashing--;
      }
    };
    store.putDelayMs = 20;
    await runEngine(store, files(60));
    expect(store.objects.size).toBe(60);
    expect(most).toBe(HASHING_AT_ONCE.files);
  });
});
