/** Builders for steering inputs: a view with buckets made from simple per-minute figures. */
import type { CdnId } from "../../src/cdn/cdn-id";
import { DEFAULT_STEERING_CONFIG, type SteeringConfig } from "../../src/steering/config";
import { BUCKET_MS, type Bucket, type RegionSeries } from "../../src/steering/measurements";
import type { SteeringView } from "../../src/steering/steer";

export const NOW = Date.UTC(2026, 10, 20, 14, 0, 30);
export const MINUTE = Math.floor(NOW / BUCKET_MS);

/** `minutes` full buckets ending with the current one: `perMinute` fetches at `ttfbMs` and `mbps`, `errorRate` failing. */
export function steady(
  ttfbMs: number,
  options: { perMinute?: number; errorRate?: number; mbps?: number; minutes?: number; endMinute?: number } = {},
): Bucket[] {
  const { perMinute = 200, errorRate = 0, mbps = 50, minutes = 10, endMinute = MINUTE } = options;
  const out: Bucket[] = [];
  for (let m = endMinute - minutes + 1; m <= endMinute; m++) out.push(bucket(m, perMinute, errorRate, ttfbMs, mbps));
  return out;
}

export function bucket(minute: number, n: number, errorRate: number, ttfbMs: number, mbps = 50): Bucket {
  const e = Math.round(n * errorRate);
  const ok = n - e;
  const bytes = 192_000 * ok;
  return {
    minute,
    n,
    e,
    tn: ok,
    ts: ttfbMs * ok,
    tq: ttfbMs * ttfbMs * ok,
    xb: bytes,
    xu: Math.round(((bytes * 8) / (mbps * 1e6)) * 1e6),
  };
}

export function view(
  parts: { country?: RegionSeries; continent?: RegionSeries; config?: Partial<SteeringConfig> } = {},
): SteeringView {
  return {
    config: { ...DEFAULT_STEERING_CONFIG, ...parts.config },
    country: parts.country ?? {},
    continent: parts.continent ?? {},
    probes: {},
    usage: { month: "2026-11", bytes: {} },
  };
}

export const DE = { country: "DE", continent: "EU" };

/** Prices where every CDN costs the same, so quality alone decides. */
export const EQUAL_PRICES = { default: { cloudfront: "0.010", akamai: "0.010", cloudflare: "0.010" } };

export function sessions(n: number, prefix = "s"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i}-${(i * 2654435761) >>> 0}`);
}

export function countFirst(ids: string[], pick: (id: string) => CdnId): Record<CdnId, number> {
  const counts: Record<CdnId, number> = { cloudfront: 0, akamai: 0, cloudflare: 0 };
  for (const id of ids) counts[pick(id)]++;
  return counts;
}
