/**
 * The playback worker's settings, parsed from its env once per isolate with the shared settings readers
 * (`@cadence/shared/config/settings`). A missing value takes its documented default; a wrong one fails the request
 * with a 500 whose log names the variable and what it must be (our mistake, not the caller's), never a silent
 * default. Every feature folder reads its settings here, so one place lists what the worker can be configured with.
 */
import { isTier, type Tier } from "@cadence/shared/auth/claims";
import { type CdnId, isCdnId } from "@cadence/shared/cdn/cdn-id";
import { devOverridesEnabled } from "@cadence/shared/config/deployment";
import {
  boolSetting,
  enumSetting,
  intSetting,
  listSetting,
  SettingError,
  settingsCache,
  urlSetting,
} from "@cadence/shared/config/settings";
import { problems } from "@cadence/shared/problem";
import type { Env } from "../context";

/** CloudFront's signature hashes: SHA-1 (its default) or SHA-256 (announced with `Hash-Algorithm=SHA256`). */
export const CLOUDFRONT_HASHES = ["SHA1", "SHA256"] as const;
export type CloudFrontHash = (typeof CLOUDFRONT_HASHES)[number];

export interface AdBreakSettings {
  /** A free listener gets a break at the start of listening, then again once this much time has passed. */
  intervalMs: number;
  /** Longest break. */
  maxDurationMs: number;
  /** Most ads in one break. */
  maxAds: number;
}

/** Licence abuse limits (license/deliveries.ts). */
export interface LicenseLimits {
  /** Keys one session may fetch (a session is one track; hls.js fetches a key per rendition it switches to). */
  deliveriesPerSession: number;
  /** Distinct tracks whose keys one account may fetch per clock hour. */
  tracksPerHour: number;
  /** Distinct devices that may fetch keys for one account per UTC day. */
  devicesPerDay: number;
}

/** Offline downloads (offline/). */
export interface OfflineLimits {
  maxDevices: number;
  maxTracksPerDevice: number;
  licenseDays: number;
}

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
  adBreak: AdBreakSettings;
  license: LicenseLimits;
  offline: OfflineLimits;
}

const cached = settingsCache(parse);

export function playbackConfig(env: Env): PlaybackConfig {
  try {
    return cached(env);
  } catch (err) {
    throw problems.internal(err);
  }
}

function parse(env: Env): PlaybackConfig {
  return {
    pathwayOrder: pathwayOrder(env.PATHWAY_ORDER),
    cloudfrontBaseUrl: urlSetting("CLOUDFRONT_BASE_URL", env.CLOUDFRONT_BASE_URL),
    akamaiBaseUrl: urlSetting("AKAMAI_BASE_URL", env.AKAMAI_BASE_URL),
    cloudfrontHash: enumSetting("CLOUDFRONT_HASH_ALGORITHM", env.CLOUDFRONT_HASH_ALGORITHM, CLOUDFRONT_HASHES, "SHA1"),
    mintRatePerMinute: intSetting("MINT_RATE_LIMIT_PER_MINUTE", env.MINT_RATE_LIMIT_PER_MINUTE, { min: 1 }),
    concurrentSessions: perTier(env.CONCURRENT_SESSIONS),
    sessionMarginSeconds: intSetting("SESSION_MARGIN_SECONDS", env.SESSION_MARGIN_SECONDS, { min: 1 }),
    bindClientIp: boolSetting("CDN_BIND_CLIENT_IP", env.CDN_BIND_CLIENT_IP, false),
    devOverrides: devOverridesEnabled(env),
    adBreak: {
      intervalMs:
        intSetting("AD_BREAK_INTERVAL_MINUTES", env.AD_BREAK_INTERVAL_MINUTES, { fallback: 15, min: 1 }) * 60_000,
      maxDurationMs: intSetting("AD_BREAK_MAX_SECONDS", env.AD_BREAK_MAX_SECONDS, { fallback: 30, min: 1 }) * 1000,
      maxAds: intSetting("AD_BREAK_MAX_ADS", env.AD_BREAK_MAX_ADS, { fallback: 2, min: 1 }),
    },
    license: {
      deliveriesPerSession: intSetting("LICENSE_DELIVERIES_PER_SESSION", env.LICENSE_DELIVERIES_PER_SESSION, {
        fallback: 40,
        min: 1,
      }),
      tracksPerHour: intSetting("LICENSE_TRACKS_PER_HOUR", env.LICENSE_TRACKS_PER_HOUR, { fallback: 200, min: 1 }),
      devicesPerDay: intSetting("LICENSE_DEVICES_PER_DAY", env.LICENSE_DEVICES_PER_DAY, { fallback: 10, min: 1 }),
    },
    offline: {
      maxDevices: intSetting("OFFLINE_MAX_DEVICES", env.OFFLINE_MAX_DEVICES, { fallback: 5, min: 1 }),
      maxTracksPerDevice: intSetting("OFFLINE_MAX_TRACKS_PER_DEVICE", env.OFFLINE_MAX_TRACKS_PER_DEVICE, {
        fallback: 10_000,
        min: 1,
      }),
      licenseDays: intSetting("OFFLINE_LICENSE_DAYS", env.OFFLINE_LICENSE_DAYS, { fallback: 30, min: 1, max: 90 }),
    },
  };
}

function pathwayOrder(value: string | undefined): CdnId[] {
  const order = listSetting("PATHWAY_ORDER", value, (id) => (isCdnId(id) ? id : undefined));
  if (new Set(order).size !== order.length) {
    throw new SettingError("PATHWAY_ORDER", `PATHWAY_ORDER="${value}" must list distinct CDN ids.`);
  }
  return order;
}

/** `free=1,premium=1,hifi=1`; a tier left out keeps a limit of 1. */
function perTier(value: string | undefined): Record<Tier, number> {
  const limits: Record<Tier, number> = { free: 1, premium: 1, hifi: 1 };
  const entries = listSetting(
    "CONCURRENT_SESSIONS",
    value,
    (part): [Tier, number] | undefined => {
      const [tier, count] = part.split("=").map((s) => s.trim());
      if (!isTier(tier)) return undefined;
      return [tier, intSetting(`CONCURRENT_SESSIONS ${tier}`, count, { min: 1 })];
    },
    [],
  );
  for (const [tier, count] of entries) limits[tier] = count;
  return limits;
}
