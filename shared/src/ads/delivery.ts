/**
 * Delivery state in Redis, changed only by atomic Lua scripts so concurrent decisions and beacons can never
 * over-deliver: a pod is reserved in one script (budgets, pacing ceiling, frequency caps, competitive separation,
 * then the reservation itself), and a beacon is deduped and booked in another (spend at impression, release at
 * `notUsed`). Reservations that see neither expire and are released by the next decision for that campaign.
 *
 * Runs with any `@upstash/redis` client (workerd or Node), so the pacing simulation and the worker share one code path.
 */
import { adBeaconSeenKey, adDeliveryKey, adFrequencyKey, adReservationsKey, adServeKey, adStatsKey } from "./keys";
import type { BeaconEvent } from "./model";

/** The slice of the `@upstash/redis` client this module needs (the Node and Cloudflare builds both have it). */
export interface DeliveryRedis {
  createScript<T = unknown>(script: string): { exec(keys: string[], args: string[]): Promise<T> };
}

export type SkipReason = "duration" | "separation" | "budget" | "daily-budget" | "pacing" | "frequency";

export interface PodCandidate {
  adServingId: string;
  campaignId: string;
  creativeId: string;
  priceMilli: number;
  durationMs: number;
  /** -1 when the campaign has no daily budget. */
  dailyCeilingMilli: number;
  totalCeilingMilli: number;
  dailyBudgetMilli: number;
  totalBudgetMilli: number;
  caps: Array<{ count: number; windowMs: number }>;
  /** Competitive separation keys: two candidates sharing one never land in the same pod. */
  separation: string[];
}

export interface PodRequest {
  now: number;
  day: string;
  listener: string;
  /** The playback session the break is for (or a VAST-only id), kept for the events the beacons send. */
  session: string;
  trackId: string;
  maxAds: number;
  maxDurationMs: number;
  reservationTtlMs: number;
  candidates: PodCandidate[];
}

export interface PodReservation {
  /** Indexes into `candidates` of the reserved ads, in pod order. */
  picks: number[];
  /** Why each candidate was passed over ("" for picked or not reached). */
  reasons: Array<SkipReason | "">;
}

/** Seconds a serve record lives: beacons for an ad are accepted this long after the decision. */
export const SERVE_TTL_SECONDS = 24 * 3600;
/** Dedupe markers outlive the serve records so a late replay is still a duplicate. */
export const SEEN_TTL_SECONDS = 48 * 3600;
/** Daily stats are kept for reports this long. */
export const STATS_TTL_SECONDS = 400 * 24 * 3600;

const KEYS_PER_CANDIDATE = 5;
const ARGS_PER_CANDIDATE = 11;

