/** An origin with the events secret, and the queue consumer's signed calls to it. */
import { signEventsRequest } from "@cadence/shared/events/signature";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { expect } from "vitest";
import { freshOrigin } from "../helpers";

export const SECRET = "test-events-ingest-secret-0123456789abcdef";

export function message(events: Array<Record<string, unknown>>, batchId: string = crypto.randomUUID()) {
  return { v: 1, batch_id: batchId, events, failures: [] as unknown[] };
}

export function playEvent(eventId = crypto.randomUUID(), sessionId = "ps-1") {
  return {
    event_id: eventId,
    type: "play_progress",
    session_id: sessionId,
    track_id: "trk-1",
    ms_played: 31_000,
    client_ts: new Date().toISOString(),
    edge: {
      user_id: "u1",
      tier: "premium",
      account_country: "DE",
      country: "DE",
      colo: "FRA",
      asn: 3320,
      received_at: Date.now(),
      request_id: "req-1",
      flags: [],
      source: "client",
    },
  };
}

export async function setup() {
  const origin = await freshOrigin({ EVENTS_INGEST_SECRET: SECRET });
  const signed = async (method: "GET" | "POST", path: string, body?: unknown) => {
    const text = body === undefined ? "" : JSON.stringify(body);
    return origin.request(path, {
      method,
      headers: {
        "content-type": "application/json",
        "x-events-signature": await signEventsRequest(SECRET, method, path, text),
      },
      body: method === "GET" ? undefined : text,
    });
  };
  const land = async (messages: unknown[]) => {
    const res = await signed("POST", "/v1/internal/events/batches", {
      messages: messages.map((body, i) => ({ id: `m${i}`, attempts: 1, body })),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { results: Array<Record<string, unknown>> }).results;
  };
  const stats = async () => {
    const res = await origin.request("/v1/internal/events/stats", {
      headers: { [SERVICE_TOKEN_HEADER]: origin.config.SERVICE_TOKEN },
    });
    return (await res.json()) as { stored: number; duplicates_at_origin: number; qualified_streams: { total: number } };
  };
  return { origin, signed, land, stats };
}
