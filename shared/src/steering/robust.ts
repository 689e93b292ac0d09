/**
 * Robust statistics over bucket counters, so a few accounts cannot move a region. Measurements stay integer counters
 * (HINCRBY, no lost writes), but where the reporting listeners are known they are also kept per value bin: TTFB bins
 * with the count, sum and sum of squares of the TTFBs in each, throughput bins with the count, bytes and transfer time
 * in each. Reading, the top and bottom `TRIM_SHARE` of samples are cut (pro rata inside the boundary bin) and the
 * estimates come from the middle: a trimmed mean, exact inside the kept bins. Availability is trimmed over listeners:
 * the worst `TRIM_SHARE` of reporting listeners are set aside with up to their capped samples, all counted as failures.
 * Combined with each listener's cap per minute (store.ts), accounts that are less than the trimmed share of a region's
 * listeners move nothing.
 */

/** Share of samples (and of listeners) trimmed from each end. */
export const TRIM_SHARE = 0.2;

/** TTFB bin upper bounds, ms (the last bin is open). */
export const TTFB_BIN_BOUNDS_MS = [25, 50, 100, 200, 400, 800, 1600, 3200] as const;
/** Throughput bin upper bounds, bits/s (the last bin is open). */
export const THROUGHPUT_BIN_BOUNDS_BPS = [250e3, 500e3, 1e6, 2e6, 4e6, 8e6, 16e6, 32e6] as const;
export const BIN_COUNT = TTFB_BIN_BOUNDS_MS.length + 1;

export function binOf(value: number, bounds: readonly number[]): number {
  for (let i = 0; i < bounds.length; i++) if (value < (bounds[i] as number)) return i;
  return bounds.length;
}

/** Bin metric names, e.g. `t3n` (TTFB bin 3: count), `x5u` (throughput bin 5: µs). */
export const BIN_METRICS: readonly string[] = Array.from({ length: BIN_COUNT }, (_, i) => [
  `t${i}n`,
  `t${i}s`,
  `t${i}q`,
  `x${i}n`,
  `x${i}b`,
  `x${i}u`,
]).flat();

/** One bin's decayed sums: `n` samples, `a` and `b` the two sums it carries. */
export interface BinSums {
  n: number;
  a: number;
  b: number;
}

/** Sums of the bins (ascending by value) once `share` of the count is cut from each end. */
export function trimmedSums(bins: BinSums[], share = TRIM_SHARE): BinSums {
  const total = bins.reduce((s, x) => s + x.n, 0);
  const out: BinSums = { n: 0, a: 0, b: 0 };
  if (total <= 0) return out;
  let low = total * share;
  let high = total * share;
  const kept = bins.map((x) => ({ ...x }));
  for (const x of kept) {
    const cut = Math.min(low, x.n);
    scale(x, cut);
    low -= cut;
    if (low <= 0) break;
  }
  for (let i = kept.length - 1; i >= 0; i--) {
    const x = kept[i] as BinSums;
    const cut = Math.min(high, x.n);
    scale(x, cut);
    high -= cut;
    if (high <= 0) break;
  }
  for (const x of kept) {
    out.n += x.n;
    out.a += x.a;
    out.b += x.b;
  }
  return out;
}

function scale(x: BinSums, cut: number): void {
  if (x.n <= 0) return;
  const keep = (x.n - cut) / x.n;
  x.a *= keep;
  x.b *= keep;
  x.n -= cut;
}

/**
 * Availability with the worst listeners set aside: of `ln` reporting listeners, `lf` failed; up to `share` of the
 * listeners are taken out together with up to `cap` failures each (the most a listener's failures count per minute).
 */
export function trimmedAvailability(
  n: number,
  e: number,
  ln: number,
  lf: number,
  cap: number,
  share = TRIM_SHARE,
): { n: number; e: number } {
  if (ln <= 0) return { n, e };
  const trimmed = Math.min(lf, Math.floor(ln * share));
  const samples = Math.min(e, trimmed * cap);
  return { n: Math.max(0, n - samples), e: Math.max(0, e - samples) };
}
