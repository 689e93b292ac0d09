/**
 * `npm run bench:warehouse`: the warehouse on each engine, side by side in one run.
 *
 * Landing: an origin (in this process) on a fresh warehouse takes signed landing calls from a load generator in its
 * own process (load.ts: 2 calls in flight, 20 queue messages of 400 enriched events each, like the consumer), for
 * BENCH_SECONDS (default 60) with per-10-s windows to show the rate holds. Floor: the same kind of rows bulk-inserted
 * straight into the same engine (no HTTP, no validation, no dedupe, no bookkeeping), in the same batch size.
 *
 * Dashboard: BENCH_PLAYS (default 10,000,000) generated plays, a fifth as many QoE samples and a twentieth as many ad
 * events, then each dashboard query over 60 days BENCH_RUNS (default 10) times: p50 and p95.
 *
 * ClickHouse runs on the local two-shard cluster when `clickhouse-server` is installed. Prints a table; the machine's
 * load average is printed with it, because other work on the machine moves these figures.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { clickhouseInstalled } from "@cadence/local/src/clickhouse-binary";
import { type LocalClickHouseCluster, startClickHouseCluster } from "@cadence/local/src/clickhouse-cluster";
import { startDevStack } from "@cadence/local/src/dev-stack";
import * as dashboard from "@cadence/origin/src/dashboard/queries";
import { ClickHouseWarehouse } from "@cadence/origin/src/warehouse/clickhouse";
import { DuckDbWarehouse } from "@cadence/origin/src/warehouse/duckdb";
import type { FactRow, FactTableName, WarehouseEngine } from "@cadence/origin/src/warehouse/engine";
import { factRow, factTableOf } from "@cadence/origin/src/warehouse/facts";
import { Warehouse } from "@cadence/origin/src/warehouse/warehouse";
import { benchEvents } from "./events";
import { generateHistory } from "./generate";
import type { LandingLoad, LandingLoadResult } from "./load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PLAYS = Number(process.env.BENCH_PLAYS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const MESSAGES = 20;
const EVENTS = 400;
const DAY = 86_400_000;

type EngineName = "duckdb" | "clickhouse";

async function freshEngine(name: EngineName, dir: string, cluster?: LocalClickHouseCluster): Promise<WarehouseEngine> {
  const engine =
    name === "duckdb"
      ? await DuckDbWarehouse.open(join(dir, `${crypto.randomUUID()}.duckdb`))
      : new ClickHouseWarehouse({
          url: cluster!.url,
          database: `bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`,
          cluster: cluster!.cluster,
          shardUrls: cluster!.shardUrls,
          requestTimeoutMs: 600_000,
        });
  await engine.init();
  return engine;
}

async function landing(dir: string, cluster?: LocalClickHouseCluster) {
  const dataDir = mkdtempSync(join(dir, "origin-"));
  const stack = await startDevStack({
    dataDir,
    env: {
      CADENCE_ENV: "test",
      LOG_LEVEL: "error",
      DEMO_HISTORY: "off",
      ...(cluster ? { ...cluster.env, CLICKHOUSE_DATABASE: `bench_landing_${Date.now()}` } : {}),
    },
  });
  const child = fork(join(import.meta.dirname, "load.ts"), [], { execArgv: ["--import", "tsx"] });
  const result = await new Promise<LandingLoadResult>((resolve, reject) => {
    child.once("message", (m) => resolve(m as LandingLoadResult));
    child.once("error", reject);
    const load: LandingLoad = {
      originUrl: stack.origin.url,
      secret: stack.secrets.eventsIngestSecret,
      seconds: SECONDS,
      concurrency: 2,
      messages: MESSAGES,
      events: EVENTS,
      windowSeconds: 10,
    };
    child.send(load);
  });
  child.kill();
  await stack.close();
  return result;
}

/** The floor: the same rows straight into the engine, batch by batch, for as long as the landing ran (or 2M rows). */
async function bareInsert(name: EngineName, dir: string, cluster: LocalClickHouseCluster | undefined, events: number) {
  const engine = await freshEngine(name, dir, cluster);
  const batches: Array<Map<FactTableName, FactRow[]>> = [];
  const calls = Math.max(1, Math.min(Math.ceil(events / (MESSAGES * EVENTS)), 250));
  for (let c = 0; c < calls; c++) {
    const rows = new Map<FactTableName, FactRow[]>();
    for (let m = 0; m < MESSAGES; m++) {
      for (const e of benchEvents(c * MESSAGES + m, EVENTS)) {
        const table = factTableOf(e);
        const list = rows.get(table) ?? [];
        list.push(factRow(e, { batchId: `b${c}`, storedAt: Date.now() }));
        rows.set(table, list);
      }
    }
    batches.push(rows);
  }
  const started = Date.now();
  for (const rows of batches) for (const [table, list] of rows) await engine.insert(table, list);
  const seconds = (Date.now() - started) / 1000;
  await engine.close();
  return (calls * MESSAGES * EVENTS) / seconds;
}

