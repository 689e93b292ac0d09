/**
 * `npm run bench:events`: events per second accepted at the edge and landed at the origin, and intake latency (p50,
 * p99), through `wrangler dev` (workerd, miniflare's local queue), side by side in the same run with a floor worker
 * that verifies the same JWT against the same key set and hands the body to the queue with one `sendBatch`
 * (bench/events/floor: the unavoidable work of intake). Rounds alternate floor and ingest-events so drift on this
 * shared machine hits both alike; the median round of each is reported with the ratios. The load generator runs in a
 * process of its own (bench/load-process.ts), never inside the process that hosts the origin the consumer lands at.
 *
 * Landed per second is measured from the start of an ingest round until the origin has stored every event that round
 * accepted (the consumer lands batches while intake runs), and the run fails unless the counts API then balances.
 *
 * Everything runs on a private stack: its own redis-server, Upstash bridge and origin in a temp folder; the worker's
 * Redis bridge runs in a process of its own, apart from the origin, as Upstash is in production.
 * Env: BENCH_SECONDS (per round, default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 16),
 * BENCH_EVENTS_PER_REQUEST (default 50).
 */
import { fork, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchSession } from "@cadence/local/src/bench/event-bodies";
import { LOAD_GENERATOR, type LoadResult, type LoadRun } from "@cadence/local/src/bench/load-generator";
import { startDevStack } from "@cadence/local/src/dev-stack";
import { startRedisServer } from "@cadence/local/src/redis-server";
import { startWranglerDev } from "@cadence/local/src/wrangler-dev";
import { playbackSessionKey } from "@cadence/shared/playback/session";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { Redis } from "ioredis";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const EVENTS_PER_REQUEST = Number(process.env.BENCH_EVENTS_PER_REQUEST ?? 50);
const ISSUER = "http://cadence.bench";
const AUDIENCE = "cadence-edge";

interface Round {
  eventsPerSecond: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Ingest rounds: events stored at the origin per second, from round start until all accepted ones landed. */
  landedPerSecond?: number;
}

