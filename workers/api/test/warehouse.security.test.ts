/** The warehouse's ops routes through the api worker refuse listeners (403) and anonymous callers (401). */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokensFor } from "./support/tokens";

const call = (path: string, token?: string, init: RequestInit = {}) =>
  exports.default.fetch(`http://api.test${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
  });

const backfill = { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: "{}\n" };

describe("warehouse ops routes: who is refused", () => {
  it("refuses listeners and anonymous callers the dashboard", async () => {
    const listener = await tokensFor("premium@demo.test");
    expect((await call("/v1/ops/dashboard", listener.access_token)).status).toBe(403);
    expect((await call("/v1/ops/dashboard")).status).toBe(401);
  });

  it("refuses listeners and anonymous callers the backfill", async () => {
    const listener = await tokensFor("free@demo.test");
    expect((await call("/v1/ops/history/backfill", listener.access_token, backfill)).status).toBe(403);
    expect((await call("/v1/ops/history/backfill", undefined, backfill)).status).toBe(401);
  });
});
