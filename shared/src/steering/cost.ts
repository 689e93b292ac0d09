/**
 * What one more GB costs on a CDN in a region right now. Without a commit it is the regional list price. With a
 * commit the volume inside it is already paid for, so its marginal price is zero while month-to-date use is on pace
 * to stay inside the commit; as the pace projects past the commit the price ramps up to the burst price, and once
 * the commit is used up it is the burst price (Cedexis' commit multiplier, made explicit in money).
 */
import type { CdnId } from "../cdn/cdn-id";
import type { SteeringConfig } from "./config";
import { decimalToMicros } from "./money";

export const BYTES_PER_GB = 1e9;
/** How far past the commit (as a fraction of it) the projected month may run before the full burst price applies. */
const PACE_RAMP = 0.1;

export interface MonthUsage {
  /** UTC month the counters belong to, `YYYY-MM`. */
  month: string;
  /** Bytes delivered so far this month per CDN. */
  bytes: Partial<Record<CdnId, number>>;
}

export type CostBasis = "list" | "commit-under-pace" | "commit-pacing" | "burst";

export interface CdnCost {
  /** Regional list price per GB (micro-units). */
  listMicrosPerGb: number;
  /** What one more GB costs now (micro-units). */
  marginalMicrosPerGb: number;
  basis: CostBasis;
  detail: string;
}

export function monthOf(at: number): string {
  return new Date(at).toISOString().slice(0, 7);
}

/** Fraction of the UTC month elapsed at `at` (0..1). */
export function monthFraction(at: number): number {
  const d = new Date(at);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return (at - start) / (end - start);
}

/** The list price of a CDN for the most specific region in the chain that prices it. */
export function listPriceMicros(config: SteeringConfig, cdn: CdnId, chain: string[]): number {
  for (const region of chain) {
    const price = config.prices[region]?.[cdn];
    const micros = price === undefined ? undefined : decimalToMicros(price);
    if (micros !== undefined) return micros;
  }
  return 0;
}

export function cdnCost(config: SteeringConfig, cdn: CdnId, chain: string[], usage: MonthUsage, now: number): CdnCost {
  const list = listPriceMicros(config, cdn, chain);
  const commit = config.commits[cdn];
  if (!commit) return { listMicrosPerGb: list, marginalMicrosPerGb: list, basis: "list", detail: "list price" };
  const burst = decimalToMicros(commit.burstPricePerGb) ?? list;
  const usedGb = usage.month === monthOf(now) ? (usage.bytes[cdn] ?? 0) / BYTES_PER_GB : 0;
  const used = `${usedGb.toFixed(1)} of ${commit.volumeGb} GB committed`;
  if (usedGb >= commit.volumeGb) {
    return { listMicrosPerGb: list, marginalMicrosPerGb: burst, basis: "burst", detail: `commit used up (${used})` };
  }
  // Project the month from its pace; the first day is floored so an early-month spike does not look like a trend.
  const projected = usedGb / Math.max(monthFraction(now), 1 / 31);
  const ratio = projected / commit.volumeGb;
  if (ratio <= 1) {
    return {
      listMicrosPerGb: list,
      marginalMicrosPerGb: 0,
      basis: "commit-under-pace",
      detail: `commit under pace, already paid (${used}, month projected at ${Math.round(ratio * 100)}%)`,
    };
  }
  const marginal = Math.round(burst * Math.min(1, (ratio - 1) / PACE_RAMP));
  return {
    listMicrosPerGb: list,
    marginalMicrosPerGb: marginal,
    basis: "commit-pacing",
    detail: `commit on pace to burst (${used}, month projected at ${Math.round(ratio * 100)}%)`,
  };
}
