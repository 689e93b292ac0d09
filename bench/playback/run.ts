/**
 * `npm run bench:playback`: requests per second and p50/p99 latency of the playback worker's master and media
 * playlists under concurrent load through `wrangler dev` (workerd), side by side in the same run with their floors
 * (bench/playback/floor): for the master playlist a worker that verifies the same JWT and returns a fixed playlist, for
 * the media playlist one that verifies the same HMAC playback token and returns a fixed playlist. Master requests
 * spread over BENCH_TRACKS tracks (default 2000) and many listeners; media requests over 100 sessions. Rounds alternate
 * the targets so drift on this shared machine hits all alike; the median round of each is reported.
 *
 * Cost per request is measured as CPU: the worker's processes (wrangler + workerd), plus, for playback, what its
 * Redis costs (this process, which hosts the Upstash bridge, and redis-server); the load generator runs in its own
 * process (local/src/bench/load-generator.ts) and is not counted. Throughput ratios are printed too, but on a machine other work shares they
 * only say how much CPU happened to be free.
 *
 * Everything runs on a private stack: its own redis-server, Upstash bridge and origin in a temp folder.
 * Env: BENCH_SECONDS (per round, default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32), BENCH_DEBUG=1
 * (CPU per request of each process of the worker, per round).
 */

import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
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
import { groupCpuByName, groupCpuMs, matchingCpuMs, ownCpuMs } from "./cpu";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const TRACKS = Number(process.env.BENCH_TRACKS ?? 2000);
const ISSUER = "http://cadence.bench";
const AUDIENCE = "cadence-edge";

interface Round extends LoadResult {
  /** CPU ms per request burnt by the worker's processes (wrangler + workerd). */
  workerCpuMs: number;
  /** CPU ms per request burnt by Redis: the Upstash bridge (in this process, with the idle origin) and redis-server. */
  redisCpuMs: number;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadence-bench-"));
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

    log("starting the playback worker and the floor worker under wrangler dev ...");
    const [playback, floor] = await Promise.all([
      startPlaybackWorker(info),
      startWranglerDev({
        config: "bench/playback/floor/wrangler.toml",
        vars: {
          ENVIRONMENT: "test",
          JWKS_URL: base.jwksUrl,
          AUTH_ISSUER: ISSUER,
          AUTH_AUDIENCE: AUDIENCE,
          UPSTASH_REDIS_REST_URL: base.redisRestUrl,
          ORIGIN_URL: base.originUrl,
        },
        secrets: {
          UPSTASH_REDIS_REST_TOKEN: base.redisRestToken,
          PLAYBACK_TOKEN_SECRET: info.playback.playbackTokenSecret,
        },
      }),
    ]);
    stopAll.unshift(
      () => playback.close(),
      () => floor.close(),
    );

    // Many tracks, so a track is not simply one the isolate keeps cached.
    const trackIds = Array.from({ length: TRACKS }, (_, i) => `bench-track-${i}`);
    const trackId = trackIds[0] as string;
    const ioredis = new Redis(redis.url);
    const writes = ioredis.pipeline();
    for (const id of trackIds) {
      writes.set(catalogTrackKey(id), JSON.stringify(sineEdgeTrack(info.playback.fixture, { id })));
    }
    await writes.exec();
    ioredis.disconnect();

