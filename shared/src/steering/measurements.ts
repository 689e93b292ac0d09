/**
 * Measured quality per region x CDN, as players report it (QoE samples from the events pipeline, `_HLS_throughput`
 * from steering reloads). Samples are summed into one-minute buckets with atomic integer increments (so concurrent
 * writers never lose one), and everything else is derived when read: time-decayed averages (EWMAs) with their
 * decayed sample counts, and each CDN's health (up, down, trial) replayed from the bucket history, so hysteresis
 * needs no stored state. The same functions serve Redis (store.ts) and the in-memory world of the benchmark.
 */
import { CDN_IDS, type CdnId } from "../cdn/cdn-id";
import type { SteeringThresholds } from "./config";
import {
  BIN_COUNT,
  BIN_METRICS,
  type BinSums,
  binOf,
  THROUGHPUT_BIN_BOUNDS_BPS,
  TTFB_BIN_BOUNDS_MS,
  trimmedAvailability,
  trimmedSums,
} from "./robust";

/** A listener's good fetches that count per region x CDN x minute (players fetch about 10 segments a minute). */
export const LISTENER_SAMPLES_PER_MINUTE = 4;
/** A listener's failed fetches that count per region x CDN x minute (a player fails over after one or two). */
export const LISTENER_FAILURES_PER_MINUTE = 2;

export const BUCKET_MS = 60_000;
/** Buckets kept per region: enough for the longest hysteresis (10 min) and a trial after it. */
export const RETENTION_BUCKETS = 20;
/** The segment used to turn throughput into time: 6 s of 256 kbps audio. */
export const NOMINAL_SEGMENT_BITS = 6 * 256_000;

export interface QoeSample {
  /** ISO 3166-1 alpha-2 country of the client (request.cf.country). */
  country: string;
  /** Continent code of the client (request.cf.continent). */
  continent: string;
  cdn: CdnId;
  /** Time to first byte of the segment, ms; absent when the fetch failed. */
  ttfbMs?: number | null;
  /** Throughput of the transfer, bits/s; absent when the fetch failed. */
  throughputBps?: number | null;
  /** Bytes delivered (counted into the month-to-date volume of the CDN). */
  bytes: number;
  error: boolean;
  /** Epoch ms of the fetch. */
  at: number;
  /**
   * Who reported it (account id), when known: each listener's weight per region x CDN x minute is capped and health
   * needs a majority of reporting listeners to see failures (store.ts). Unknown: every sample counts on its own.
   */
  listener?: string;
}

/**
 * One minute of one CDN in one region: `n` fetches (of which `e` failed), `tn` TTFBs summing `ts` ms with squares
 * summing `tq` (for the spread), `xb` bytes moved in `xu` µs; `ln` distinct listeners that reported (when known), of
 * which `lf` saw a failure.
 */
export interface Bucket {
  minute: number;
  n: number;
  e: number;
  tn: number;
  ts: number;
  tq: number;
  xb: number;
  xu: number;
  ln?: number;
  lf?: number;
  /** Value bins (robust.ts), present where the listener was known: metric name -> count or sum. */
  h?: Record<string, number>;
}
const METRICS = ["n", "e", "tn", "ts", "tq", "xb", "xu", "ln", "lf"] as const;
type Metric = (typeof METRICS)[number];
const BIN_SET: ReadonlySet<string> = new Set(BIN_METRICS);

export type RegionSeries = Partial<Record<CdnId, Bucket[]>>;

