/**
 * `npm run bench:steering [-- path/to/world.json]`: runs our steering and the baselines through the same simulated
 * world and prints egress cost, segment latency, failures, share per CDN and how long sessions kept trying a failed
 * CDN, then checks steering's aims. Deterministic: the same world (and seed) prints the same table.
 */
import { resolve } from "node:path";
import { CDN_IDS } from "@cadence/shared/cdn/cdn-id";
import { DEFAULT_STEERING_CONFIG, type SteeringConfig } from "@cadence/shared/steering/config";
import { microsToDecimal } from "@cadence/shared/steering/money";
import { runSimulation, type SimResult } from "./sim";
import { bestGlobalCdn, latencyOnly, ourSteering, roundRobin, singleCdn } from "./strategies";
import { loadWorld } from "./world";

const path = resolve(process.argv[2] ?? resolve(import.meta.dirname, "default-world.json"));
const world = loadWorld(path);
const config: SteeringConfig = {
  ...DEFAULT_STEERING_CONFIG,
  prices: world.prices,
  commits: world.commits,
  weights: world.steering.weights ?? DEFAULT_STEERING_CONFIG.weights,
  thresholds: { ...DEFAULT_STEERING_CONFIG.thresholds, ...world.steering.thresholds },
  failoverOrder: world.steering.failoverOrder ?? DEFAULT_STEERING_CONFIG.failoverOrder,
};
const ttl = config.thresholds.manifestTtlSeconds;
const single = bestGlobalCdn(world);
const strategies = [ourSteering(), singleCdn(single, ttl), roundRobin(ttl), latencyOnly()];

const sessions = world.regions.reduce((n, r) => n + r.sessions, 0);
console.log(`world: ${world.name} (${path})`);
console.log(
  `${world.regions.length} countries, ${sessions} concurrent sessions, ${world.durationMinutes} min measured after a 10 min warm-up, ` +
    `${world.events.length} scripted events; manifest TTL ${ttl} s\n`,
);

const results: SimResult[] = [];
for (const strategy of strategies) {
  const started = performance.now();
  results.push(runSimulation(world, config, strategy));
  console.error(`  ran ${strategy.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const base = results[1] as SimResult;
const usd = (micros: bigint) => `$${microsToDecimal(Number(micros)).replace(/^(\d+\.\d{0,2}).*$/, "$1")}`;
const header = [
  "strategy",
  "egress cost",
  "vs single",
  "p50 ms",
  "p95 ms",
  "failed fetches",
  "stalls",
  ...CDN_IDS.map((c) => `${c} %`),
  "stuck on failed CDN (max s)",
];
const rows = results.map((r) => {
  const total = CDN_IDS.reduce((n, c) => n + r.bytesByCdn[c], 0) || 1;
  return [
    r.name,
    usd(r.costMicros),
    `${((Number(r.costMicros) / Number(base.costMicros)) * 100).toFixed(0)}%`,
    String(r.p50),
    String(r.p95),
    String(r.failedFetches),
    String(r.stalls),
    ...CDN_IDS.map((c) => ((r.bytesByCdn[c] / total) * 100).toFixed(1)),
    r.stuckMaxSeconds.map((s) => s.toFixed(0)).join(", ") || "-",
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));

const [ours, , , latency] = results as [SimResult, SimResult, SimResult, SimResult];
if (ours.commitFeeMicros > 0n) {
  console.log(
    `\nEgress cost includes ${usd(ours.commitFeeMicros)} of commit fees pro-rated to the window, the same in every row.`,
  );
}
const aims = [
  [`at least 25% cheaper than the best single CDN`, Number(ours.costMicros) <= 0.75 * Number(base.costMicros)],
  [`p95 no worse than the best single CDN`, ours.p95 <= base.p95],
  [`at most 0.8x the cost of latency-only steering`, Number(ours.costMicros) <= 0.8 * Number(latency.costMicros)],
  [`p95 within 10% of latency-only steering`, ours.p95 <= latency.p95 * 1.1],
  [`no session stuck on a failed CDN longer than one TTL (${ttl} s)`, ours.stuckMaxSeconds.every((s) => s <= ttl)],
] as const;
console.log("");
for (const [aim, met] of aims) console.log(`${met ? "met " : "MISSED"}  ${aim}`);
process.exitCode = aims.every(([, met]) => met) ? 0 : 1;
