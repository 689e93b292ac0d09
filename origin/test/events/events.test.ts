/**
 * The origin's events landing as the queue consumer meets it: idempotent per batch and per event id, dead letters
 * parked and listed, and a store whose counts match what landed. What is refused: events.errors.test.ts (malformed
 * messages) and events.security.test.ts (unsigned calls, the fault knob in production).
 */
import { describe, expect, it } from "vitest";
import { message, playEvent, setup } from "./helpers";

describe("landing", () => {
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
});

describe("dead letters", () => {
  it("parks dead messages once, lists them as pending, and marks them replayed", async () => {
    const { signed } = await setup();
    const body = JSON.stringify(message([playEvent()], "b-dead-1"));
    for (let i = 0; i < 2; i++) {
      const res = await signed("POST", "/v1/internal/events/dead-letters", {
        messages: [{ id: "dlq-msg-1", attempts: 1, body }],
      });
      expect(res.status).toBe(200);
    }
    const list = async (status: string) =>
      (
        (await (await signed("GET", `/v1/internal/events/dead-letters?status=${status}`)).json()) as {
          dead_letters: Array<Record<string, unknown>>;
        }
      ).dead_letters;
    expect(await list("pending")).toMatchObject([{ batch_id: "b-dead-1", events: 1, dead_count: 1 }]);
    const marked = await signed("POST", "/v1/internal/events/dead-letters/replayed", { batch_ids: ["b-dead-1"] });
    expect(await marked.json()).toEqual({ marked: 1 });
    expect(await list("pending")).toEqual([]);
    expect(await list("replayed")).toMatchObject([{ batch_id: "b-dead-1", replay_count: 1 }]);
  });
});
