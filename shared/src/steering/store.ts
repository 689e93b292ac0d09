/**
 * Steering state in Redis (Upstash REST): the ops config (one versioned JSON document, replaced only by a
 * compare-and-set on its version), measurements per region as one-minute buckets of integer counters (HINCRBY, so
 * concurrent writers from the events pipeline and every steering reload never lose a sample), month-to-date bytes per
 * CDN for commits, and probe states. Everything the edge needs for one client region is read in one pipeline.
 */
import type { Redis } from "@upstash/redis/cloudflare";
import { CDN_IDS, type CdnId } from "../cdn/cdn-id";
import { DEFAULT_STEERING_CONFIG, parseStoredConfig, type SteeringConfig } from "./config";
import { monthOf } from "./cost";
import {
  BUCKET_MS,
  bucketFields,
  LISTENER_FAILURES_PER_MINUTE,
  LISTENER_SAMPLES_PER_MINUTE,
  parseRegionHash,
  type QoeSample,
  RETENTION_BUCKETS,
  sampleIncrements,
} from "./measurements";
import { type ProbeState, parseProbeStates } from "./probes";
import { type ClientRegion, isContinent, isCountry } from "./regions";
import type { SteeringView } from "./steer";

export type SteeringRedis = Pick<
  Redis,
  "pipeline" | "get" | "eval" | "hgetall" | "hset" | "smembers" | "hkeys" | "hdel" | "srem"
>;

export const steeringKeys = {
  config: "steering:config",
  quality: (level: "country" | "continent", code: string) => `steering:q:${level}:${code}`,
  /** Set of the quality hashes that exist, for ops listings and the janitor. */
  regions: "steering:regions",
  /** Month-to-date bytes per CDN, written only from what the CDNs served (playback/served-media.ts). */
  usage: (month: string) => `steering:usage:${month}`,
  probes: "steering:probes",
};

const QUALITY_KEY_TTL_SECONDS = 3600;

/** `_HLS_throughput` reports that count per listener x region x CDN x minute. */
export const LISTENER_THROUGHPUT_REPORTS_PER_MINUTE = 2;
const capKey = (minute: number, country: string, cdn: string, listener: string, what: "n" | "e" | "r") =>
  `steering:cap:${minute}:${country}:${cdn}:${what}:${listener}`;
const MAX_SAMPLE_AGE_MS = 31 * 24 * 3600 * 1000;
const MAX_CLOCK_AHEAD_MS = 60_000;

export interface RecordResult {
  /** Samples accepted (into quality buckets if recent, always into month-to-date volume). */
  recorded: number;
  /** Samples refused, with why (never dropped silently). */
  rejected: Array<{ index: number; reason: string }>;
}

/** Why a sample cannot be recorded, or undefined if it can. */
export function sampleProblem(s: QoeSample, now: number): string | undefined {
  if (!s || typeof s !== "object") return "not an object";
  if (!isCountry(s.country)) return `country ${JSON.stringify(s.country)} is not an ISO 3166-1 alpha-2 code`;
  if (!isContinent(s.continent)) return `continent ${JSON.stringify(s.continent)} is not one of AF AN AS EU NA OC SA`;
  if (!(CDN_IDS as readonly string[]).includes(s.cdn))
    return `cdn ${JSON.stringify(s.cdn)} is not one of ${CDN_IDS.join(", ")}`;
  if (typeof s.error !== "boolean") return "error must be a boolean";
  if (!Number.isSafeInteger(s.bytes) || s.bytes < 0) return "bytes must be a non-negative integer";
  if (s.ttfbMs != null && !(Number.isFinite(s.ttfbMs) && s.ttfbMs >= 0 && s.ttfbMs <= 600_000)) {
    return "ttfbMs must be between 0 and 600000";
  }
  if (
    s.throughputBps != null &&
    !(Number.isFinite(s.throughputBps) && s.throughputBps > 0 && s.throughputBps <= 1e12)
  ) {
    return "throughputBps must be a positive number of bits per second";
  }
  if (!Number.isFinite(s.at)) return "at must be epoch milliseconds";
  if (s.at > now + MAX_CLOCK_AHEAD_MS) return "at is in the future";
  if (s.at < now - MAX_SAMPLE_AGE_MS) return "at is more than 31 days old";
  return undefined;
}

/**
 * Records QoE samples from players (the events pipeline calls this with each batch it accepted; duplicates must
 * already be removed, as each call counts every sample). Recent samples go into the time-decayed measurements of
 * their country and continent. A sample naming its listener counts only within the listener's cap per region x CDN x
 * minute (LISTENER_SAMPLES_PER_MINUTE, one extra round trip), and marks the listener as reporting (and failing) there.
 * Players' bytes never count toward commit usage: that comes from what the CDNs served (playback/served-media.ts).
 */