interface Stats {
  accepted: number;
  stored: number;
  in_flight: number;
  reconciliation: { holds: boolean };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadence-bench-events-"));
  const redis = await startRedisServer();
  const stack = await startDevStack({
    dataDir,
    redisUrl: redis.url,
    env: { CADENCE_ENV: "test", AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, LOG_LEVEL: "warn" },
  });
  const stopAll: Array<() => Promise<void>> = [
    async () => rmSync(dataDir, { recursive: true, force: true }),
    () => redis.stop(),
    () => stack.close(),
  ];
  try {
    const bridge = await separateBridge(redis.url, stack.secrets.redisRestToken);
    stopAll.unshift(bridge.close);
    log("starting the ingest-events worker and the floor worker under wrangler dev ...");
    const [events, floor] = await Promise.all([
      startWranglerDev({
        config: "workers/ingest-events/wrangler.toml",
        vars: {
          // The production path: no fault knobs read.
          ENVIRONMENT: "production",
          ORIGIN_URL: stack.origin.url,
          JWKS_URL: `${stack.origin.url}/.well-known/jwks.json`,
          AUTH_ISSUER: ISSUER,
          AUTH_AUDIENCE: AUDIENCE,
          UPSTASH_REDIS_REST_URL: bridge.url,
        },
        secrets: {
          UPSTASH_REDIS_REST_TOKEN: stack.secrets.redisRestToken,
          SERVICE_TOKEN: stack.secrets.serviceToken,
          EVENTS_INGEST_SECRET: stack.secrets.eventsIngestSecret,
        },
      }),
      // The floor verifies the same tokens against the same key set.
      startWranglerDev({
        config: "bench/events/floor/wrangler.toml",
        vars: { JWKS_URL: `${stack.origin.url}/.well-known/jwks.json`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE },
      }),
    ]);
    stopAll.unshift(
      () => events.close(),
      () => floor.close(),
    );

    const login = await fetch(`${stack.origin.url}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "premium@demo.test", password: "demo-password" }),
    });
    const token = ((await login.json()) as { access_token: string }).access_token;
    const sub = (JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as { sub: string }).sub;
    const sessions = await playbackSessions(redis.url, sub, 100);

    const stats = async (): Promise<Stats> => {
      const res = await fetch(`${stack.origin.url}/v1/internal/events/stats`, {
        headers: { [SERVICE_TOKEN_HEADER]: stack.secrets.serviceToken },
      });
      return (await res.json()) as Stats;
    };
    const targets = {
      floor: () => load(floor.url, sessions, token),
      events: async () => {
        const before = await stats();
        const started = Date.now();
        const round = await load(events.url, sessions, token);
        const expected = before.accepted + round.eventsPerSecond * SECONDS;
        let last = before;
        const after = await until(async () => {
          last = await stats();
          return last.accepted >= Math.round(expected) && last.stored - before.stored >= last.accepted - before.accepted
            ? last
            : undefined;
        }).catch((err: unknown) => {
          log(`${JSON.stringify(last)}\n${events.output().slice(-3000)}`);
          throw err;
        });
        return { ...round, landedPerSecond: (after.stored - before.stored) / ((Date.now() - started) / 1000) };
      },
    };

    log(`warming up; then ${ROUNDS} rounds x ${SECONDS} s per target, ${CONNECTIONS} connections ...`);
    await targets.floor();
    await targets.events();
    const results: Record<keyof typeof targets, Round[]> = { floor: [], events: [] };
    for (let r = 0; r < ROUNDS; r++) {
      results.floor.push(await targets.floor());
      results.events.push(await targets.events());
    }
    const final = await stats();
    report(results, final);
  } finally {
    for (const stop of stopAll) await stop().catch(() => undefined);
  }
}

/** The worker's Redis bridge in its own process (bridge-process.ts). */
async function separateBridge(redisUrl: string, token: string): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "bridge-process.ts")], {
    env: { ...process.env, REDIS_URL: redisUrl, BRIDGE_TOKEN: token },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /BRIDGE_URL=(\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`the bridge process exited with ${code}`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

/** Playback sessions of the bench listener, as the playback worker stores them. */
async function playbackSessions(url: string, sub: string, count: number) {
  const client = new Redis(url);
  const sessions = Array.from({ length: count }, (_, i) => ({
    id: `ps-bench-${i}`,
    sub,
    tier: "premium",
    accountCountry: "DE",
    country: "DE",
    continent: "EU",
    trackId: `trk-bench-${i % 10}`,
    deviceId: "bench",
    renditions: ["aac-256"],
    pathways: ["cloudfront", "akamai", "cloudflare"],
    createdAt: Date.now(),
    expiresAt: Date.now() + 3_600_000,
  }));
  for (const s of sessions) await client.set(playbackSessionKey(s.id), JSON.stringify(s), "EX", 3600);
  client.disconnect();
  return sessions;
}

/** One round of load from the generator's own process. */
async function load(url: string, sessions: BenchSession[], token: string): Promise<Round> {
  const generator = fork(LOAD_GENERATOR, [], { execArgv: ["--import", "tsx"] });
  try {
    const run: LoadRun = {
      url,
      paths: ["/v1/events"],
      authorizations: [`Bearer ${token}`],
      connections: CONNECTIONS,
      seconds: SECONDS,
      events: { sessions, perRequest: EVENTS_PER_REQUEST },
    };
    const result = await new Promise<LoadResult>((resolve, reject) => {
      generator.once("message", (m) => resolve(m as LoadResult));
      generator.once("exit", (code) => reject(new Error(`the load generator exited with ${code}`)));
      generator.send(run);
    });
    return {
      rps: result.rps,
      eventsPerSecond: ((result.requests - result.errors) * EVENTS_PER_REQUEST) / SECONDS,
      p50: result.p50,
      p99: result.p99,
      errors: result.errors,
    };
  } finally {
    generator.kill();
  }
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("accepted events did not all land at the origin in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

function median(rounds: Round[]): Round {
  return [...rounds].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[Math.floor(rounds.length / 2)] as Round;
}

function report(results: Record<"floor" | "events", Round[]>, final: Stats): void {
  const floor = median(results.floor);
  const events = median(results.events);
  log(
    `\nevents intake vs floor (same JWT check + sendBatch), wrangler dev, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, ${CONNECTIONS} connections, ${EVENTS_PER_REQUEST} events/request`,
  );
  log(
    `${"target".padEnd(16)}${"events/s".padStart(10)}${"req/s".padStart(8)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}${"landed/s".padStart(10)}  errors`,
  );
  for (const [name, r, rounds] of [
    ["floor", floor, results.floor],
    ["ingest-events", events, results.events],
  ] as const) {
    const errors = rounds.reduce((n, x) => n + x.errors, 0);
    log(
      `${name.padEnd(16)}${r.eventsPerSecond.toFixed(0).padStart(10)}${r.rps.toFixed(0).padStart(8)}${r.p50.toFixed(1).padStart(8)}` +
        `${r.p99.toFixed(1).padStart(8)}${(r.landedPerSecond?.toFixed(0) ?? "-").padStart(10)}  ${errors}`,
    );
  }
  log(`ratio events/s ingest / floor: ${(events.eventsPerSecond / floor.eventsPerSecond).toFixed(2)}x (aim >= 0.8x)`);
  log(
    `ratio p99 ingest / floor:      ${(events.p99 / Math.max(floor.p99, 0.01)).toFixed(2)}x (aim <= 1.5x; closed loop)`,
  );
  log("rounds (events/s):");
  for (const [name, rounds] of Object.entries(results)) {
    log(`  ${name.padEnd(14)} ${rounds.map((r) => r.eventsPerSecond.toFixed(0)).join(" / ")}`);
  }
  log(
    `after the run: accepted ${final.accepted}, stored ${final.stored}, in flight ${final.in_flight}, ` +
      `accepted = stored + in flight ${final.reconciliation.holds ? "holds" : "DOES NOT HOLD"}`,
  );
  if (
    !final.reconciliation.holds ||
    final.in_flight !== 0 ||
    Object.values(results)
      .flat()
      .some((r) => r.errors)
  ) {
    log("the run lost, doubled or failed events: the figures above are not valid");
    process.exitCode = 1;
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
