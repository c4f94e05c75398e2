// Reads a Chromium trace (DevTools "Tracing", JSON) and says where a page's main thread spent its time: the
// self time of every complete event ("X") on the busiest renderer main thread, by event name (RunTask,
// FunctionCall, XHRReadyStateChange, UpdateLayoutTree, Layout, Paint, …). Self time: an event's duration
// minus that of the events nested in it, so the names add up to the thread's busy time.
import fs from "node:fs";

export function summarizeTrace(file) {
  const raw = JSON.parse(fs.readFileSync(file, "utf8"));
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const mains = new Set(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ph !== "X" || !mains.has(thread) || typeof e.dur !== "number") continue;
    if (!byThread.has(thread)) byThread.set(thread, []);
    byThread.get(thread).push(e);
  }
  const busiest = [...byThread.values()].sort(
    (a, b) => b.reduce((s, e) => s + e.dur, 0) - a.reduce((s, e) => s + e.dur, 0),
  )[0];
  const self = new Map();
  let busy = 0;
  const stack = [];
  for (const e of (busiest ?? []).sort((a, b) => a.ts - b.ts || b.dur - a.dur)) {
    while (stack.length > 0 && stack.at(-1).end <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, self.get(parent.name) - Math.min(e.dur, parent.end - e.ts));
    else busy += e.dur;
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur);
    stack.push({ name: e.name, end: e.ts + e.dur });
  }
  const span = busiest?.length ? busiest.at(-1).ts + busiest.at(-1).dur - busiest[0].ts : 0;
  return {
    busyMs: busy / 1000,
    spanMs: span / 1000,
    self: new Map([...self].map(([k, v]) => [k, v / 1000])),
  };
}
