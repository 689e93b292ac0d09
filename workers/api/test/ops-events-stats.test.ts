/**
 * `GET /v1/ops/events/stats` through the api worker: ops only, read through the origin, with the counts the events
 * pipeline promises (accepted, duplicates, failed by reason, stored, in flight, qualified streams per track and day)
 * and the reconciliation check.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokensFor } from "./tokens";

const stats = (token?: string, query = "") =>
  exports.default.fetch(`http://api.test/v1/ops/events/stats${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

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

  it("refuses listeners (403) and anonymous callers (401), and a bad window (400)", async () => {
    const { access_token } = await tokensFor("premium@demo.test");
    expect((await stats(access_token)).status).toBe(403);
    expect((await stats()).status).toBe(401);
    const ops = await tokensFor("ops@demo.test");
    const bad = await stats(ops.access_token, "?from=2026-02-01&to=2026-01-01");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });
});
