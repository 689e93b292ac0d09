/**
 * One Redis round trip per intake request: a Lua script that sets each valid event's dedupe key if absent (SET NX EX,
 * two days), reads the playback sessions the events name and what was served to each (served-media counters, the
 * evidence a play was backed by media), and counts the answers (accepted, duplicate, rejected by
 * reason) in the edge-stats hash, atomically. Counting here, before the queue is asked, saves a second round trip on
 * every request; the rare queue refusal is compensated by `releaseClaims`, which deletes the refused events' keys (so
 * a retry is not a duplicate) and takes them back out of the counts.
 */
import { EVENTS_EDGE_STATS_KEY, eventDedupeKey } from "@cadence/shared/events/keys";
import { DEDUPE_TTL_SECONDS } from "@cadence/shared/events/limits";
import { parseServed, type ServedMedia, servedMediaKey } from "@cadence/shared/playback/served-media";
import { playbackSessionKey } from "@cadence/shared/playback/session";
import type { Redis } from "@upstash/redis/cloudflare";

// KEYS: [stats hash, n dedupe keys..., m session keys..., m served-media keys...];
// ARGV: [request id, ttl, n, (field, increment)...]
const CLAIM_SCRIPT = `
local n = tonumber(ARGV[3])
local fresh = {}
local accepted = 0
for i = 1, n do
  if redis.call('SET', KEYS[i + 1], ARGV[1], 'NX', 'EX', ARGV[2]) then
    fresh[i] = 1
    accepted = accepted + 1
  else
    fresh[i] = 0
  end
end
local sessions = {}
local served = {}
local m = (#KEYS - n - 1) / 2
if m > 0 then
  sessions = redis.call('MGET', unpack(KEYS, n + 2, n + 1 + m))
  for j = 1, m do served[j] = redis.call('HGETALL', KEYS[n + 1 + m + j]) end
end
redis.call('HINCRBY', KEYS[1], 'requests', 1)
if accepted > 0 then redis.call('HINCRBY', KEYS[1], 'accepted', accepted) end
if n > accepted then redis.call('HINCRBY', KEYS[1], 'duplicate', n - accepted) end
for j = 4, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[j], tonumber(ARGV[j + 1])) end
return {fresh, sessions, served}
`;

type ClaimScript = ReturnType<Redis["createScript"]>;
const scripts = new WeakMap<Redis, ClaimScript>();

export interface Claim {
  /** Per event id given: true if this request claimed it, false if it was already claimed (a duplicate). */
  fresh: boolean[];
  /** Per session id given: the stored session record (parsed JSON), or null. */
  sessions: unknown[];
  /** Per session id given: what was served to it so far. */
  served: ServedMedia[];
}

export async function claimEvents(
  redis: Redis,
  requestId: string,
  eventIds: string[],
  sessionIds: string[],
  rejectedByReason: Map<string, number>,
): Promise<Claim> {
  let script = scripts.get(redis);
  if (!script) {
    script = redis.createScript(CLAIM_SCRIPT);
    scripts.set(redis, script);
  }
  const counts: string[] = [];
  let rejected = 0;
  for (const [reason, n] of rejectedByReason) {
    counts.push(`rejected:${reason}`, String(n));
    rejected += n;
  }
  if (rejected) counts.push("rejected", String(rejected));
  const reply = (await script.exec(
    [
      EVENTS_EDGE_STATS_KEY,
      ...eventIds.map(eventDedupeKey),
      ...sessionIds.map(playbackSessionKey),
      ...sessionIds.map(servedMediaKey),
    ],
    [requestId, String(DEDUPE_TTL_SECONDS), String(eventIds.length), ...counts],
  )) as [number[] | null, unknown[] | null, unknown[] | null];
  const fresh = reply[0] ?? [];
  const sessions = reply[1] ?? [];
  const served = reply[2] ?? [];
  return {
    fresh: eventIds.map((_, i) => fresh[i] === 1),
    sessions: sessionIds.map((_, i) => sessions[i] ?? null),
    served: sessionIds.map((_, i) => parseServed(served[i])),
  };
}

/** Undoes the claim of events (and the count of failed events) the queue refused. */
export async function releaseClaims(
  redis: Redis,
  eventIds: string[],
  refusedFailuresByReason: Map<string, number>,
): Promise<void> {
  const p = redis.pipeline();
  if (eventIds.length) {
    p.del(...eventIds.map(eventDedupeKey));
    p.hincrby(EVENTS_EDGE_STATS_KEY, "accepted", -eventIds.length);
    p.hincrby(EVENTS_EDGE_STATS_KEY, "queue_refused", eventIds.length);
  }
  let failures = 0;
  for (const [reason, n] of refusedFailuresByReason) {
    p.hincrby(EVENTS_EDGE_STATS_KEY, `rejected:${reason}`, -n);
    failures += n;
  }
  if (failures) p.hincrby(EVENTS_EDGE_STATS_KEY, "rejected", -failures);
  if (eventIds.length || failures) await p.exec();
}
