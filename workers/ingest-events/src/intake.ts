/**
 * Event intake at the edge: judge each event, dedupe the valid ones by `event_id` in Redis (SET NX with a TTL of two
 * days, before queueing), enrich them with what the client cannot forge (account from the token or the playback
 * session, `request.cf` country/colo/ASN, server receive time, flags for plays that do not match their session), and
 * queue them, together with the refused events kept as failed events, packed within the queue's limits.
 *
 * Nothing is lost silently: if the queue refuses a `sendBatch`, the events it carried are answered `retry` (the route
 * turns that into a 503) and their dedupe keys are released, so the client's retry is not called a duplicate. Each
 * answer is counted in Redis (accepted, duplicate, rejected by reason) for the counts API, in the same round trip as
 * the dedupe (claim.ts); what the queue refused is taken back out, so `accepted` and `rejected` count only what was
 * queued and reconcile with what the origin stores.
 */
import type { AccessClaims } from "@cadence/shared/auth/claims";
import { FAILED_RAW_MAX_CHARS } from "@cadence/shared/events/limits";
import {
  type EdgeContext,
  type EnrichedEvent,
  type EventFlag,
  type FailedEvent,
  groupForSendBatch,
  packMessages,
  type SessionSnapshot,
} from "@cadence/shared/events/message";
import { isPlayEvent, type WireEvent } from "@cadence/shared/events/schema";
import { type EventVerdict, type FailureReason, judgeEvent } from "@cadence/shared/events/validate";
import type { Logger } from "@cadence/shared/log";
import { NOTHING_SERVED, type ServedMedia } from "@cadence/shared/playback/served-media";
import type { PlaybackSession } from "@cadence/shared/playback/session";
import { problems } from "@cadence/shared/problem";
import type { Redis } from "@upstash/redis/cloudflare";
import type { RawEvent } from "./body";
import { claimEvents, confirmClaims, releaseClaims } from "./claim";

/** Who sent the events: a listener's app (token) or another worker on the listener's behalf (service token). */
export type Sender = { source: "client"; claims: AccessClaims } | { source: "server" };

/** What `request.cf` says about where the request came from. */
export interface RequestOrigin {
  country: string | null;
  continent: string | null;
  colo: string | null;
  asn: number | null;
}

export type EventResult =
  | { index: number; event_id: string; status: "accepted"; flags?: EventFlag[] }
  | { index: number; event_id: string; status: "duplicate" }
  | { index: number; event_id: string | null; status: "rejected"; reason: FailureReason; detail: string }
  | { index: number; event_id: string; status: "retry" };

export interface IntakeOutcome {
  results: EventResult[];
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Events the queue refused, or that an earlier request is still queueing: the request must be retried. */
  retry: number;
  /** Of `retry`, those an earlier request still holds (claimed, not yet confirmed as queued). */
  inFlight: number;
  /** The events that were queued (for side effects such as QoE measurements). */
  queued: EnrichedEvent[];
  /** The playback sessions the events named, as read from Redis (absent: unknown). */
  sessions: Map<string, PlaybackSession>;
}

export interface IntakeDeps {
  redis: Redis;
  queue: Queue<string>;
  log: Logger;
}