    // Enough accounts that the per-account mint rate limit (30/min) never trips, as with real listeners.
    const masterRequests = Math.ceil(ROUNDS * (SECONDS + 1) * 2000);
    const key = await importJWK(signingJwk, "ES256");
    const tokenFor = async (sub: string) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tier: "hifi", country: "GB", scope: "listener" })
        .setProtectedHeader({ alg: "ES256", kid: signingJwk.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(sub)
        .setJti(crypto.randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(key);
    };
    const masterTokens = await Promise.all(
      Array.from({ length: Math.ceil(masterRequests / 20) }, (_, i) => tokenFor(`bench-master-${i}`)),
    );
    // Media playlists of live sessions held by accounts the master rounds never touch, on every pathway.
    const mediaPaths: string[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${playback.url}/v1/play/${trackId}/master.m3u8?device=bench`, {
        headers: { authorization: `Bearer ${await tokenFor(`bench-media-${i}`)}` },
      });
      if (res.status !== 200) throw new Error(`minting a session answered ${res.status}: ${await res.text()}`);
      const uris = (await res.text()).split("\n").filter((l) => l.startsWith("/v1/play/"));
      mediaPaths.push(...uris.filter((u) => /\/aac-256\//.test(u)));
    }

    const loader = fork(LOAD_GENERATOR, [], { execArgv: ["--import", "tsx"] });
    stopAll.unshift(async () => {
      loader.kill();
    });
    const redisPort = new URL(redis.url).port;
    const redisCpu = () =>
      matchingCpuMs(new RegExp(`redis-server .*--port ${redisPort}\\b|redis-server .*:${redisPort}\\b`));
    const round = async (
      target: { pgid: number; url: string },
      run: Omit<LoadRun, "url" | "connections" | "seconds">,
    ): Promise<Round> => {
      const before = { worker: groupCpuMs(target.pgid), redis: ownCpuMs() + redisCpu() };
      const byNameBefore = groupCpuByName(target.pgid);
      const result = await new Promise<LoadResult>((resolve) => {
        loader.once("message", (m) => resolve(m as LoadResult));
        loader.send({ ...run, url: target.url, connections: CONNECTIONS, seconds: SECONDS } satisfies LoadRun);
      });
      const requests = Math.max(1, result.requests);
      if (process.env.BENCH_DEBUG) {
        const after = groupCpuByName(target.pgid);
        const split = Object.entries(after).map(
          ([k, v]) => `${k}=${((v - (byNameBefore[k] ?? 0)) / requests).toFixed(2)}`,
        );
        log(`  ${target.url} ${result.requests} requests: ${split.join(" ")} ms/req`);
      }
      return {
        ...result,
        workerCpuMs: (groupCpuMs(target.pgid) - before.worker) / requests,
        redisCpuMs: (ownCpuMs() + redisCpu() - before.redis) / requests,
      };
    };
    const masterPath = trackIds.map((id) => `/v1/play/${id}/master.m3u8?device=bench`);
    const bearer = masterTokens.map((t) => `Bearer ${t}`);
    const targets = {
      floor: () => round(floor, { paths: masterPath, authorizations: bearer }),
      master: () => round(playback, { paths: masterPath, authorizations: bearer.slice().reverse() }),
      media: () => round(playback, { paths: mediaPaths, authorizations: [] }),
      mediaFloor: () => round(floor, { paths: mediaPaths, authorizations: [] }),
      // Reference: the playback worker answering only a Redis PING, i.e. the price of one Redis round trip.
      ping: () => round(playback, { paths: ["/health"], authorizations: [] }),
    };
    log(`warming up; then ${ROUNDS} rounds x ${SECONDS} s per target, ${CONNECTIONS} connections ...`);
    for (const run of Object.values(targets)) await run();
    const results: Record<keyof typeof targets, Round[]> = {
      floor: [],
      master: [],
      media: [],
      mediaFloor: [],
      ping: [],
    };
    for (let i = 0; i < ROUNDS; i++) {
      for (const [name, run] of Object.entries(targets) as Array<[keyof typeof targets, () => Promise<Round>]>) {
        results[name].push(await run());
      }
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

function report(results: Record<"floor" | "master" | "media" | "mediaFloor" | "ping", Round[]>): void {
  const of = (rounds: Round[]) => ({
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    worker: median(rounds.map((r) => r.workerCpuMs)),
    redis: median(rounds.map((r) => r.redisCpuMs)),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
  });
  const floor = of(results.floor);
  const mediaFloor = of(results.mediaFloor);
  log(
    `\nplayback playlists vs their floors under wrangler dev, ${CONNECTIONS} connections, ${TRACKS} tracks, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")},`,
  );
  log(`median of ${ROUNDS} interleaved rounds of ${SECONDS} s:\n`);
  const widths = [28, 7, 8, 8, 10, 9, 8, 8, 7];
  const line = (cells: string[]) =>
    log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(""));
  line(["target", "req/s", "p50 ms", "p99 ms", "worker ms", "redis ms", "CPU x", "req/s x", "errors"]);
  const rows: Array<[string, Round[], ReturnType<typeof of>]> = [
    ["floor: JWT + fixed master", results.floor, floor],
    ["master.m3u8 (mint session)", results.master, floor],
    ["floor: HMAC pt + fixed media", results.mediaFloor, mediaFloor],
    ["media playlist (signed URLs)", results.media, mediaFloor],
    ["ref: /health (1 Redis PING)", results.ping, floor],
  ];
  for (const [name, rounds, base] of rows) {
    const r = of(rounds);
    line([
      name,
      r.rps.toFixed(0),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      r.worker.toFixed(2),
      r.redis.toFixed(2),
      (r.worker / base.worker).toFixed(2),
      (base.rps / r.rps).toFixed(2),
      String(r.errors),
    ]);
  }
  log("\nworker ms: CPU per request of wrangler + workerd (what the edge pays); redis ms: of the local Upstash bridge");
  log(
    "and redis-server (what Upstash would do remotely). CPU x: worker CPU per request against its floor's (aim <= 1.2).",
  );
  log("req/s x: the floor's throughput over the target's at the same concurrency (wall clock, includes Redis).");
  log("The /health row prices one Redis round trip from workerd (an outbound fetch to the Upstash bridge), which the");
  log("master and media playlists each make once and the floor never does.");
  if (rows.some(([, rounds]) => rounds.some((r) => r.errors > 0))) {
    log("some requests failed: the figures above are not valid");
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
