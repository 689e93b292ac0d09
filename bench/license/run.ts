/**
 * `npm run bench:license`: licence requests per second, p50/p99 latency and CPU per request of the playback worker's
 * licence path (`GET /v1/license/{session}/{keyId}?pt=`) under concurrent load through `wrangler dev` (workerd),
 * against a floor worker that verifies the same playback token and returns a fixed 16 bytes (bench/license/floor).
 * Rounds alternate floor and licence so drift on this shared machine hits both alike; the median round is reported.
 *
 * The key URIs are real: 100 sessions of 100 accounts on the encrypted fixture track, each URI taken from its media
 * playlist, so every request runs every rule (token, session, track, entitlement, delivery count, unwrap). The
 * per-session delivery limit is lifted for the run (a player asks a handful of times; the benchmark asks thousands).
 * Env: BENCH_SECONDS (per round, default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32).
 */
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOAD_GENERATOR, type LoadResult, type LoadRun } from "@cadence/local/src/bench/load-generator";
import { startPlaybackStandIns } from "@cadence/local/src/cdn/test-stand-ins";
import { startDevStack } from "@cadence/local/src/dev-stack";
import { startRedisServer } from "@cadence/local/src/redis-server";
import { sineEdgeTrack } from "@cadence/local/src/sine-fixture";
import { startPlaybackWorker } from "@cadence/local/src/stack-workers";
import type { TestStackInfo } from "@cadence/local/src/test-bindings";
import { startWranglerDev } from "@cadence/local/src/wrangler-dev";
import { catalogTrackKey } from "@cadence/shared/catalog/edge-track";
import { Redis } from "ioredis";
import { importJWK, type JWK, SignJWT } from "jose";
import { groupCpuMs, matchingCpuMs, ownCpuMs } from "../playback/cpu";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ISSUER = "http://cadence.bench";
const AUDIENCE = "cadence-edge";

interface Round extends LoadResult {
  workerCpuMs: number;
  redisCpuMs: number;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadence-bench-license-"));
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
    const keys = JSON.parse(readFileSync(join(dataDir, "keys", "signing-keys.json"), "utf8")) as Array<{
      privateJwk: JWK & { kid: string };
      retiredAt?: number;
    }>;
    const signingJwk = keys.find((k) => !k.retiredAt)!.privateJwk;
    const base = {
      originUrl: stack.origin.url,
      jwksUrl: `${stack.origin.url}/.well-known/jwks.json`,
      issuer: ISSUER,
      audience: AUDIENCE,
      redisUrl: redis.url,
      redisRestUrl: stack.bridge.url,
      redisRestToken: stack.secrets.redisRestToken,
      serviceToken: stack.secrets.serviceToken,
      mediaPullToken: stack.secrets.mediaPullToken,
      eventsIngestSecret: stack.secrets.eventsIngestSecret,
      signingJwk: JSON.stringify(signingJwk),
      dataDir,
    };
    const cdn = await startPlaybackStandIns(base);
    stopAll.unshift(() => cdn.close());
    const info: TestStackInfo = { ...base, playback: cdn.info };

    log("starting the playback worker and the licence floor under wrangler dev ...");
    const [playback, floor] = await Promise.all([
      startPlaybackWorker(info, { LICENSE_DELIVERIES_PER_SESSION: "100000000" }),
      startWranglerDev({
        config: "bench/license/floor/wrangler.toml",
        vars: {},
        secrets: { PLAYBACK_TOKEN_SECRET: info.playback.playbackTokenSecret },
      }),
    ]);
    stopAll.unshift(
      () => playback.close(),
      () => floor.close(),
    );

    const trackId = "bench-track";
    const ioredis = new Redis(redis.url);
    await ioredis.set(catalogTrackKey(trackId), JSON.stringify(sineEdgeTrack(info.playback.fixture, { id: trackId })));
    ioredis.disconnect();