async function dashboardQueries(name: EngineName, dir: string, cluster?: LocalClickHouseCluster) {
  const engine = await freshEngine(name, dir, cluster);
  const started = Date.now();
  const now = Date.now();
  await generateHistory(engine, PLAYS, now);
  const generateSeconds = (Date.now() - started) / 1000;
  const w = new Warehouse(engine);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const range = { from: day(now - 59 * DAY), to: day(now) };
  const queries: Record<string, () => Promise<unknown>> = {
    "plays & listeners by day x country x tier": () => dashboard.activity(w, { ...range, granularity: "day" }),
    "monthly active listeners": () => dashboard.totals(w, { ...range, granularity: "month" }),
    "listeners in range (DE)": () => dashboard.listenersInRange(w, { ...range, granularity: "month", country: "DE" }),
    "qualified streams by month x country x tier": () =>
      dashboard.qualifiedStreams(w, { ...range, granularity: "month" }),
    "CDN egress by day x CDN x country": () => dashboard.cdnEgress(w, { ...range, granularity: "day" }),
    "ads by month x campaign": () => dashboard.adDelivery(w, { ...range, granularity: "month" }),
  };
  const out: Record<string, { p50: number; p95: number }> = {};
  for (const [label, run] of Object.entries(queries)) {
    await run(); // warm
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? 0);
    out[label] = { p50: at(0.5), p95: at(0.95) };
  }
  await engine.close();
  return { generateSeconds, queries: out };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cadence-bench-wh-"));
  const engines: EngineName[] = clickhouseInstalled() ? ["duckdb", "clickhouse"] : ["duckdb"];
  const cluster = engines.includes("clickhouse") ? await startClickHouseCluster(join(dir, "clickhouse")) : undefined;
  const report: Record<string, unknown> = {};
  try {
    console.log(
      `load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} (${SECONDS}s landing, ${PLAYS} plays)`,
    );
    const results: Record<
      string,
      { landing: LandingLoadResult; floor: number; dash: Awaited<ReturnType<typeof dashboardQueries>> }
    > = {};
    for (const name of engines) {
      console.log(`[${name}] landing for ${SECONDS}s ...`);
      const land = await landing(dir, cluster);
      console.log(`[${name}] bare bulk insert ...`);
      const floor = await bareInsert(name, dir, cluster, land.events);
      console.log(`[${name}] generating ${PLAYS} plays and running the dashboard queries ...`);
      const dash = await dashboardQueries(name, dir, cluster);
      results[name] = { landing: land, floor, dash };
      console.log(`[${name}] done:`, JSON.stringify({ landing: land, floor: Math.round(floor), dash }));
    }
    console.log("\nLanding (consumer path: HTTP, validation, dedupe, bookkeeping) vs bare bulk insert");
    console.table(
      Object.fromEntries(
        Object.entries(results).map(([name, r]) => {
          const rate = r.landing.events / r.landing.seconds;
          return [
            name,
            {
              "landed events/s": Math.round(rate),
              "bulk insert events/s": Math.round(r.floor),
              ratio: Number((rate / r.floor).toFixed(2)),
              "per 10 s window (events/s)": r.landing.windows.map((w) => Math.round(w / 10)).join(" "),
              "call p50/p95 ms": `${r.landing.p50Ms}/${r.landing.p95Ms}`,
              errors: r.landing.errors,
            },
          ];
        }),
      ),
    );
    console.log(`\nDashboard queries over ${PLAYS} plays (${RUNS} runs each, ms p50/p95)`);
    const labels = Object.keys(Object.values(results)[0]?.dash.queries ?? {});
    console.table(
      Object.fromEntries(
        labels.map((label) => [
          label,
          Object.fromEntries(
            Object.entries(results).map(([name, r]) => [
              name,
              `${r.dash.queries[label]?.p50}/${r.dash.queries[label]?.p95}`,
            ]),
          ),
        ]),
      ),
    );
    for (const [name, r] of Object.entries(results)) {
      console.log(`${name}: generated the history in ${r.dash.generateSeconds.toFixed(1)} s`);
      report[name] = r;
    }
    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    await cluster?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
