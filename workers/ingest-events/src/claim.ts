/**
 * Two Redis round trips per intake request, each one call. First a Lua script that claims each valid event's dedupe
 * key if absent, reads the playback sessions the events name and what was served to each (served-media counters, the
 * evidence a play was backed by media), and counts the answers (accepted, duplicate, in flight, rejected by reason) in
 * the edge-stats hash, atomically. A claim is first *pending* (`p:<request id>`, a short TTL): a worker killed between
 * the claim and `sendBatch` leaves only a pending key, and a resend that meets one is answered `retry` (never
 * `duplicate`, which would make the client drop an event nobody queued); the key expires and the next resend is
 * accepted. Once the queue has the events, `confirmClaims` turns the keys into lasting ones (two days) in one pipelined
 * call; if that confirmation is lost, a later resend is queued again and the origin's ledger (unique event id) keeps
 * it counted once. The rare queue refusal is compensated by `releaseClaims`, which deletes the refused events' keys
 * (so a retry is not a duplicate) and takes them back out of the counts.
 */
import { EVENTS_EDGE_STATS_KEY, eventDedupeKey } from "@cadence/shared/events/keys";
import { DEDUPE_TTL_SECONDS } from "@cadence/shared/events/limits";
import { parseServed, type ServedMedia, servedMediaKey } from "@cadence/shared/playback/served-media";
import { playbackSessionKey } from "@cadence/shared/playback/session";
import type { Redis } from "@upstash/redis/cloudflare";

/** How long a claim stays pending without a confirmation: longer than any sendBatch, short enough for a resend. */
export const PENDING_CLAIM_SECONDS = 30;

// KEYS: [stats hash, n dedupe keys..., m session keys..., m served-media keys...];
// ARGV: [request id, pending ttl, n, (field, increment)...]
// Per event the script answers 1 (claimed now), 0 (confirmed earlier, or repeated in this request: a duplicate) or 2
// (pending for another request).
const CLAIM_SCRIPT = `
local n = tonumber(ARGV[3])
local pending = 'p:' .. ARGV[1]
local duplicate = 0
local fresh = {}
local accepted = 0
for i = 1, n do
  if redis.call('SET', KEYS[i + 1], pending, 'NX', 'EX', ARGV[2]) then
    fresh[i] = 1
    accepted = accepted + 1
  else
    local held = redis.call('GET', KEYS[i + 1])
    if held and held ~= pending and string.sub(held, 1, 2) == 'p:' then
      fresh[i] = 2
    else
      fresh[i] = 0
      duplicate = duplicate + 1
    end
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
if duplicate > 0 then redis.call('HINCRBY', KEYS[1], 'duplicate', duplicate) end
if n > accepted + duplicate then redis.call('HINCRBY', KEYS[1], 'in_flight', n - accepted - duplicate) end
for j = 4, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[j], tonumber(ARGV[j + 1])) end
return {fresh, sessions, served}
`;

type ClaimScript = ReturnType<Redis["createScript"]>;
const scripts = new WeakMap<Redis, ClaimScript>();

/** Per event: claimed by this request, already confirmed by an earlier one, or pending for a request still in flight. */
export type ClaimState = "claimed" | "duplicate" | "in-flight";

export interface Claim {
  /** Per event id given, in order. */
  states: ClaimState[];
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
    [requestId, String(PENDING_CLAIM_SECONDS), String(eventIds.length), ...counts],
  )) as [number[] | null, unknown[] | null, unknown[] | null];
  const fresh = reply[0] ?? [];
  const sessions = reply[1] ?? [];
  const served = reply[2] ?? [];
  const state = (code: number | undefined): ClaimState =>
    code === 1 ? "claimed" : code === 2 ? "in-flight" : "duplicate";
  return {
    states: eventIds.map((_, i) => state(fresh[i])),
    sessions: sessionIds.map((_, i) => sessions[i] ?? null),
    served: sessionIds.map((_, i) => parseServed(served[i])),
  };
}

/** The queue has these events: their pending claims become lasting dedupe keys (one pipelined round trip). */
export async function confirmClaims(redis: Redis, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  const p = redis.pipeline();
  for (const id of eventIds) p.set(eventDedupeKey(id), "c", { xx: true, ex: DEDUPE_TTL_SECONDS });
  await p.exec();
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