const RESERVE_POD = `
local now = tonumber(ARGV[1])
local dayField = 'd:' .. ARGV[2]
local maxAds = tonumber(ARGV[3])
local room = tonumber(ARGV[4])
local resTtl = tonumber(ARGV[5])
local serveTtl = tonumber(ARGV[6])
local statsTtl = tonumber(ARGV[7])
local listener = ARGV[8]
local n = tonumber(ARGV[9])
local session, track = ARGV[10], ARGV[11]
local taken = {}
local picks = {}
local reasons = {}
for i = 1, n do
  reasons[i] = ''
end
for i = 1, n do
  if #picks >= maxAds then break end
  local a = 11 + (i - 1) * ${ARGS_PER_CANDIDATE}
  local k = (i - 1) * ${KEYS_PER_CANDIDATE}
  local servingId, cid, crid = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local price, dur = tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  local dailyCeil, totalCeil = tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7])
  local dailyBudget, totalBudget = tonumber(ARGV[a + 8]), tonumber(ARGV[a + 9])
  local caps, sep = ARGV[a + 10], ARGV[a + 11]
  local kDel, kRes, kFreq, kStats, kServe = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5]
  local reason = nil
  if dur > room then reason = 'duration' end
  if not reason then
    for s in string.gmatch(sep, '[^|]+') do
      if taken[s] then reason = 'separation' break end
    end
  end
  if not reason then
    local expired = redis.call('ZRANGEBYSCORE', kRes, '-inf', now)
    if #expired > 0 then
      local freed = 0
      for _, m in ipairs(expired) do freed = freed + tonumber(string.match(m, '|(%d+)$')) end
      redis.call('ZREMRANGEBYSCORE', kRes, '-inf', now)
      redis.call('HINCRBY', kDel, 'res', -freed)
    end
    local d = redis.call('HMGET', kDel, 'spent', 'res', dayField)
    local spent, res, spentDay = tonumber(d[1]) or 0, tonumber(d[2]) or 0, tonumber(d[3]) or 0
    if spent + res + price > totalBudget then reason = 'budget'
    elseif dailyBudget >= 0 and spentDay + res + price > dailyBudget then reason = 'daily-budget'
    elseif spent + res + price > totalCeil then reason = 'pacing'
    elseif dailyCeil >= 0 and spentDay + res + price > dailyCeil then reason = 'pacing'
    end
  end
  local longest = 0
  if not reason and caps ~= '' then
    for _, win in string.gmatch(caps, '(%d+):(%d+)') do
      if tonumber(win) > longest then longest = tonumber(win) end
    end
    redis.call('ZREMRANGEBYSCORE', kFreq, '-inf', now - longest)
    for count, win in string.gmatch(caps, '(%d+):(%d+)') do
      if redis.call('ZCOUNT', kFreq, '(' .. (now - tonumber(win)), '+inf') >= tonumber(count) then
        reason = 'frequency'
        break
      end
    end
  end
  if reason then
    reasons[i] = reason
  else
    redis.call('HINCRBY', kDel, 'res', price)
    redis.call('ZADD', kRes, now + resTtl, servingId .. '|' .. price)
    if caps ~= '' then
      redis.call('ZADD', kFreq, now, servingId)
      redis.call('PEXPIRE', kFreq, longest)
    end
    redis.call('HINCRBY', kStats, 'served', 1)
    redis.call('EXPIRE', kStats, statsTtl)
    redis.call('HSET', kServe, 'c', cid, 'cr', crid, 'p', price, 'st', 'reserved', 'tb', totalBudget,
      'db', dailyBudget, 'at', now, 'fk', (caps ~= '' and kFreq or ''), 'l', listener, 's', session, 't', track)
    redis.call('EXPIRE', kServe, serveTtl)
    room = room - dur
    for s in string.gmatch(sep, '[^|]+') do taken[s] = true end
    picks[#picks + 1] = i - 1
  end
end
return cjson.encode({ picks = picks, reasons = reasons })
`;

/** KEYS: serve, seen, delivery, reservations, stats. ARGV: adServingId, event, now, day, seenTtl, statsTtl. */
const BOOK_BEACON = `
local s = redis.call('HMGET', KEYS[1], 'st', 'p', 'tb', 'db', 'fk', 'cr', 'l', 's', 't')
if not s[1] then return cjson.encode({ outcome = 'unknown' }) end
local ctx = { creative = s[6], listener = s[7], session = s[8], track = s[9] }
if not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'EX', tonumber(ARGV[5])) then
  return cjson.encode({ outcome = 'duplicate', ctx = ctx })
end
local id, event, dayField = ARGV[1], ARGV[2], 'd:' .. ARGV[4]
local state, price = s[1], tonumber(s[2])
local statsTtl = tonumber(ARGV[6])
local member = id .. '|' .. price
local function stat(field, by)
  redis.call('HINCRBY', KEYS[5], field, by)
  redis.call('EXPIRE', KEYS[5], statsTtl)
end
if event == 'impression' then
  if state ~= 'reserved' then return cjson.encode({ outcome = 'ignored', state = state, ctx = ctx }) end
  if redis.call('ZREM', KEYS[4], member) == 1 then redis.call('HINCRBY', KEYS[3], 'res', -price) end
  -- Book what the budgets still allow: an impression whose reservation already expired must not overspend.
  local d = redis.call('HMGET', KEYS[3], 'spent', dayField)
  local amount = math.min(price, tonumber(s[3]) - (tonumber(d[1]) or 0))
  if tonumber(s[4]) >= 0 then amount = math.min(amount, tonumber(s[4]) - (tonumber(d[2]) or 0)) end
  if amount < 0 then amount = 0 end
  redis.call('HINCRBY', KEYS[3], 'spent', amount)
  redis.call('HINCRBY', KEYS[3], dayField, amount)
  redis.call('HSET', KEYS[1], 'st', 'booked')
  stat('impression', 1)
  stat('spend', amount)
  return cjson.encode({ outcome = 'counted', spend = amount, ctx = ctx })
end
if event == 'notUsed' or event == 'error' then
  if state == 'reserved' then
    if redis.call('ZREM', KEYS[4], member) == 1 then redis.call('HINCRBY', KEYS[3], 'res', -price) end
    if s[5] and s[5] ~= '' then redis.call('ZREM', s[5], id) end
    redis.call('HSET', KEYS[1], 'st', 'released')
    stat(event, 1)
    return cjson.encode({ outcome = 'counted', released = price, ctx = ctx })
  end
  if event == 'notUsed' then return cjson.encode({ outcome = 'ignored', state = state, ctx = ctx }) end
  stat(event, 1)
  return cjson.encode({ outcome = 'counted', ctx = ctx })
end
if state == 'released' then return cjson.encode({ outcome = 'ignored', state = state, ctx = ctx }) end
stat(event, 1)
return cjson.encode({ outcome = 'counted', ctx = ctx })
`;

