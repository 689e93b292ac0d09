/**
 * The origin's events landing as the queue consumer meets it: only signed calls, idempotent per batch and per event
 * id, a bad message refused without holding back the good ones, dead letters parked and listed, and a store whose
 * counts match what landed.
 */
import { signEventsRequest } from "@cadence/shared/events/signature";
import { describe, expect, it } from "vitest";
import { freshOrigin } from "./helpers";

const SECRET = "test-events-ingest-secret-0123456789abcdef";

function message(events: Array<Record<string, unknown>>, batchId: string = crypto.randomUUID()) {
  return { v: 1, batch_id: batchId, events, failures: [] as unknown[] };
}

function playEvent(eventId = crypto.randomUUID(), sessionId = "ps-1") {
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

async function setup() {
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
    const res = await signed("POST", "/internal/events/batches", {
      messages: messages.map((body, i) => ({ id: `m${i}`, attempts: 1, body })),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { results: Array<Record<string, unknown>> }).results;
  };
  const stats = async () => {
    const res = await origin.request("/internal/events/stats", {
      headers: { "x-service-token": origin.config.SERVICE_TOKEN },
    });
    return (await res.json()) as { stored: number; duplicates_at_origin: number; qualified_streams: { total: number } };
  };
  return { origin, signed, land, stats };
}

describe("landing", () => {
  it("refuses unsigned, wrongly signed and edge-token-only calls", async () => {
    const { origin } = await setup();
    const body = JSON.stringify({ messages: [{ id: "m", attempts: 1, body: message([playEvent()]) }] });
    const unsigned = await origin.request("/internal/events/batches", {
      method: "POST",
      headers: { "content-type": "application/json", "x-service-token": origin.config.SERVICE_TOKEN },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ code: "events-signature-invalid" });
    const forged = await origin.request("/internal/events/batches", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-events-signature": await signEventsRequest("x".repeat(40), "POST", "/internal/events/batches", body),
      },
      body,
    });
    expect(forged.status).toBe(401);
  });

  it("lands a batch once: a redelivery changes nothing, a known event id from another batch is a duplicate", async () => {
    const { land, stats } = await setup();
    const first = message([playEvent(), playEvent()]);
    expect(await land([first])).toEqual([
      { id: "m0", batch_id: first.batch_id, status: "stored", inserted: 2, duplicates: 0, failures: 0 },
    ]);
    expect(await land([first])).toEqual([{ id: "m0", batch_id: first.batch_id, status: "already-landed" }]);
    const again = message([first.events[0] as Record<string, unknown>, playEvent()]);
    expect(await land([again])).toMatchObject([{ status: "stored", inserted: 1, duplicates: 1 }]);
    expect(await stats()).toMatchObject({ stored: 3, duplicates_at_origin: 1 });
  });

  it("answers a malformed message as invalid and still lands the good ones in the same call", async () => {
    const { land, stats } = await setup();
    const good = message([playEvent()]);
    const results = await land([{ v: 1, batch_id: "nope", events: [] }, good]);
    expect(results).toContainEqual(expect.objectContaining({ id: "m0", status: "invalid" }));
    expect(results).toContainEqual(expect.objectContaining({ id: "m1", status: "stored" }));
    expect((await stats()).stored).toBe(1);
  });
});

describe("dead letters", () => {
  it("parks dead messages once, lists them as pending, and marks them replayed", async () => {
    const { signed } = await setup();
    const body = JSON.stringify(message([playEvent()], "b-dead-1"));
    for (let i = 0; i < 2; i++) {
      const res = await signed("POST", "/internal/events/dead-letters", {
        messages: [{ id: "dlq-msg-1", attempts: 1, body }],
      });
      expect(res.status).toBe(200);
    }
    const list = async (status: string) =>
      (
        (await (await signed("GET", `/internal/events/dead-letters?status=${status}`)).json()) as {
          dead_letters: Array<Record<string, unknown>>;
        }
      ).dead_letters;
    expect(await list("pending")).toMatchObject([{ batch_id: "b-dead-1", events: 1, dead_count: 1 }]);
    const marked = await signed("POST", "/internal/events/dead-letters/replayed", { batch_ids: ["b-dead-1"] });
    expect(await marked.json()).toEqual({ marked: 1 });
    expect(await list("pending")).toEqual([]);
    expect(await list("replayed")).toMatchObject([{ batch_id: "b-dead-1", replay_count: 1 }]);
  });
});

describe("fault knob", () => {
  it("is refused in production", async () => {
    const origin = await freshOrigin({ EVENTS_INGEST_SECRET: SECRET, CADENCE_ENV: "production" });
    const res = await origin.request("/internal/events/faults", {
      method: "PUT",
      headers: { "content-type": "application/json", "x-service-token": origin.config.SERVICE_TOKEN },
      body: JSON.stringify({ mode: "error", calls: 1 }),
    });
    expect(res.status).toBe(403);
  });
});