/** The integer increments a sample adds to its bucket: `[field, amount]`, fields named `<minute>:<cdn>:<metric>`. */
export function sampleIncrements(
  sample: QoeSample,
  kind: "fetch" | "throughput-report" = "fetch",
): Array<[string, number]> {
  const prefix = `${Math.floor(sample.at / BUCKET_MS)}:${sample.cdn}:`;
  const out: Array<[string, number]> = [];
  if (kind === "fetch") {
    out.push([`${prefix}n`, 1]);
    if (sample.error) out.push([`${prefix}e`, 1]);
  }
  if (!sample.error && sample.ttfbMs != null) {
    const ms = Math.round(sample.ttfbMs);
    out.push([`${prefix}tn`, 1], [`${prefix}ts`, ms], [`${prefix}tq`, ms * ms]);
    if (sample.listener) {
      const bin = binOf(ms, TTFB_BIN_BOUNDS_MS);
      out.push([`${prefix}t${bin}n`, 1], [`${prefix}t${bin}s`, ms], [`${prefix}t${bin}q`, ms * ms]);
    }
  }
  if (!sample.error && sample.throughputBps != null && sample.throughputBps > 0) {
    // Throughput is summed as bytes over time so the average is the harmonic mean (what a transfer actually takes).
    const bytes = sample.bytes > 0 && kind === "fetch" ? sample.bytes : NOMINAL_SEGMENT_BITS / 8;
    const micros = Math.max(1, Math.round((bytes * 8 * 1e6) / sample.throughputBps));
    out.push([`${prefix}xb`, Math.round(bytes)], [`${prefix}xu`, micros]);
    if (sample.listener) {
      const bin = binOf(sample.throughputBps, THROUGHPUT_BIN_BOUNDS_BPS);
      out.push([`${prefix}x${bin}n`, 1], [`${prefix}x${bin}b`, Math.round(bytes)], [`${prefix}x${bin}u`, micros]);
    }
  }
  return out;
}

/** Field names of one minute, for deleting buckets that aged out. */
export function bucketFields(minute: number): string[] {
  return CDN_IDS.flatMap((cdn) => [...METRICS, ...BIN_METRICS].map((m) => `${minute}:${cdn}:${m}`));
}

/** A region hash (field -> count) as Redis or the benchmark holds it -> buckets per CDN, oldest first, recent only. */
export function parseRegionHash(hash: Record<string, unknown> | null | undefined, now: number): RegionSeries {
  const series: RegionSeries = {};
  if (!hash) return series;
  const current = Math.floor(now / BUCKET_MS);
  const byKey = new Map<string, Bucket>();
  for (const field in hash) {
    const first = field.indexOf(":");
    const second = field.indexOf(":", first + 1);
    const minute = Number(field.slice(0, first));
    if (!Number.isInteger(minute) || minute > current || minute <= current - RETENTION_BUCKETS) continue;
    const cdn = field.slice(first + 1, second);
    const metric = field.slice(second + 1);
    if (!CDN_SET.has(cdn) || !(METRIC_SET.has(metric) || BIN_SET.has(metric))) continue;
    const value = Number(hash[field]);
    if (!Number.isFinite(value)) continue;
    const key = field.slice(0, second);
    let bucket = byKey.get(key);
    if (!bucket) {
      bucket = { minute, n: 0, e: 0, tn: 0, ts: 0, tq: 0, xb: 0, xu: 0, ln: 0, lf: 0 };
      byKey.set(key, bucket);
      const list = series[cdn as CdnId];
      if (list) list.push(bucket);
      else series[cdn as CdnId] = [bucket];
    }
    if (BIN_SET.has(metric)) {
      bucket.h ??= {};
      bucket.h[metric] = (bucket.h[metric] ?? 0) + value;
    } else bucket[metric as Metric] = (bucket[metric as Metric] ?? 0) + value;
  }
  for (const list of Object.values(series)) list.sort(byMinute);
  return series;
}

const CDN_SET: ReadonlySet<string> = new Set(CDN_IDS);
const METRIC_SET: ReadonlySet<string> = new Set(METRICS);
const byMinute = (a: Bucket, b: Bucket) => a.minute - b.minute;

export type HealthStatus = "up" | "down" | "trial";
export interface Health {
  status: HealthStatus;
  /** Down: when it went down. Trial: when the trial began. */
  since?: number;
  /** Down: when the trial will begin. */
  trialAt?: number;
}