    const key = await importJWK(signingJwk, "ES256");
    const tokenFor = async (sub: string) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tier: "premium", country: "GB", scope: "listener" })
        .setProtectedHeader({ alg: "ES256", kid: signingJwk.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(sub)
        .setJti(crypto.randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(key);
    };
    const keyPaths: string[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${playback.url}/v1/play/${trackId}/master.m3u8?device=bench&pathways=cloudflare`, {
        headers: { authorization: `Bearer ${await tokenFor(`bench-license-${i}`)}` },
      });
      if (res.status !== 200) throw new Error(`minting a session answered ${res.status}: ${await res.text()}`);
      const media = (await res.text()).split("\n").find((l) => l.includes("/aac-256/"))!;
      const playlist = await (await fetch(`${playback.url}${media}`)).text();
      const uri = /#EXT-X-KEY:METHOD=AES-128,URI="([^"]+)"/.exec(playlist)?.[1];
      if (!uri) throw new Error(`the media playlist names no key: ${playlist.slice(0, 300)}`);
      keyPaths.push(uri);
    }
    const check = await fetch(`${playback.url}${keyPaths[0]}`);
    if (check.status !== 200 || (await check.arrayBuffer()).byteLength !== 16) {
      throw new Error(`the licence path answered ${check.status}`);
    }

    const loader = fork(LOAD_GENERATOR, [], { execArgv: ["--import", "tsx"] });
    stopAll.unshift(async () => {
      loader.kill();
    });
    const redisPort = new URL(redis.url).port;
    const redisCpu = () =>
      matchingCpuMs(new RegExp(`redis-server .*--port ${redisPort}\\b|redis-server .*:${redisPort}\\b`));
    const round = async (target: { pgid: number; url: string }): Promise<Round> => {
      const before = { worker: groupCpuMs(target.pgid), redis: ownCpuMs() + redisCpu() };
      const result = await new Promise<LoadResult>((resolve) => {
        loader.once("message", (m) => resolve(m as LoadResult));
        loader.send({
          paths: keyPaths,
          authorizations: [],
          url: target.url,
          connections: CONNECTIONS,
          seconds: SECONDS,
        } satisfies LoadRun);
      });
      const requests = Math.max(1, result.requests);
      return {
        ...result,
        workerCpuMs: (groupCpuMs(target.pgid) - before.worker) / requests,
        redisCpuMs: (ownCpuMs() + redisCpu() - before.redis) / requests,
      };
    };
    log(`warming up; then ${ROUNDS} rounds x ${SECONDS} s per target, ${CONNECTIONS} connections ...`);
    await round(floor);
    await round(playback);
    const results = { floor: [] as Round[], license: [] as Round[] };
    for (let i = 0; i < ROUNDS; i++) {
      results.floor.push(await round(floor));
      results.license.push(await round(playback));
    }
    report(results);
  } finally {
    for (const stop of stopAll) await stop().catch(() => undefined);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function report(results: { floor: Round[]; license: Round[] }): void {
  const of = (rounds: Round[]) => ({
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    worker: median(rounds.map((r) => r.workerCpuMs)),
    redis: median(rounds.map((r) => r.redisCpuMs)),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
  });
  const floor = of(results.floor);
  log(`\nlicence path vs the floor (same playback token verified + fixed 16 bytes) under wrangler dev,`);
  log(
    `${CONNECTIONS} connections, median of ${ROUNDS} interleaved rounds of ${SECONDS} s; load average ${loadAverage()}:\n`,
  );
  const widths = [30, 7, 8, 8, 10, 9, 8, 8, 7];
  const line = (cells: string[]) =>
    log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(""));
  line(["target", "req/s", "p50 ms", "p99 ms", "worker ms", "redis ms", "CPU x", "req/s x", "errors"]);
  const rows: Array<[string, Round[]]> = [
    ["floor (token + fixed 16 bytes)", results.floor],
    ["licence (rules, count, unwrap)", results.license],
  ];
  for (const [name, rounds] of rows) {
    const r = of(rounds);
    line([
      name,
      r.rps.toFixed(0),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      r.worker.toFixed(2),
      r.redis.toFixed(2),
      (r.worker / floor.worker).toFixed(2),
      (floor.rps / r.rps).toFixed(2),
      String(r.errors),
    ]);
  }
  log("\nworker ms: CPU per request of wrangler + workerd; redis ms: of the local Upstash bridge and redis-server.");
  log("CPU x: worker CPU per request against the floor's (aim <= 1.2). req/s x: the floor's throughput over the");
  log(
    "licence path's at the same concurrency (wall clock; the licence path makes two Redis round trips, the floor none).",
  );
  if (rows.some(([, rounds]) => rounds.some((r) => r.errors > 0))) {
    log("some requests failed: the figures above are not valid");
    process.exitCode = 1;
  }
}

function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
