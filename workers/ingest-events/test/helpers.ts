/**
 * What the events tests share: real tokens from the test origin, event factories, the worker's endpoints, and the
 * origin's events endpoints (counts, lookups, the landing fault knob) called as the edge would call them.
 */
import { env, exports } from "cloudflare:workers";
import { EVENTS_CONSUMER_CRASH_KEY } from "@cadence/shared/events/keys";
import { EVENTS_SIGNATURE_HEADER, signEventsRequest } from "@cadence/shared/events/signature";
import { recordServed } from "@cadence/shared/playback/served-media";
import type { PlaybackSession } from "@cadence/shared/playback/session";
import { Redis } from "@upstash/redis/cloudflare";
import { importJWK, type JWK, SignJWT } from "jose";
import { expect } from "vitest";

export const redis = new Redis({
  url: env.UPSTASH_REDIS_REST_URL,
  token: env.UPSTASH_REDIS_REST_TOKEN,
  enableTelemetry: false,
});

const tokens = new Map<string, { token: string; sub: string }>();

/** A real access token (and the account id) from the test origin. */
export async function listener(email = "premium@demo.test"): Promise<{ token: string; sub: string }> {
  const cached = tokens.get(email);
  if (cached) return cached;
  const res = await fetch(`${env.ORIGIN_URL}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "demo-password" }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { access_token: string }).access_token;
  const payload = JSON.parse(atob((token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as {
    sub: string;
  };
  const out = { token, sub: payload.sub };
  tokens.set(email, out);
  return out;
}

export const uuid = () => crypto.randomUUID();

const originKey = JSON.parse(env.TEST_SIGNING_JWK) as JWK & { kid: string };

/** A listener access token for any account id, signed with the origin's real key (for many-listener tests). */
export async function tokenFor(sub: string, country = "DE"): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tier: "premium", country, scope: "listener" })
    .setProtectedHeader({ alg: "ES256", kid: originKey.kid })
    .setIssuer(env.AUTH_ISSUER)
    .setAudience(env.AUTH_AUDIENCE)
    .setSubject(sub)
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(await importJWK(originKey, "ES256"));
}
export const iso = (ms: number) => new Date(ms).toISOString();
export const DAY = 86_400_000;

type Fields = Record<string, unknown>;

export function play(type: string, sessionId: string, trackId: string, fields: Fields = {}): Fields {
  return { event_id: uuid(), type, session_id: sessionId, track_id: trackId, client_ts: iso(Date.now()), ...fields };
}

export function adBeacon(type: string, sessionId: string, fields: Fields = {}): Fields {
  return {
    event_id: uuid(),
    type,
    session_id: sessionId,
    client_ts: iso(Date.now()),
    ad_serving_id: "serving-1",
    campaign_id: "camp-1",
    creative_id: "creative-1",
    ...fields,
  };
}

export function qoe(sessionId: string, fields: Fields = {}): Fields {
  return {
    event_id: uuid(),
    type: "qoe_segment",
    session_id: sessionId,
    client_ts: iso(Date.now()),
    cdn: "cloudfront",
    rendition: "aac-256",
    segment: "seg-00001.m4s",
    bytes: 192_000,
    ttfb_ms: 40,
    download_ms: 120,
    http_status: 200,
    ...fields,
  };
}

/** A playback session as the playback worker stores it. */
export async function playbackSession(sub: string, trackId: string, fields: Partial<PlaybackSession> = {}) {
  const session: PlaybackSession = {
    id: `ps-${uuid()}`,
    sub,
    tier: "premium",
    accountCountry: "DE",
    country: "DE",
    continent: "EU",
    trackId,
    deviceId: `device-${uuid()}`,
    renditions: ["aac-128", "aac-256"],
    pathways: ["cloudfront", "akamai", "cloudflare"],
    createdAt: Date.now(),
    expiresAt: Date.now() + 600_000,
    ...fields,
  };
  await redis.set(`playback:session:${session.id}`, session, { ex: 600 });
  return session;
}

/**
 * Media served to a session as the delivery side reports it (a media playlist, then segments on a CDN): what the
 * playback worker and the CDN stand-ins write for real plays (shared/src/playback/served-media.ts).
 */
export async function serveMedia(sessionId: string, seconds: number, cdn: "cloudfront" | "akamai" = "akamai") {
  const bytes = Math.ceil((seconds * 128_000) / 8);
  await recordServed(redis, [
    { sessionId, playlists: 1, at: Date.now() },
    { sessionId, cdn, bytes, requests: Math.ceil(seconds / 6), at: Date.now() },
  ]);
}

/** What Cloudflare's edge would put in request.cf for a listener in Frankfurt on Deutsche Telekom. */
export const FRANKFURT = { country: "DE", continent: "EU", colo: "FRA", asn: 3320 };

export function postEvents(
  token: string | undefined,
  body: unknown,
  options: { contentType?: string; headers?: Record<string, string>; path?: string; cf?: typeof FRANKFURT } = {},
): Promise<Response> {
  return exports.default.fetch(`http://ingest-events.test${options.path ?? "/v1/events"}`, {
    method: "POST",
    cf: options.cf ?? FRANKFURT,
    headers: {
      "content-type": options.contentType ?? "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...options.headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface IntakeAnswer {
  accepted: number;
  duplicate: number;
  rejected: number;
  retry: number;
  results: Array<{ index: number; event_id: string | null; status: string; reason?: string; flags?: string[] }>;
}

/** The origin's counts, as the api worker reads them. */
export async function originStats(query = ""): Promise<EventsStats> {
  const res = await fetch(`${env.ORIGIN_URL}/v1/internal/events/stats${query}`, {
    headers: { "x-service-token": env.SERVICE_TOKEN },
  });
  if (!res.ok) throw new Error(`stats: ${res.status} ${await res.text()}`);
  return (await res.json()) as EventsStats;
}

export interface EventsStats {
  accepted: number;
  duplicates: number;
  duplicates_at_origin: number;
  stored: number;
  stored_by_type: Record<string, number>;
  in_flight: number;
  dead_lettered: { batches: number; events: number; failed_events: number };
  failed: {
    rejected_at_edge: number;
    rejected_at_edge_by_reason: Record<string, number>;
    stored: number;
    by_reason: Record<string, number>;
    in_flight: number;
  };
  reconciliation: { holds: boolean };
  edge: { requests: number; queue_refused: number };
  qualified_streams: { total: number; by_track_day: Array<{ track_id: string; day: string; streams: number }> };
}

async function signedOrigin<T>(method: "GET" | "POST", path: string, body = ""): Promise<T> {
  const signature = await signEventsRequest(env.EVENTS_INGEST_SECRET, method, path, body);
  const res = await fetch(`${env.ORIGIN_URL}${path}`, {
    method,
    headers: { "content-type": "application/json", [EVENTS_SIGNATURE_HEADER]: signature },
    body: method === "GET" ? undefined : body,
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface Lookup {
  stored: Array<{
    event_id: string;
    type: string;
    user_id: string | null;
    tier: string | null;
    account_country: string | null;
    country: string | null;
    colo: string | null;
    asn: number | null;
    flags: string[];
    received_at: number;
  }>;
  failed: Array<{ event_id: string | null; reason: string; detail: string; raw: string }>;
}

/** Where these events ended up at the origin (in chunks the endpoint accepts). */
export async function lookup(eventIds: string[]): Promise<Lookup> {
  const out: Lookup = { stored: [], failed: [] };
  for (let i = 0; i < eventIds.length; i += 5000) {
    const part = await signedOrigin<Lookup>(
      "POST",
      "/v1/internal/events/lookup",
      JSON.stringify({ event_ids: eventIds.slice(i, i + 5000) }),
    );
    out.stored.push(...part.stored);
    out.failed.push(...part.failed);
  }
  return out;
}

/** Arms the origin's landing fault knob: the next `calls` landings fail as `mode` says. */
export async function landingFault(mode: "down" | "error" | "none", calls = 0): Promise<void> {
  const res = await fetch(`${env.ORIGIN_URL}/v1/internal/events/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json", "x-service-token": env.SERVICE_TOKEN },
    body: JSON.stringify({ mode, calls }),
  });
  if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
}

/** Makes the next `batches` consumer invocations crash after the origin confirmed their batch. */
export async function consumerCrashes(batches: number): Promise<void> {
  if (batches > 0) await redis.set(EVENTS_CONSUMER_CRASH_KEY, batches);
  else await redis.del(EVENTS_CONSUMER_CRASH_KEY);
}

/** Polls until `check` returns a value (not undefined), or fails with what it last saw. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until every event of these ids has landed (stored or failed), then returns the lookup. */
export async function landed(eventIds: string[], expectStored: number, expectFailed = 0, timeoutMs = 60_000) {
  return eventually(
    async () => {
      const found = await lookup(eventIds);
      return found.stored.length >= expectStored && found.failed.length >= expectFailed ? found : undefined;
    },
    `${expectStored} stored and ${expectFailed} failed events`,
    timeoutMs,
  );
}

export async function landingFaultState(): Promise<{ mode: string; remaining: number }> {
  const res = await fetch(`${env.ORIGIN_URL}/v1/internal/events/faults`, {
    headers: { "x-service-token": env.SERVICE_TOKEN },
  });
  return (await res.json()) as { mode: string; remaining: number };
}

/** The ops endpoints of the worker (dead letters), with an ops token. */
export async function opsFetch(path: string, init: RequestInit = {}, email = "ops@demo.test"): Promise<Response> {
  const { token } = await listener(email);
  return exports.default.fetch(`http://ingest-events.test${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
  });
}

/** Asserts a problem+json answer with this status and code; returns its body. */
export async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  return body as Record<string, unknown> & { detail: string };
}
