/**
 * Playback sessions in Redis (the record every feature reads: media playlists, the Cloudflare pathway, steering, ad
 * breaks), and the two abuse limits that guard minting them, in one round trip.
 *
 * `mintSession` runs one Lua script: count the account's mints over the last minute (sliding window; refused mints
 * do not count) and refuse past the limit; store the new session (TTL = its expiry + a minute); add it to the
 * account's sorted set of sessions; drop members whose records expired; and end the oldest live sessions beyond the
 * tier's concurrent limit by setting `endedAt`/`endedReason` in their records (their media playlists then answer 410
 * `session-ended`). Atomic, so two devices minting at once cannot both stay.
 */
import {
  accountSessionsKey,
  mintRateKey,
  type PlaybackSession,
  playbackSessionKey,
  SESSION_DISPLACED,
} from "@cadence/shared/playback/session";
import { base64url } from "@cadence/shared/trust/encoding";
import type { Redis } from "@upstash/redis/cloudflare";

interface Script<T> {
  exec(keys: string[], args: string[]): Promise<T>;
}

// KEYS: mint-rate zset, account-sessions zset, new session key.
// ARGV: mints per window, window s, concurrent limit, session JSON, session TTL s, now ms, session id, session key
// prefix, ended reason. Returns {0, retry-after s} when rate-limited, else {1, ended session ids...}.
const MINT_SCRIPT = `
local rateKey, accountKey, sessionKey = KEYS[1], KEYS[2], KEYS[3]
local mintLimit, window, concurrent = tonumber(ARGV[1]), tonumber(ARGV[2]) * 1000, tonumber(ARGV[3])
local sessionJson, ttl, now, id, prefix, reason = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7], ARGV[8], ARGV[9]

redis.call('ZREMRANGEBYSCORE', rateKey, '-inf', now - window)
if redis.call('ZCARD', rateKey) >= mintLimit then
  local oldest = redis.call('ZRANGE', rateKey, 0, 0, 'WITHSCORES')
  return {0, math.ceil((tonumber(oldest[2]) + window - now) / 1000)}
end
redis.call('ZADD', rateKey, now, id)
redis.call('PEXPIRE', rateKey, window)

redis.call('SET', sessionKey, sessionJson, 'EX', ttl)
redis.call('ZADD', accountKey, now, id)
if redis.call('TTL', accountKey) < ttl then redis.call('EXPIRE', accountKey, ttl) end

local live = {}
for _, member in ipairs(redis.call('ZRANGE', accountKey, 0, -1)) do
  local raw = redis.call('GET', prefix .. member)
  local session = raw and cjson.decode(raw)
  if session and not session.endedAt then table.insert(live, {member, session}) else redis.call('ZREM', accountKey, member) end
end
local ended = {1}
for i = 1, #live - concurrent do
  local member, session = live[i][1], live[i][2]
  session.endedAt = now
  session.endedReason = reason
  redis.call('SET', prefix .. member, cjson.encode(session), 'KEEPTTL')
  redis.call('ZREM', accountKey, member)
  table.insert(ended, member)
end
return ended
`;

// One Script per client: it hashes the source once and then sends EVALSHA, falling back to EVAL on NOSCRIPT.
const scripts = new WeakMap<Redis, Script<unknown[]>>();
function mintScriptFor(redis: Redis): Script<unknown[]> {
  let script = scripts.get(redis);
  if (!script) {
    script = redis.createScript<unknown[]>(MINT_SCRIPT);
    scripts.set(redis, script);
  }
  return script;
}

export type MintOutcome = { ok: true; ended: string[] } | { ok: false; retryAfterSeconds: number };

const RATE_WINDOW_SECONDS = 60;

export async function mintSession(
  redis: Redis,
  session: PlaybackSession,
  limits: { mintsPerMinute: number; concurrent: number },
): Promise<MintOutcome> {
  const ttlSeconds = Math.ceil((session.expiresAt - session.createdAt) / 1000) + 60;
  const result = await mintScriptFor(redis).exec(
    [mintRateKey(session.sub), accountSessionsKey(session.sub), playbackSessionKey(session.id)],
    [
      String(limits.mintsPerMinute),
      String(RATE_WINDOW_SECONDS),
      String(limits.concurrent),
      JSON.stringify(session),
      String(ttlSeconds),
      String(session.createdAt),
      session.id,
      playbackSessionKey(""),
      SESSION_DISPLACED,
    ],
  );
  if (Number(result[0]) === 0) return { ok: false, retryAfterSeconds: Math.max(1, Number(result[1])) };
  return { ok: true, ended: result.slice(1).map(String) };
}

export async function readSession(redis: Redis, sessionId: string): Promise<PlaybackSession | null> {
  return redis.get<PlaybackSession>(playbackSessionKey(sessionId));
}

/** A new, unguessable session id (128 random bits, base64url). */
export function newSessionId(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}