export interface CdnMeasure {
  /** Decayed count of fetches behind the estimates. */
  samples: number;
  /** Share of recent fetches that succeeded (decays with HEALTH_HALF_LIFE_MS). */
  availability?: number;
  ttfbMs?: number;
  /** The slow end of TTFB: mean + 1.645 standard deviations (about the 95th percentile). */
  ttfbTailMs?: number;
  throughputBps?: number;
  /**
   * Estimated time to fetch a nominal segment on a slow fetch: tail TTFB plus transfer at the measured throughput.
   * Scored on the tail because stalls come from slow segments, not average ones.
   */
  segmentMs?: number;
  health: Health;
}

/**
 * Availability for health decisions decays fast: when a CDN fails, players fail over after one error each, so the
 * errors arrive as one short wave; against minutes of earlier successes it would never cross the threshold.
 */
export const HEALTH_HALF_LIFE_MS = 15_000;

/**
 * Failures that must be seen before a CDN is taken out. Health is judged on few samples (a CDN carrying only its
 * exploration share still gets caught), so a single unlucky error must not be enough.
 */
export const MIN_FAILURES = 3;

/**
 * Where listeners are known, a CDN goes down only when at least this share of the listeners reporting on it saw a
 * failure: the median listener's experience, which a few accounts flooding errors cannot move (each listener's samples
 * are capped, store.ts). A real outage fails every listener on the CDN.
 */
export const FAILING_LISTENER_SHARE = 0.5;

/** The minimum samples that decide health: to take a CDN out, and whether one coming back stays. */
export function trialSamples(t: SteeringThresholds): number {
  return Math.max(3, Math.ceil(t.minSamples / 4));
}

/**
 * Decayed estimates and health of one CDN in one region from its buckets. Health replays the buckets in order: up
 * goes down when recent availability falls below the threshold (with at least `trialSamples` samples and
 * `MIN_FAILURES` failures); down becomes trial after the
 * hysteresis window; a trial's own samples (those after it began) send it up or back down.
 */
