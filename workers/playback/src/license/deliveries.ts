/**
 * Counting licence deliveries and stopping unusual patterns, in one Lua script (one round trip, atomic): keys per
 * session (a session is one track, so a player asks for a handful: one per rendition it switches to), distinct tracks
 * keyed per account per clock hour (a listener hears perhaps twenty; a ripper asks for hundreds), and distinct
 * devices keyed per account per UTC day (one account shared across many devices). A delivery past a limit is refused
 * before it is counted; deliveries are also counted per account per day for reports. Refusals and abuse are recorded
 * (`recordRefusal`, `reportAbuse`): refusals per code, abuse for the fraud report.
 */
import {
  LICENSE_ABUSE_KEEP,
  LICENSE_ABUSE_KEY,
  type LicenseAbuseSignal,
  type LicenseLimitHit,
} from "@cadence/shared/drm/license-abuse";
import type { Redis } from "@upstash/redis/cloudflare";
import type { LicenseLimits } from "../core/config";

export type LimitHit = LicenseLimitHit;
export { LICENSE_ABUSE_KEY };
export type DeliveryOutcome =
  | { ok: true; sessionDeliveries: number; tracksThisHour: number; devicesToday: number }
  | { ok: false; limit: LimitHit; retryAfterSeconds: number };

const DAY_SECONDS = 86_400;

export const licenseSessionKey = (sessionId: string) => `drm:license:session:${sessionId}`;
export const licenseTracksKey = (sub: string, hour: number) => `drm:license:tracks:${sub}:${hour}`;
export const licenseDevicesKey = (sub: string, day: number) => `drm:license:devices:${sub}:${day}`;
/** Hash of an account's deliveries, one field per UTC day (`YYYY-MM-DD`). */
export const licenseAccountKey = (sub: string) => `drm:license:account:${sub}`;
/** Hash of refusals per problem code, one per UTC day. */
export const licenseRefusalsKey = (day: string) => `drm:license:refusals:${day}`;

// KEYS: session counter, account tracks this hour, account devices today, account deliveries hash.
// ARGV: track, device, session limit, tracks limit, devices limit, session ttl s, hour ttl s, day ttl s, day field.
const DELIVERY_SCRIPT = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[3]) then return {0, 'session', tonumber(ARGV[6])} end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 and redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[4]) then
  return {0, 'tracks', tonumber(ARGV[7])}
end
if redis.call('SISMEMBER', KEYS[3], ARGV[2]) == 0 and redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[5]) then
  return {0, 'devices', tonumber(ARGV[8])}
end
n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[7])
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[8])
redis.call('HINCRBY', KEYS[4], ARGV[9], 1)
redis.call('EXPIRE', KEYS[4], 40 * 86400)
return {1, n, redis.call('SCARD', KEYS[2]), redis.call('SCARD', KEYS[3])}
`;

interface Script<T> {
  exec(keys: string[], args: string[]): Promise<T>;
}
const scripts = new WeakMap<Redis, Script<unknown[]>>();

export async function countDelivery(
  redis: Redis,
  limits: LicenseLimits,
  delivery: {
    sessionId: string;
    sub: string;
    trackId: string;
    deviceId: string;
    sessionExpiresAt: number;
    now: number;
  },
): Promise<DeliveryOutcome> {
  let script = scripts.get(redis);
  if (!script) {
    script = redis.createScript<unknown[]>(DELIVERY_SCRIPT);
    scripts.set(redis, script);
  }
  const nowSeconds = Math.floor(delivery.now / 1000);
  const hour = Math.floor(nowSeconds / 3600);
  const day = Math.floor(nowSeconds / DAY_SECONDS);
  const result = await script.exec(
    [
      licenseSessionKey(delivery.sessionId),
      licenseTracksKey(delivery.sub, hour),
      licenseDevicesKey(delivery.sub, day),
      licenseAccountKey(delivery.sub),
    ],
    [
      delivery.trackId,
      delivery.deviceId,
      String(limits.deliveriesPerSession),
      String(limits.tracksPerHour),
      String(limits.devicesPerDay),
      String(Math.max(60, Math.ceil((delivery.sessionExpiresAt - delivery.now) / 1000) + 60)),
      String((hour + 1) * 3600 - nowSeconds),
      String((day + 1) * DAY_SECONDS - nowSeconds),
      utcDay(delivery.now),
    ],
  );
  if (Number(result[0]) === 1) {
    return {
      ok: true,
      sessionDeliveries: Number(result[1]),
      tracksThisHour: Number(result[2]),
      devicesToday: Number(result[3]),
    };
  }
  return { ok: false, limit: String(result[1]) as LimitHit, retryAfterSeconds: Math.max(1, Number(result[2])) };
}

export async function recordRefusal(redis: Redis, code: string, now: number): Promise<void> {
  const key = licenseRefusalsKey(utcDay(now));
  await redis
    .pipeline()
    .hincrby(key, code, 1)
    .expire(key, 40 * DAY_SECONDS)
    .exec();
}

/** Records a limit hit for the fraud report (origin/src/events/fraud/license-abuse.ts). */
export async function reportAbuse(redis: Redis, signal: LicenseAbuseSignal): Promise<void> {
  await redis
    .pipeline()
    .lpush(LICENSE_ABUSE_KEY, JSON.stringify(signal))
    .ltrim(LICENSE_ABUSE_KEY, 0, LICENSE_ABUSE_KEEP - 1)
    .exec();
}

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
