/**
 * Beacons into the events pipeline: every counted tracking event (shared/src/ads/events.ts) is posted to the
 * ingest-events worker's server intake over a service binding. Failed sends are retried, then parked in a Redis outbox
 * that the next beacons drain, so a short outage of the pipeline loses nothing; event ids are derived from the
 * AdServingId and event, so a resend is a duplicate downstream, never a second count.
 */
import type { AdEventBody } from "@cadence/shared/ads/events";
import { redisFor } from "@cadence/shared/edge";
import type { Logger } from "@cadence/shared/log";
import { serviceFetch } from "@cadence/shared/trust/service-call";
import type { Env } from "./context";

export const AD_EVENTS_OUTBOX_KEY = "ads:events:outbox";
const OUTBOX_DRAIN = 50;
/** The ingest-events worker's intake for other workers (internal: service token only). */
export const SERVER_EVENTS_PATH = "/v1/internal/events/server";

async function post(env: Env, events: AdEventBody[]): Promise<boolean> {
  const res = await serviceFetch(
    { baseUrl: "https://ingest-events.internal", token: env.SERVICE_TOKEN },
    SERVER_EVENTS_PATH,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(events),
      via: (request) => env.EVENTS.fetch(request),
    },
  );
  await res.body?.cancel();
  return res.ok;
}

/** Sends events (plus whatever the outbox holds); never throws. Meant for `waitUntil`. */
export async function sendAdEvents(env: Env, events: AdEventBody[], log: Logger): Promise<void> {
  const redis = redisFor(env);
  let batch = events;
  try {
    const parked = (await redis.lpop<AdEventBody[]>(AD_EVENTS_OUTBOX_KEY, OUTBOX_DRAIN)) ?? [];
    batch = [...events, ...parked];
  } catch {
    // Redis is down: send what we have.
  }
  if (batch.length === 0) return;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      if (await post(env, batch)) return;
    } catch {
      // network or binding failure: retry
    }
    await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
  }
  try {
    await redis.rpush(AD_EVENTS_OUTBOX_KEY, ...batch.map((e) => JSON.stringify(e)));
    log.warn("events pipeline unavailable; ad events parked in the outbox", { events: batch.length });
  } catch (err) {
    log.error("ad events lost: events pipeline and Redis both unavailable", { events: batch.length, err });
  }
}