export interface BeaconOutcome {
  outcome: "counted" | "duplicate" | "unknown" | "ignored";
  /** What the ad was served for (absent for unknown ids). */
  ctx?: { creative: string; listener: string; session: string; track: string };
  /** Milli-minor units booked at impression. */
  spend?: number;
  released?: number;
  state?: string;
}

interface Scripts {
  reservePod: { exec(keys: string[], args: string[]): Promise<unknown> };
  bookBeacon: { exec(keys: string[], args: string[]): Promise<unknown> };
}

const scriptCache = new WeakMap<DeliveryRedis, Scripts>();

function scriptsFor(redis: DeliveryRedis): Scripts {
  let scripts = scriptCache.get(redis);
  if (!scripts) {
    scripts = { reservePod: redis.createScript(RESERVE_POD), bookBeacon: redis.createScript(BOOK_BEACON) };
    scriptCache.set(redis, scripts);
  }
  return scripts;
}

/** Reserves a pod atomically: walks the ranked candidates and reserves those that pass every guard. */
export async function reservePod(redis: DeliveryRedis, request: PodRequest): Promise<PodReservation> {
  const keys: string[] = [];
  const args: string[] = [
    String(request.now),
    request.day,
    String(request.maxAds),
    String(request.maxDurationMs),
    String(request.reservationTtlMs),
    String(SERVE_TTL_SECONDS),
    String(STATS_TTL_SECONDS),
    request.listener,
    String(request.candidates.length),
    request.session,
    request.trackId,
  ];
  for (const c of request.candidates) {
    keys.push(
      adDeliveryKey(c.campaignId),
      adReservationsKey(c.campaignId),
      adFrequencyKey(c.campaignId, request.listener),
      adStatsKey(c.campaignId, request.day),
      adServeKey(c.adServingId),
    );
    args.push(
      c.adServingId,
      c.campaignId,
      c.creativeId,
      String(c.priceMilli),
      String(c.durationMs),
      String(c.dailyCeilingMilli),
      String(c.totalCeilingMilli),
      String(c.dailyBudgetMilli),
      String(c.totalBudgetMilli),
      c.caps.map((cap) => `${cap.count}:${cap.windowMs}`).join(","),
      c.separation.map((s) => s.replaceAll("|", "/")).join("|"),
    );
  }
  const raw = await scriptsFor(redis).reservePod.exec(keys, args);
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as {
    picks: number[] | Record<string, never>;
    reasons: Array<SkipReason | ""> | Record<string, never>;
  };
  return {
    picks: Array.isArray(parsed.picks) ? parsed.picks : [],
    reasons: Array.isArray(parsed.reasons) ? parsed.reasons : [],
  };
}

/** Dedupes and books one beacon: counted once per AdServingId and event, whatever the number of requests. */
export async function bookBeacon(
  redis: DeliveryRedis,
  beacon: { adServingId: string; campaignId: string; event: BeaconEvent; now: number; day: string },
): Promise<BeaconOutcome> {
  const raw = await scriptsFor(redis).bookBeacon.exec(
    [
      adServeKey(beacon.adServingId),
      adBeaconSeenKey(beacon.adServingId, beacon.event),
      adDeliveryKey(beacon.campaignId),
      adReservationsKey(beacon.campaignId),
      adStatsKey(beacon.campaignId, beacon.day),
    ],
    [
      beacon.adServingId,
      beacon.event,
      String(beacon.now),
      beacon.day,
      String(SEEN_TTL_SECONDS),
      String(STATS_TTL_SECONDS),
    ],
  );
  return (typeof raw === "string" ? JSON.parse(raw) : raw) as BeaconOutcome;
}