export async function recordQoeSamples(
  redis: SteeringRedis,
  samples: QoeSample[],
  now: number = Date.now(),
): Promise<RecordResult> {
  const rejected: RecordResult["rejected"] = [];
  const accepted: QoeSample[] = [];
  samples.forEach((sample, index) => {
    const problem = sampleProblem(sample, now);
    if (problem) rejected.push({ index, reason: problem });
    else accepted.push(sample);
  });
  const { admitted, listenerMarks } = await capListeners(redis, accepted);
  await writeSamples(redis, admitted, "fetch", now, listenerMarks);
  return { recorded: accepted.length, rejected };
}

/**
 * Applies each listener's caps (atomic INCRBY per listener x region x CDN x minute, so concurrent writers agree):
 * successes and failures are capped apart, so a listener that already reported its share of good segments this minute
 * still reports the failure when its CDN goes down.
 */
async function capListeners(
  redis: SteeringRedis,
  samples: QoeSample[],
): Promise<{ admitted: QoeSample[]; listenerMarks: Array<[QoeSample, "ln" | "lf"]> }> {
  const groups = new Map<string, { okKey: string; errKey: string; ok: QoeSample[]; failed: QoeSample[] }>();
  const admitted: QoeSample[] = [];
  for (const s of samples) {
    if (!s.listener) {
      admitted.push(s);
      continue;
    }
    const minute = Math.floor(s.at / BUCKET_MS);
    const okKey = capKey(minute, s.country, s.cdn, s.listener, "n");
    const group = groups.get(okKey) ?? {
      okKey,
      errKey: capKey(minute, s.country, s.cdn, s.listener, "e"),
      ok: [],
      failed: [],
    };
    (s.error ? group.failed : group.ok).push(s);
    groups.set(okKey, group);
  }
  const listenerMarks: Array<[QoeSample, "ln" | "lf"]> = [];
  if (groups.size === 0) return { admitted, listenerMarks };
  const p = redis.pipeline();
  const list = [...groups.values()];
  for (const g of list) {
    p.incrby(g.okKey, g.ok.length);
    p.expire(g.okKey, 180);
    p.incrby(g.errKey, g.failed.length);
    p.expire(g.errKey, 180);
  }
  const replies = (await p.exec()) as unknown[];
  list.forEach((g, i) => {
    const okBefore = Number(replies[i * 4]) - g.ok.length;
    const errBefore = Number(replies[i * 4 + 2]) - g.failed.length;
    const room = (cap: number, before: number, n: number) => Math.max(0, Math.min(n, cap - before));
    admitted.push(...g.ok.slice(0, room(LISTENER_SAMPLES_PER_MINUTE, okBefore, g.ok.length)));
    admitted.push(...g.failed.slice(0, room(LISTENER_FAILURES_PER_MINUTE, errBefore, g.failed.length)));
    const first = (g.ok[0] ?? g.failed[0]) as QoeSample;
    if (okBefore + errBefore === 0) listenerMarks.push([first, "ln"]);
    if (g.failed.length > 0 && errBefore === 0) listenerMarks.push([g.failed[0] as QoeSample, "lf"]);
  });
  return { admitted, listenerMarks };
}

/**
 * Records a player's `_HLS_throughput` on its `_HLS_pathway` (a throughput measurement, not a fetch). With the
 * listener known, at most `LISTENER_THROUGHPUT_REPORTS_PER_MINUTE` of its reports count per region x CDN x minute
 * (a player reloads once per manifest TTL; one that reloads in a loop gains nothing).
 */
export async function recordThroughputReport(
  redis: SteeringRedis,
  report: { country: string; continent: string; cdn: CdnId; throughputBps: number; at: number; listener?: string },
): Promise<void> {
  const sample: QoeSample = { ...report, bytes: 0, error: false };
  const problem = sampleProblem(sample, report.at);
  if (problem) throw new RangeError(problem);
  if (report.listener) {
    const key = capKey(Math.floor(report.at / BUCKET_MS), report.country, report.cdn, report.listener, "r");
    const p = redis.pipeline();
    p.incr(key);
    p.expire(key, 180);
    const [count] = (await p.exec()) as [number, unknown];
    if (Number(count) > LISTENER_THROUGHPUT_REPORTS_PER_MINUTE) return;
  }
  await writeSamples(redis, [sample], "throughput-report", report.at);
}

async function writeSamples(
  redis: SteeringRedis,
  samples: QoeSample[],
  kind: "fetch" | "throughput-report",
  now: number,
  listenerMarks: Array<[QoeSample, "ln" | "lf"]> = [],
): Promise<void> {
  if (samples.length === 0 && listenerMarks.length === 0) return;
  const oldest = (Math.floor(now / BUCKET_MS) - RETENTION_BUCKETS + 1) * BUCKET_MS;
  const quality = new Map<string, Map<string, number>>();
  const add = (s: QoeSample, increments: Array<[string, number]>) => {
    if (s.at < oldest) return;
    for (const key of [steeringKeys.quality("country", s.country), steeringKeys.quality("continent", s.continent)]) {
      const fields = quality.get(key) ?? new Map<string, number>();
      for (const [field, amount] of increments) fields.set(field, (fields.get(field) ?? 0) + amount);
      quality.set(key, fields);
    }
  };
  for (const s of samples) add(s, sampleIncrements(s, kind));
  for (const [s, metric] of listenerMarks) add(s, [[`${Math.floor(s.at / BUCKET_MS)}:${s.cdn}:${metric}`, 1]]);
  if (quality.size === 0) return;
  const p = redis.pipeline();
  const expiredMinute = Math.floor(now / BUCKET_MS) - RETENTION_BUCKETS;
  for (const [key, fields] of quality) {
    for (const [field, amount] of fields) p.hincrby(key, field, amount);
    p.hdel(key, ...bucketFields(expiredMinute));
    p.expire(key, QUALITY_KEY_TTL_SECONDS);
    p.sadd(steeringKeys.regions, key);
  }
  await p.exec();
}

