/**
 * The cron probes (`[triggers] crons` in wrangler.toml): once a minute, fetch each CDN pathway from the edge and
 * fold the result into its probe state in Redis (steering takes a CDN out while its probes fail, and back only
 * after the hysteresis window and two good runs). A CDN counts as up when its edge answers below 500 without an
 * error within the timeout: an unsigned request to CloudFront or Akamai gets a 403/404, which still proves the edge
 * serves. The Cloudflare pathway is this worker pulling from the origin, so its probe is the origin's health. Each run
 * retries a failure once, so one lost packet does not take a CDN out. The same run sweeps aged-out buckets.
 */
import type { CdnId } from "@cadence/shared/cdn/cdn-id";
import { CDN_IDS } from "@cadence/shared/cdn/cdn-id";
import { nextProbeState, type ProbeResult, type ProbeState } from "@cadence/shared/steering/probes";
import {
  readProbeStates,
  readSteeringConfig,
  type SteeringRedis,
  sweepExpiredBuckets,
  writeProbeStates,
} from "@cadence/shared/steering/store";
import type { Env } from "../context";
import { playbackConfig } from "../core/config";

const PROBE_TIMEOUT_MS = 3_000;

export function probeUrls(env: Env): Record<CdnId, string> {
  const config = playbackConfig(env);
  return {
    cloudfront: `${config.cloudfrontBaseUrl}/`,
    akamai: `${config.akamaiBaseUrl}/`,
    cloudflare: `${env.ORIGIN_URL.replace(/\/$/, "")}/health`,
  };
}

export async function probeOnce(url: string, now: () => number = Date.now): Promise<ProbeResult> {
  const started = now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: "manual" });
    await res.body?.cancel();
    const ttfbMs = now() - started;
    if (res.status >= 500) return { ok: false, at: started, ttfbMs, error: `answered ${res.status}` };
    return { ok: true, at: started, ttfbMs };
  } catch (err) {
    return { ok: false, at: started, error: err instanceof Error ? err.message : String(err) };
  }
}

/** One probe run over every pathway; returns the new states. */
export async function runSteeringProbes(env: Env, redis: SteeringRedis): Promise<Partial<Record<CdnId, ProbeState>>> {
  const urls = probeUrls(env);
  const [previous, config] = await Promise.all([readProbeStates(redis), readSteeringConfig(redis)]);
  const hysteresisMs = config.thresholds.hysteresisSeconds * 1000;
  const next: Partial<Record<CdnId, ProbeState>> = {};
  await Promise.all(
    CDN_IDS.map(async (cdn) => {
      let result = await probeOnce(urls[cdn]);
      if (!result.ok) result = await probeOnce(urls[cdn]);
      next[cdn] = nextProbeState(previous[cdn], result, hysteresisMs);
    }),
  );
  await writeProbeStates(redis, next);
  await sweepExpiredBuckets(redis, Date.now());
  return next;
}