export function measureCdn(buckets: Bucket[] | undefined, now: number, t: SteeringThresholds): CdnMeasure {
  const halfLife = t.halfLifeSeconds * 1000;
  const healthHalfLife = HEALTH_HALF_LIFE_MS;
  const hysteresis = t.hysteresisSeconds * 1000;
  const threshold = t.availabilityPercent / 100;
  const minTrial = trialSamples(t);
  let n = 0;
  let e = 0;
  let ln = 0;
  let lf = 0;
  let last: number | undefined;
  let health: Health = { status: "up" };
  let trial = { n: 0, e: 0, ln: 0, lf: 0 };
  const cap = LISTENER_FAILURES_PER_MINUTE;
  const h: Record<string, number> = {};
  let qn = 0;
  let tn = 0;
  let ts = 0;
  let tq = 0;
  let xb = 0;
  let xu = 0;
  for (const b of buckets ?? []) {
    const start = b.minute * BUCKET_MS;
    if (start > now) break;
    const end = Math.min(start + BUCKET_MS, now);
    if (health.status === "down" && start >= (health.since ?? 0) + hysteresis) {
      health = { status: "trial", since: (health.since ?? 0) + hysteresis };
      trial = { n: 0, e: 0, ln: 0, lf: 0 };
    }
    if (last !== undefined) {
      const f = 2 ** (-(end - last) / healthHalfLife);
      n *= f;
      e *= f;
      ln *= f;
      lf *= f;
    }
    last = end;
    n += b.n;
    e += b.e;
    ln += b.ln ?? 0;
    lf += b.lf ?? 0;
    if (health.status === "up") {
      const r = trimmedAvailability(n, e, ln, lf, cap);
      const manyFailing = ln <= 0 || lf / ln >= FAILING_LISTENER_SHARE;
      if (r.n >= minTrial && r.e >= MIN_FAILURES && (r.n - r.e) / r.n < threshold && manyFailing) {
        health = { status: "down", since: end };
      }
    } else if (health.status === "trial") {
      trial.n += b.n;
      trial.e += b.e;
      trial.ln += b.ln ?? 0;
      trial.lf += b.lf ?? 0;
      const r = trimmedAvailability(trial.n, trial.e, trial.ln, trial.lf, cap);
      if (r.n >= minTrial) {
        const manyFailing = trial.ln <= 0 || trial.lf / trial.ln >= FAILING_LISTENER_SHARE;
        if ((r.n - r.e) / r.n < threshold && manyFailing) health = { status: "down", since: end };
        else {
          health = { status: "up" };
          n = trial.n;
          e = trial.e;
          ln = trial.ln;
          lf = trial.lf;
        }
      }
    }
    const w = 2 ** (-(now - end) / halfLife);
    qn += b.n * w;
    tn += b.tn * w;
    ts += b.ts * w;
    tq += b.tq * w;
    xb += b.xb * w;
    xu += b.xu * w;
    for (const metric in b.h) h[metric] = (h[metric] ?? 0) + (b.h[metric] ?? 0) * w;
  }
  if (last !== undefined && last < now) {
    const f = 2 ** (-(now - last) / healthHalfLife);
    n *= f;
    e *= f;
    ln *= f;
    lf *= f;
  }
  if (health.status === "down") {
    const trialAt = (health.since ?? 0) + hysteresis;
    health = now >= trialAt ? { status: "trial", since: trialAt } : { ...health, trialAt };
  }
  // Where samples were binned (listeners known), the trimmed middle of the bins replaces them; the rest count as sent.
  const ttfb = robustSums(h, "t", ["n", "s", "q"], { n: tn, a: ts, b: tq });
  const transfer = robustSums(h, "x", ["n", "b", "u"], { n: 0, a: xb, b: xu });
  const ttfbMs = ttfb.n > 0 ? ttfb.a / ttfb.n : undefined;
  const ttfbTailMs =
    ttfbMs === undefined ? undefined : ttfbMs + 1.645 * Math.sqrt(Math.max(0, ttfb.b / ttfb.n - ttfbMs ** 2));
  const throughputBps = transfer.b > 0 ? (transfer.a * 8 * 1e6) / transfer.b : undefined;
  const avail = trimmedAvailability(n, e, ln, lf, cap);
  const segmentMs =
    ttfbTailMs === undefined && throughputBps === undefined
      ? undefined
      : (ttfbTailMs ?? 0) + (throughputBps ? (NOMINAL_SEGMENT_BITS / throughputBps) * 1000 : 0);
  return {
    samples: qn,
    availability: avail.n > 0 ? (avail.n - avail.e) / avail.n : undefined,
    ttfbMs,
    ttfbTailMs,
    throughputBps,
    segmentMs,
    health,
  };
}

/**
 * Totals with the binned samples replaced by their trimmed middle: `all` holds every sample's sums (count, a, b),
 * the bins (`<p><i><f>`) the binned ones; what is not binned counts untrimmed. For throughput the count is taken from
 * the bins only (the plain sums never counted transfers).
 */
function robustSums(
  h: Record<string, number>,
  prefix: "t" | "x",
  fields: [string, string, string],
  all: BinSums,
): BinSums {
  const bins: BinSums[] = [];
  const binned: BinSums = { n: 0, a: 0, b: 0 };
  for (let i = 0; i < BIN_COUNT; i++) {
    const bin = {
      n: h[`${prefix}${i}${fields[0]}`] ?? 0,
      a: h[`${prefix}${i}${fields[1]}`] ?? 0,
      b: h[`${prefix}${i}${fields[2]}`] ?? 0,
    };
    bins.push(bin);
    binned.n += bin.n;
    binned.a += bin.a;
    binned.b += bin.b;
  }
  if (binned.n <= 0) return all;
  const kept = trimmedSums(bins);
  return {
    n: Math.max(0, all.n - binned.n) + kept.n,
    a: Math.max(0, all.a - binned.a) + kept.a,
    b: Math.max(0, all.b - binned.b) + kept.b,
  };
}
