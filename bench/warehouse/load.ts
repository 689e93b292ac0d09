/**
 * The landing benchmark's load generator, forked into its own process so its CPU is not counted as the origin's: it
 * plays the events queue consumer, sending signed landing calls of `messages` queue messages of `events` enriched
 * events each (plays, ad beacons, QoE samples over many listeners) to the origin as fast as `concurrency` calls in
 * flight allow, for `seconds`. Reports events landed per window and in total over IPC.
 */
import { signEventsRequest } from "@cadence/shared/events/signature";
import { benchEvents } from "./events";

export interface LandingLoad {
  originUrl: string;
  secret: string;
  seconds: number;
  concurrency: number;
  messages: number;
  events: number;
  windowSeconds: number;
}

export interface LandingLoadResult {
  events: number;
  calls: number;
  errors: number;
  seconds: number;
  windows: number[];
  p50Ms: number;
  p95Ms: number;
}

process.on("message", async (load: LandingLoad) => {
  const path = "/v1/internal/events/batches";
  const started = Date.now();
  const deadline = started + load.seconds * 1000;
  const windows: number[] = [];
  const latencies: number[] = [];
  let events = 0;
  let calls = 0;
  let errors = 0;
  let seq = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const messages = Array.from({ length: load.messages }, () => {
        const n = seq++;
        return {
          id: `m${n}`,
          attempts: 1,
          body: { v: 1, batch_id: crypto.randomUUID(), events: benchEvents(n, load.events), failures: [] },
        };
      });
      const text = JSON.stringify({ messages });
      const t = Date.now();
      const res = await fetch(`${load.originUrl}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-events-signature": await signEventsRequest(load.secret, "POST", path, text),
        },
        body: text,
      }).catch(() => undefined);
      latencies.push(Date.now() - t);
      calls += 1;
      if (!res?.ok) {
        errors += 1;
        continue;
      }
      await res.arrayBuffer();
      const landed = load.messages * load.events;
      events += landed;
      const w = Math.floor((Date.now() - started) / (load.windowSeconds * 1000));
      windows[w] = (windows[w] ?? 0) + landed;
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const result: LandingLoadResult = {
    events,
    calls,
    errors,
    seconds: (Date.now() - started) / 1000,
    windows: Array.from(windows, (v) => v ?? 0),
    p50Ms: at(0.5),
    p95Ms: at(0.95),
  };
  process.send?.(result);
});
