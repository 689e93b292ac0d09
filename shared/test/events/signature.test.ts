/** The consumer -> origin credential: only the right secret, method, path and body within the time window verify. */
import { describe, expect, it } from "vitest";
import { signEventsRequest, verifyEventsRequest } from "../../src/events/signature";

const secret = "s".repeat(40);

describe("events request signatures", () => {
  it("verifies the signed request and nothing else", async () => {
    const now = Date.now();
    const header = await signEventsRequest(secret, "POST", "/v1/internal/events/batches", '{"a":1}', now);
    expect(await verifyEventsRequest(secret, header, "POST", "/v1/internal/events/batches", '{"a":1}', now)).toEqual({
      ok: true,
    });
    const refused = [
      await verifyEventsRequest("t".repeat(40), header, "POST", "/v1/internal/events/batches", '{"a":1}', now),
      await verifyEventsRequest(secret, header, "POST", "/v1/internal/events/batches", '{"a":2}', now),
      await verifyEventsRequest(secret, header, "POST", "/v1/internal/events/lookup", '{"a":1}', now),
      await verifyEventsRequest(secret, header, "POST", "/v1/internal/events/batches", '{"a":1}', now + 10 * 60_000),
      await verifyEventsRequest(secret, undefined, "POST", "/v1/internal/events/batches", '{"a":1}', now),
    ];
    for (const r of refused) expect(r.ok).toBe(false);
  });
});
