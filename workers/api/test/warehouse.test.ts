/**
 * `GET /v1/ops/dashboard` and `POST /v1/ops/history/backfill` through the api worker (happy path): the dashboard is
 * read from the origin's warehouse and cached at the edge for a minute; a backfill chunk is forwarded and reported.
 * Who is refused: warehouse.security.test.ts; a bad range: warehouse.errors.test.ts.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokensFor } from "./support/tokens";

const call = (path: string, token?: string, init: RequestInit = {}) =>
  exports.default.fetch(`http://api.test${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
  });

describe("GET /v1/ops/dashboard", () => {
  it("answers ops from the warehouse, then from the edge cache for the same query", async () => {
    const { access_token } = await tokensFor("ops@demo.test");
    const query = `?from=2026-01-01&to=2026-01-31&granularity=day&nonce=${crypto.randomUUID()}`;
    const first = await call(`/v1/ops/dashboard${query}`, access_token);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("miss");
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      warehouse: "duckdb",
      summary: { plays: expect.any(Number), cdn_cost: expect.any(String) },
      revenue: { available: false, reason: "no revenue data yet" },
    });
    const second = await call(`/v1/ops/dashboard${query}`, access_token);
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(await second.json()).toEqual(body);
  });
});

describe("POST /v1/ops/history/backfill", () => {
  it("imports a chunk for ops", async () => {
    const line = JSON.stringify({
      event_id: crypto.randomUUID(),
      type: "play_start",
      session_id: "ses_api_backfill",
      track_id: "trk_api_backfill",
      client_ts: "2024-03-01T10:00:00.000Z",
      listener: { user_id: "acc_api_backfill", tier: "free", country: "US" },
    });
    const init = { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: `${line}\n` };
    const ops = await tokensFor("ops@demo.test");
    const res = await call("/v1/ops/history/backfill", ops.access_token, init);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ lines: 1, stored: 1, refused: { total: 0 } });
  });
});