export async function intake(
  deps: IntakeDeps,
  raw: RawEvent[],
  sender: Sender,
  where: RequestOrigin,
  requestId: string,
  now = Date.now(),
): Promise<IntakeOutcome> {
  const verdicts = raw.map((r) => judgeEvent(r.value, r.bytes, now));
  const valid: Array<{ index: number; event: WireEvent }> = [];
  const results: EventResult[] = new Array(raw.length);
  const failures: FailedEvent[] = [];
  verdicts.forEach((v, index) => {
    if (v.ok) {
      valid.push({ index, event: v.event });
      return;
    }
    failures.push(failedEvent(v, raw[index]?.text ?? "", sender, requestId, now));
    results[index] = { index, event_id: v.eventId, status: "rejected", reason: v.reason, detail: v.detail };
  });

  const sessionIds = [...new Set(valid.map((v) => v.event.session_id))];
  let claim: Awaited<ReturnType<typeof claimEvents>>;
  try {
    claim = await claimEvents(
      deps.redis,
      requestId,
      valid.map((v) => v.event.event_id),
      sessionIds,
      countByReason(failures),
    );
  } catch (err) {
    deps.log.error("event dedupe state unreachable", { err });
    throw problems.unavailable(
      "edge-state-unavailable",
      "Event dedupe state (Redis) is unreachable, so nothing was accepted; retry shortly.",
    );
  }
  const sessions = new Map<string, PlaybackSession>();
  const served = new Map<string, ServedMedia>();
  sessionIds.forEach((id, i) => {
    const session = asSession(claim.sessions[i]);
    if (session) sessions.set(id, session);
    served.set(id, claim.served[i] ?? NOTHING_SERVED);
  });

  const enriched: EnrichedEvent[] = [];
  const enrichedIndex: number[] = [];
  let duplicate = 0;
  let inFlight = 0;
  valid.forEach(({ index, event }, k) => {
    const state = claim.states[k];
    if (state === "duplicate") {
      duplicate += 1;
      results[index] = { index, event_id: event.event_id, status: "duplicate" };
      return;
    }
    if (state === "in-flight") {
      inFlight += 1;
      results[index] = { index, event_id: event.event_id, status: "retry" };
      return;
    }
    const edge = edgeContext(event, sessions.get(event.session_id) ?? null, sender, where, requestId, now);
    if (isPlayEvent(event)) {
      // The evidence the origin judges an earned play by (shared/src/events/earned-play.ts), as of this event.
      const session = sessions.get(event.session_id);
      const media = served.get(event.session_id) ?? NOTHING_SERVED;
      edge.session = session ? sessionSnapshot(session) : null;
      edge.served = { playlists: media.playlists, bytes: media.bytes, requests: media.requests };
    }
    enriched.push({ ...event, edge });
    enrichedIndex.push(index);
    results[index] = {
      index,
      event_id: event.event_id,
      status: "accepted",
      ...(edge.flags.length ? { flags: edge.flags } : {}),
    };
  });

  // Queue everything; find out which messages the queue refused.
  const messages = packMessages(
    enriched.map((e) => JSON.stringify(e)),
    failures.map((f) => JSON.stringify(f)),
  );
  const groups = groupForSendBatch(messages);
  const sent = await Promise.allSettled(
    groups.map((group) => deps.queue.sendBatch(group.map((m) => ({ body: m.body, contentType: "text" })))),
  );
  const notQueuedEvents = new Set<number>();
  const notQueuedFailures: FailedEvent[] = [];
  sent.forEach((outcome, g) => {
    if (outcome.status === "fulfilled") return;
    deps.log.error("queue refused a sendBatch", { err: outcome.reason, messages: groups[g]?.length });
    for (const m of groups[g] ?? []) {
      for (const i of m.eventIndexes) notQueuedEvents.add(i);
      for (const i of m.failureIndexes) notQueuedFailures.push(failures[i] as FailedEvent);
    }
  });

  const queued: EnrichedEvent[] = [];
  const refused: string[] = [];
  enriched.forEach((event, i) => {
    if (!notQueuedEvents.has(i)) {
      queued.push(event);
      return;
    }
    const index = enrichedIndex[i] as number;
    results[index] = { index, event_id: event.event_id, status: "retry" };
    refused.push(event.event_id);
  });
  // Confirmed before the answer, so a resend right after it is a duplicate (not "in flight"); one pipelined call.
  await confirmClaims(
    deps.redis,
    queued.map((e) => e.event_id),
  ).catch((err: unknown) =>
    // The pending keys expire; a resend is queued again and the origin's ledger keeps it counted once.
    deps.log.warn("could not confirm queued events' dedupe keys", { err: String(err), events: queued.length }),
  );
  if (refused.length || notQueuedFailures.length) {
    // Before we answer: the client's retry may come at once and must not be called a duplicate.
    await releaseClaims(deps.redis, refused, countByReason(notQueuedFailures)).catch((err: unknown) =>
      deps.log.error("could not release refused events' dedupe keys", { err, events: refused.length }),
    );
  }
  return {
    results,
    accepted: queued.length,
    duplicate,
    rejected: failures.length,
    retry: refused.length + inFlight,
    inFlight,
    queued,
    sessions,
  };
}

function countByReason(failures: FailedEvent[]): Map<string, number> {
  const byReason = new Map<string, number>();
  for (const f of failures) byReason.set(f.reason, (byReason.get(f.reason) ?? 0) + 1);
  return byReason;
}

function asSession(value: unknown): PlaybackSession | null {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (typeof v !== "object" || v === null) return null;
  const s = v as Partial<PlaybackSession>;
  return typeof s.sub === "string" &&
    typeof s.trackId === "string" &&
    typeof s.deviceId === "string" &&
    typeof s.createdAt === "number" &&
    typeof s.expiresAt === "number"
    ? (s as PlaybackSession)
    : null;
}

function sessionSnapshot(session: PlaybackSession): SessionSnapshot {
  return {
    sub: session.sub,
    track_id: session.trackId,
    device_id: session.deviceId,
    created_at: session.createdAt,
    expires_at: session.expiresAt,
    ended_at: session.endedAt ?? null,
  };
}

function edgeContext(
  event: WireEvent,
  session: PlaybackSession | null,
  sender: Sender,
  where: RequestOrigin,
  requestId: string,
  now: number,
): EdgeContext {
  const flags: EventFlag[] = [];
  if (!session) flags.push("session-unknown");
  else {
    if (sender.source === "client" && session.sub !== sender.claims.sub) flags.push("session-user-mismatch");
    if (isPlayEvent(event) && event.track_id !== session.trackId) flags.push("track-not-in-session");
    if (isPlayEvent(event) && event.device_id !== undefined && event.device_id !== session.deviceId) {
      flags.push("device-not-in-session");
    }
  }
  const account =
    sender.source === "client"
      ? { user_id: sender.claims.sub, tier: sender.claims.tier, account_country: sender.claims.country }
      : {
          user_id: session?.sub ?? null,
          tier: session?.tier ?? null,
          account_country: session?.accountCountry ?? null,
        };
  return {
    ...account,
    country: where.country,
    colo: where.colo,
    asn: where.asn,
    received_at: now,
    request_id: requestId,
    flags,
    source: sender.source,
  };
}

function failedEvent(
  verdict: EventVerdict & { ok: false },
  raw: string,
  sender: Sender,
  requestId: string,
  now: number,
): FailedEvent {
  return {
    failure_id: crypto.randomUUID(),
    event_id: verdict.eventId,
    type: verdict.type,
    reason: verdict.reason,
    detail: verdict.detail.slice(0, 2000),
    raw: raw.length > FAILED_RAW_MAX_CHARS ? `${raw.slice(0, FAILED_RAW_MAX_CHARS)}…(truncated)` : raw,
    received_at: now,
    request_id: requestId,
    user_id: sender.source === "client" ? sender.claims.sub : null,
  };
}
