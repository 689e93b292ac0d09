/** The warehouse's ops routes through the api worker: a bad dashboard range or backfill body is a 400 problem. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokensFor } from "./support/tokens";

const call = (path: string, token?: string, init: RequestInit = {}) =>
  exports.default.fetch(`http://api.test${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
  });

describe("warehouse ops routes: bad input", () => {
  it("answers a bad range or granularity with a problem saying what to fix", async () => {
    const ops = await tokensFor("ops@demo.test");
    for (const query of ["?granularity=hour", "?from=2026-02-01&to=2026-01-01", "?country=germany"]) {
      const res = await call(`/v1/ops/dashboard${query}`, ops.access_token);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("answers an empty backfill chunk with a 400 problem", async () => {
    const ops = await tokensFor("ops@demo.test");
    const res = await call("/v1/ops/history/backfill", ops.access_token, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: "\n",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
