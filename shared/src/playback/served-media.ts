/**
 * What the delivery side actually served to a playback session: media playlists the playback worker answered, and
 * segment bytes and requests per CDN pathway (the Cloudflare pathway counts its own; CloudFront and Akamai counts come
 * from their logs, in the local stack from the stand-ins). This is the evidence that a reported play was backed by
 * real media, and the only source of each CDN's month-to-date volume for commits (never a client's claim).
 *
 * Kept in Redis as one small hash per session (`playback:served:<id>`, integer counters, HINCRBY so concurrent
 * writers never lose a count) that lives as long as the session record can; the events intake reads it in the same
 * round trip as the session and carries a snapshot to the origin with each play event. Writers call `recordServed`
 * with several entries at once (one pipeline).
 */
import { CDN_IDS, type CdnId } from "../cdn/cdn-id";
import { monthOf } from "../steering/cost";

/** Redis key of a session's served-media counters. */
export const servedMediaKey = (sessionId: string) => `playback:served:${sessionId}`;
/** Month-to-date bytes per CDN (the steering state's commit usage): see shared/src/steering/store.ts. */
export const servedUsageKey = (month: string) => `steering:usage:${month}`;

/** Counters outlive the longest session record (track + margin) and a late offline sync of its events. */
export const SERVED_MEDIA_TTL_SECONDS = 3 * 24 * 3600;
const USAGE_TTL_SECONDS = 40 * 24 * 3600;

export interface ServedEntry {
  /** The playback session the request belonged to (null: unattributed, counts only toward usage). */
  sessionId: string | null;
  /** Pathway that served it; absent for media playlists (the playback worker itself). */
  cdn?: CdnId;
  /** Media bytes sent in the response body. */
  bytes?: number;
  /** Segment (or init) requests answered with media. */
  requests?: number;
  /** Media playlists answered. */
  playlists?: number;
  /** Epoch ms of the delivery (selects the usage month). */
  at: number;
}

/** The counters of one session, as read back. */
export interface ServedMedia {
  playlists: number;
  bytes: number;
  requests: number;
  byCdn: Partial<Record<CdnId, { bytes: number; requests: number }>>;
}

export const NOTHING_SERVED: ServedMedia = { playlists: 0, bytes: 0, requests: 0, byCdn: {} };

interface PipelineLike {
  hincrby(key: string, field: string, increment: number): unknown;
  expire(key: string, seconds: number): unknown;
  exec(): Promise<unknown>;
}

/** Session ids are what the playback worker mints (base64url) or ids tests make; anything else is not attributed. */
const SESSION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Adds the entries to their sessions' counters and the CDNs' month-to-date volume, in one pipeline. */
export async function recordServed(redis: { pipeline(): PipelineLike }, entries: ServedEntry[]): Promise<void> {
  const perSession = new Map<string, Map<string, number>>();
  const usage = new Map<string, Map<CdnId, number>>();
  const add = (map: Map<string, number>, field: string, n: number) => map.set(field, (map.get(field) ?? 0) + n);
  for (const e of entries) {
    const bytes = Number.isSafeInteger(e.bytes) && (e.bytes ?? 0) > 0 ? (e.bytes as number) : 0;
    const requests = Number.isSafeInteger(e.requests) && (e.requests ?? 0) > 0 ? (e.requests as number) : 0;
    const playlists = Number.isSafeInteger(e.playlists) && (e.playlists ?? 0) > 0 ? (e.playlists as number) : 0;
    const cdn = e.cdn && (CDN_IDS as readonly string[]).includes(e.cdn) ? e.cdn : undefined;
    if (e.sessionId && SESSION_ID.test(e.sessionId)) {
      const fields = perSession.get(e.sessionId) ?? new Map<string, number>();
      if (playlists) add(fields, "playlists", playlists);
      if (cdn && bytes) add(fields, `${cdn}:bytes`, bytes);
      if (cdn && requests) add(fields, `${cdn}:requests`, requests);
      if (fields.size) perSession.set(e.sessionId, fields);
    }
    if (cdn && bytes) {
      const month = usage.get(monthOf(e.at)) ?? new Map<CdnId, number>();
      month.set(cdn, (month.get(cdn) ?? 0) + bytes);
      usage.set(monthOf(e.at), month);
    }
  }
  if (perSession.size === 0 && usage.size === 0) return;
  const p = redis.pipeline();
  for (const [sessionId, fields] of perSession) {
    for (const [field, n] of fields) p.hincrby(servedMediaKey(sessionId), field, n);
    p.expire(servedMediaKey(sessionId), SERVED_MEDIA_TTL_SECONDS);
  }
  for (const [month, perCdn] of usage) {
    for (const [cdn, bytes] of perCdn) p.hincrby(servedUsageKey(month), cdn, bytes);
    p.expire(servedUsageKey(month), USAGE_TTL_SECONDS);
  }
  await p.exec();
}

/** A served-media hash (as Redis returns it: field -> number or string, or null) -> counters. */
export function parseServed(hash: unknown): ServedMedia {
  const out: ServedMedia = { playlists: 0, bytes: 0, requests: 0, byCdn: {} };
  if (!hash || typeof hash !== "object") return out;
  const entries: Array<[string, unknown]> = Array.isArray(hash)
    ? pairs(hash as unknown[])
    : Object.entries(hash as Record<string, unknown>);
  for (const [field, raw] of entries) {
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0) continue;
    if (field === "playlists") {
      out.playlists += n;
      continue;
    }
    const [cdn, metric] = field.split(":");
    if (!cdn || !(CDN_IDS as readonly string[]).includes(cdn)) continue;
    const slot = out.byCdn[cdn as CdnId] ?? { bytes: 0, requests: 0 };
    if (metric === "bytes") {
      slot.bytes += n;
      out.bytes += n;
    } else if (metric === "requests") {
      slot.requests += n;
      out.requests += n;
    } else continue;
    out.byCdn[cdn as CdnId] = slot;
  }
  return out;
}

/** HGETALL from a Lua script arrives as a flat [field, value, ...] list. */
function pairs(list: unknown[]): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (let i = 0; i + 1 < list.length; i += 2) out.push([String(list[i]), list[i + 1]]);
  return out;
}
