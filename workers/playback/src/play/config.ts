/**
 * The playback worker's settings, parsed from its env once per isolate. A wrong value fails the request with a 500
 * whose log names the variable (our mistake, not the caller's), instead of silently using a default.
 */
import type { Tier } from "@cadence/shared/auth/claims";
import { TIERS } from "@cadence/shared/auth/claims";
import { type CdnId, isCdnId } from "@cadence/shared/cdn/cdn-id";
import { problems } from "@cadence/shared/problem";
import type { Env } from "../context";
import type { CloudFrontHash } from "../signing/cloudfront";

export interface PlaybackConfig {
  pathwayOrder: CdnId[];
  cloudfrontBaseUrl: string;
  akamaiBaseUrl: string;
  cloudfrontHash: CloudFrontHash;
  mintRatePerMinute: number;
  concurrentSessions: Record<Tier, number>;
  sessionMarginSeconds: number;
  bindClientIp: boolean;
  /** Development and test honour the `x-cadence-country`/`x-cadence-continent` headers and `pathways=`. */
  devOverrides: boolean;
}

const cache = new WeakMap<Env, PlaybackConfig>();

export function playbackConfig(env: Env): PlaybackConfig {
  let config = cache.get(env);
  if (!config) {
    try {
      config = parse(env);
    } catch (err) {
      throw problems.internal(err);
    }
    cache.set(env, config);
  }
  return config;
}

function parse(env: Env): PlaybackConfig {
  const order = (env.PATHWAY_ORDER ?? "").split(",").map((s) => s.trim());
  if (order.length === 0 || !order.every(isCdnId) || new Set(order).size !== order.length) {
    throw new Error(
      `PATHWAY_ORDER="${env.PATHWAY_ORDER}" must list distinct CDN ids (cloudfront, akamai, cloudflare).`,
    );
  }
  const hash = env.CLOUDFRONT_HASH_ALGORITHM ?? "SHA1";
  if (hash !== "SHA1" && hash !== "SHA256") throw new Error("CLOUDFRONT_HASH_ALGORITHM must be SHA1 or SHA256.");
  return {
    pathwayOrder: order as CdnId[],
    cloudfrontBaseUrl: baseUrl("CLOUDFRONT_BASE_URL", env.CLOUDFRONT_BASE_URL),
    akamaiBaseUrl: baseUrl("AKAMAI_BASE_URL", env.AKAMAI_BASE_URL),
    cloudfrontHash: hash,
    mintRatePerMinute: positiveInt("MINT_RATE_LIMIT_PER_MINUTE", env.MINT_RATE_LIMIT_PER_MINUTE),
    concurrentSessions: perTier(env.CONCURRENT_SESSIONS),
    sessionMarginSeconds: positiveInt("SESSION_MARGIN_SECONDS", env.SESSION_MARGIN_SECONDS),
    bindClientIp: env.CDN_BIND_CLIENT_IP === "true",
    devOverrides: env.ENVIRONMENT === "development" || env.ENVIRONMENT === "test",
  };
}

function baseUrl(name: string, value: string | undefined): string {
  if (!value || !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(value)) {
    throw new Error(`${name}="${value}" must be an absolute http(s) URL.`);
  }
  return value.replace(/\/+$/, "");
}

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}="${value}" must be a whole number >= 1.`);
  return n;
}

function perTier(value: string | undefined): Record<Tier, number> {
  const limits: Record<Tier, number> = { free: 1, premium: 1, hifi: 1 };
  for (const part of (value ?? "").split(",").filter((p) => p.trim() !== "")) {
    const [tier, count] = part.split("=").map((s) => s.trim());
    if (!TIERS.includes(tier as Tier)) throw new Error(`CONCURRENT_SESSIONS: unknown tier "${tier}".`);
    limits[tier as Tier] = positiveInt(`CONCURRENT_SESSIONS ${tier}`, count);
  }
  return limits;
}
