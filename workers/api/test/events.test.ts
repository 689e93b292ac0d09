/**
 * `GET /v1/ops/events/stats` through the api worker (happy path): read through the origin, with the counts the events
 * pipeline promises (accepted, duplicates, failed by reason, stored, in flight, qualified streams per track and day)
 * and the reconciliation check. A bad window is in events.errors.test.ts; who is refused in events.security.test.ts.
 */
import { describe, expect, it } from "vitest";
import { stats } from "./support/events";
import { tokensFor } from "./support/tokens";

describe("GET /v1/ops/events/stats", () => {
  it("gives ops the pipeline's counts and whether accepted = stored + in flight holds", async () => {
    const { access_token } = await tokensFor("ops@demo.test");
    const res = await stats(access_token, "?from=2026-01-01&to=2026-12-31&limit=10");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      accepted: expect.any(Number),
      duplicates: expect.any(Number),
      stored: expect.any(Number),
      in_flight: expect.any(Number),
      failed: { by_reason: expect.any(Object), stored: expect.any(Number) },
      reconciliation: { holds: expect.any(Boolean), formula: expect.stringContaining("accepted") },
      qualified_streams: { from: "2026-01-01", to: "2026-12-31", by_track_day: expect.any(Array) },
    });
  });
});
