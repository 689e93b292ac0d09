/**
 * What the end-to-end tests ask the platform directly (not through a page): tokens for the demo accounts, JSON calls
 * with a token, "did these events land?" asked of the origin the way the events pipeline itself does (signed with
 * the consumer's secret from the run's data folder), and `eventually` for anything that arrives asynchronously.
 */
import { adLastBreakKey, adSessionBreakKey } from "@cadence/shared/ads/keys";
import { EVENTS_SIGNATURE_HEADER, signEventsRequest } from "@cadence/shared/events/signature";
import { parseServed, type ServedMedia, servedMediaKey } from "@cadence/shared/playback/served-media";
import { Redis } from "ioredis";
import type { PlatformInfo } from "./platform";

export async function tokenFor(platform: PlatformInfo, email: string): Promise<string> {
  const res = await fetch(`${platform.apiUrl}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "demo-password" }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function apiJson<T>(url: string, token: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  if (init.body) headers.set("content-type", "application/json");
  const res = await fetch(url, { ...init, headers });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface LandedEvent {
  event_id: string;
  type: string;
  session_id: string;
}

/**
 * The events among `ids` that are stored at the origin (the origin's own lookup), for the platform or the test
 * stack (both know the origin and the consumer's secret).
 */
export async function landedEvents(
  platform: Pick<PlatformInfo, "originUrl" | "eventsIngestSecret">,
  ids: string[],
): Promise<LandedEvent[]> {
  const path = "/v1/internal/events/lookup";
  const body = JSON.stringify({ event_ids: ids });
  const res = await fetch(`${platform.originUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [EVENTS_SIGNATURE_HEADER]: await signEventsRequest(platform.eventsIngestSecret, "POST", path, body),
    },
    body,
  });
  if (!res.ok) throw new Error(`events lookup: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { stored: LandedEvent[] }).stored;
}

/** Polls `check` until it returns a value that is not undefined, or fails with the last reason. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/**
 * Makes the listener due an ad break again. The playback worker plans a free listener's break at the start of
 * listening and then only after AD_BREAK_INTERVAL_MINUTES (15) since the last one, so a second test that expects a
 * pre-roll within the same quarter hour first forgets the listener's last break, as if it were long ago.
 */
export async function forgetLastAdBreak(platform: PlatformInfo, email: string): Promise<void> {
  const token = await tokenFor(platform, email);
  const me = await apiJson<{ sub: string }>(`${platform.apiUrl}/v1/me`, token);
  const redis = new Redis(platform.redisUrl);
  try {
    await redis.del(adLastBreakKey(me.sub));
  } finally {
    redis.disconnect();
  }
}

/** The ad break the playback worker planned for a session (which campaigns' ads it spliced in). */
export async function adBreakOf(
  platform: PlatformInfo,
  sessionId: string,
): Promise<{ ads: Array<{ campaignId: string }> }> {
  const redis = new Redis(platform.redisUrl);
  try {
    const raw = await redis.get(adSessionBreakKey(sessionId));
    return raw ? (JSON.parse(raw) as { ads: Array<{ campaignId: string }> }) : { ads: [] };
  } finally {
    redis.disconnect();
  }
}

/** What the delivery side counted for a session (served-media.ts): media playlists, and bytes per CDN pathway. */
export async function servedTo(platform: PlatformInfo, sessionId: string): Promise<ServedMedia> {
  const redis = new Redis(platform.redisUrl);
  try {
    return parseServed(await redis.hgetall(servedMediaKey(sessionId)));
  } finally {
    redis.disconnect();
  }
}