/** Everything steering needs for one client region, in one round trip. */
export async function readSteeringView(redis: SteeringRedis, region: ClientRegion, now: number): Promise<SteeringView> {
  const month = monthOf(now);
  const p = redis.pipeline();
  p.get(steeringKeys.config);
  p.hgetall(steeringKeys.quality("country", region.country));
  p.hgetall(steeringKeys.quality("continent", region.continent));
  p.hgetall(steeringKeys.probes);
  p.hgetall(steeringKeys.usage(month));
  const [config, country, continent, probes, usage] = (await p.exec()) as [
    unknown,
    Record<string, unknown> | null,
    Record<string, unknown> | null,
    Record<string, unknown> | null,
    Record<string, unknown> | null,
  ];
  return {
    config: parseStoredConfig(config) ?? DEFAULT_STEERING_CONFIG,
    country: parseRegionHash(country, now),
    continent: parseRegionHash(continent, now),
    probes: parseProbeStates(probes),
    usage: { month, bytes: parseUsage(usage) },
  };
}

function parseUsage(hash: Record<string, unknown> | null): Partial<Record<CdnId, number>> {
  const out: Partial<Record<CdnId, number>> = {};
  for (const cdn of CDN_IDS) {
    const value = Number(hash?.[cdn] ?? 0);
    if (Number.isFinite(value) && value > 0) out[cdn] = value;
  }
  return out;
}

export async function readSteeringConfig(redis: SteeringRedis): Promise<SteeringConfig> {
  return parseStoredConfig(await redis.get(steeringKeys.config)) ?? DEFAULT_STEERING_CONFIG;
}

// Replaces the config only if the stored version is the one the writer read. Returns -1 on success, else the
// version found.
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
local version = 0
if current then
  local ok, doc = pcall(cjson.decode, current)
  if ok and type(doc) == 'table' and tonumber(doc.version) then version = tonumber(doc.version) end
end
if version ~= tonumber(ARGV[2]) then return version end
redis.call('SET', KEYS[1], ARGV[1])
return -1`;

export type ConfigWrite = { ok: true } | { ok: false; currentVersion: number };

/** Writes `next` if the stored config is still at `expectedVersion`. */
export async function writeSteeringConfig(
  redis: SteeringRedis,
  next: SteeringConfig,
  expectedVersion: number,
): Promise<ConfigWrite> {
  const result = Number(
    await redis.eval(COMPARE_AND_SET, [steeringKeys.config], [JSON.stringify(next), String(expectedVersion)]),
  );
  return result === -1 ? { ok: true } : { ok: false, currentVersion: result };
}

export async function readProbeStates(redis: SteeringRedis): Promise<Partial<Record<CdnId, ProbeState>>> {
  return parseProbeStates(await redis.hgetall(steeringKeys.probes));
}

export async function writeProbeStates(
  redis: SteeringRedis,
  states: Partial<Record<CdnId, ProbeState>>,
): Promise<void> {
  const entries = Object.entries(states).map(([cdn, state]) => [cdn, JSON.stringify(state)]);
  if (entries.length > 0) await redis.hset(steeringKeys.probes, Object.fromEntries(entries));
}

/** The quality hashes that exist (`steering:q:country:DE`, ...), as region labels (`country:DE`). */
export async function measuredRegions(redis: SteeringRedis): Promise<string[]> {
  const keys = (await redis.smembers(steeringKeys.regions)) as string[];
  return keys.map((k) => k.replace(/^steering:q:/, "")).sort();
}

/** The janitor (run by the cron): removes buckets that aged out of every region hash. */
export async function sweepExpiredBuckets(redis: SteeringRedis, now: number): Promise<number> {
  const oldestKept = Math.floor(now / BUCKET_MS) - RETENTION_BUCKETS + 1;
  let removed = 0;
  for (const key of (await redis.smembers(steeringKeys.regions)) as string[]) {
    const fields = (await redis.hkeys(key)) as string[];
    const stale = fields.filter((f) => Number(f.split(":")[0]) < oldestKept);
    if (stale.length > 0) removed += await redis.hdel(key, ...stale);
    // A region whose hash expired (or emptied) leaves the listing.
    if (stale.length === fields.length) await redis.srem(steeringKeys.regions, key);
  }
  return removed;
}
