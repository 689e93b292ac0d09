/**
 * `npm run bench:ads`: ad decisions per second and p50/p99 latency of `GET /v1/ads/vast` with 10,000 active campaigns,
 * through `wrangler dev` (workerd), side by side in the same run with a floor worker that verifies the JWT and returns
 * a fixed VAST (bench/ads/floor). Rounds alternate floor and ads so drift on this shared machine hits both alike; the
 * median round of each is reported, with the fill rate of the ads worker.
 *
 * Everything runs on a private stack: its own redis-server, Upstash bridge and origin in a temp folder. The campaigns
 * are published to edge state exactly as the origin publishes them, with targeting spread over countries, genres,
 * dayparts and frequency caps, so each decision really filters, ranks and reserves.
 * Env: BENCH_SECONDS (per round, default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 16),
 * BENCH_CAMPAIGNS (default 10000).
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOAD_GENERATOR, type LoadResult, type LoadRun } from "@cadence/local/src/bench/load-generator";
import { startDevStack } from "@cadence/local/src/dev-stack";
import { startRedisServer } from "@cadence/local/src/redis-server";
import { startWranglerDev } from "@cadence/local/src/wrangler-dev";
import { CampaignPublisher } from "@cadence/origin/src/ads/publisher";
import { catalogTrackKey } from "@cadence/shared/catalog/edge-track";
import { Redis } from "@upstash/redis";
import { importJWK, type JWK, SignJWT } from "jose";
import { benchCampaigns, COUNTRIES, GENRES } from "./campaigns";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 10_000);
const ISSUER = "http://cadence.bench";
const AUDIENCE = "cadence-edge";

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadence-bench-ads-"));
  const redisServer = await startRedisServer();
  const stack = await startDevStack({
    dataDir,
    redisUrl: redisServer.url,
    env: { CADENCE_ENV: "test", AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, LOG_LEVEL: "warn" },
  });
  const stopAll: Array<() => Promise<void>> = [
    async () => rmSync(dataDir, { recursive: true, force: true }),
    () => redisServer.stop(),
    () => stack.close(),
  ];
  try {
    const redis = new Redis({ url: stack.bridge.url, token: stack.secrets.redisRestToken, enableTelemetry: false });
    log(`publishing ${CAMPAIGNS} active campaigns to edge state ...`);
    const all = benchCampaigns(CAMPAIGNS);
    await new CampaignPublisher(redis).publish(all.map((c) => ({ id: c.id, campaign: c })));
    for (let t = 0; t < GENRES.length; t++) {
      await redis.set(
        catalogTrackKey(`bench-track-${t}`),
        JSON.stringify({ id: `bench-track-${t}`, genres: [GENRES[t]] }),
      );
    }

    const vars = {
      ENVIRONMENT: "test",
      ORIGIN_URL: stack.origin.url,
      JWKS_URL: `${stack.origin.url}/.well-known/jwks.json`,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      UPSTASH_REDIS_REST_URL: stack.bridge.url,
    };
    log("starting the ads worker and the floor worker under wrangler dev ...");
    const [ads, floor] = await Promise.all([
      startWranglerDev({
        config: "workers/ads/wrangler.toml",
        vars: { ...vars, ADS_RESERVATION_TTL_SECONDS: "900" },
        secrets: {
          UPSTASH_REDIS_REST_TOKEN: stack.secrets.redisRestToken,
          SERVICE_TOKEN: stack.secrets.serviceToken,
          ADS_BEACON_SECRET: randomBytes(32).toString("base64url"),
        },
      }),
      startWranglerDev({
        config: "bench/ads/floor/wrangler.toml",
        vars,
        secrets: { UPSTASH_REDIS_REST_TOKEN: stack.secrets.redisRestToken },
      }),
    ]);
    stopAll.unshift(
      () => ads.close(),
      () => floor.close(),
    );

    const keys = JSON.parse(readFileSync(join(dataDir, "keys", "signing-keys.json"), "utf8")) as Array<{
      privateJwk: JWK & { kid: string };
      retiredAt?: number;
    }>;
    const jwk = keys.find((k) => !k.retiredAt)!.privateJwk;
    const key = await importJWK(jwk, "ES256");
    const now = Math.floor(Date.now() / 1000);
    // Many listeners in many countries, as real traffic: frequency caps and targeting differ per request.
    const authorizations = await Promise.all(
      Array.from({ length: 2000 }, async (_, i) => {
        const token = await new SignJWT({ tier: "free", country: COUNTRIES[i % COUNTRIES.length], scope: "listener" })
          .setProtectedHeader({ alg: "ES256", kid: jwk.kid })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setSubject(`bench-listener-${i}`)
          .setJti(crypto.randomUUID())
          .setIssuedAt(now)
          .setExpirationTime(now + 3600)
          .sign(key);
        return `Bearer ${token}`;
      }),
    );
    const paths = GENRES.map((_, t) => `/v1/ads/vast?max_ads=2&max_duration=60&track_id=bench-track-${t}`);

    // First request of the isolate loads the whole campaign set; then a sample for the fill rate.
    const warm = await fetch(`${ads.url}${paths[0]}`, { headers: { authorization: authorizations[0]! } });
    if (warm.status !== 200) throw new Error(`the ads worker answered ${warm.status}: ${await warm.text()}`);
    let filled = 0;
    let adsServed = 0;
    const sample = 200;
    for (let i = 0; i < sample; i++) {
      const res = await fetch(`${ads.url}${paths[i % paths.length]}`, {
        headers: { authorization: authorizations[(i * 7) % authorizations.length]! },
      });
      const n = Number(res.headers.get("x-ad-fill") ?? 0);
      await res.text();
      if (n > 0) filled++;
      adsServed += n;
    }

    const loader = fork(LOAD_GENERATOR, [], { execArgv: ["--import", "tsx"] });
    stopAll.unshift(async () => {
      loader.kill();
    });
    const run = (url: string): Promise<LoadResult> =>
      new Promise((resolve) => {
        loader.once("message", (m) => resolve(m as LoadResult));
        loader.send({ url, paths, authorizations, connections: CONNECTIONS, seconds: SECONDS } satisfies LoadRun);
      });
    await run(floor.url); // warm-up of both, not counted
    await run(ads.url);
    const results: { floor: LoadResult[]; ads: LoadResult[] } = { floor: [], ads: [] };
    for (let i = 0; i < ROUNDS; i++) {
      results.floor.push(await run(floor.url));
      results.ads.push(await run(ads.url));
      log(
        `round ${i + 1}/${ROUNDS}: floor ${Math.round(results.floor.at(-1)!.rps)} req/s, ads ${Math.round(results.ads.at(-1)!.rps)} decisions/s`,
      );
    }
    const summary = (rs: LoadResult[]) => ({
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      errors: rs.reduce((s, r) => s + r.errors, 0),
    });
    const f = summary(results.floor);
    const a = summary(results.ads);
    log("");
    log(
      `GET /v1/ads/vast, ${CAMPAIGNS.toLocaleString("en-US")} active campaigns, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s (median round):`,
    );
    log("                          req/s    p50 ms   p99 ms   errors");
    const row = (name: string, s: ReturnType<typeof summary>) =>
      log(
        `  ${name.padEnd(22)} ${String(Math.round(s.rps)).padStart(6)} ${s.p50.toFixed(1).padStart(9)} ${s.p99.toFixed(1).padStart(8)} ${String(s.errors).padStart(8)}`,
      );
    row("floor (fixed VAST)", f);
    row("ads decision", a);
    log("");
    log(
      `  throughput: ${(a.rps / f.rps).toFixed(2)}x the floor; p99 ${a.p99 - f.p99 >= 0 ? "+" : ""}${(a.p99 - f.p99).toFixed(1)} ms over the floor (aim: within 5 ms)`,
    );
    log(
      `  fill: ${Math.round((filled / sample) * 100)}% of ${sample} sampled requests got ads (${(adsServed / sample).toFixed(2)} ads per request)`,
    );
  } finally {
    for (const stop of stopAll) await stop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
