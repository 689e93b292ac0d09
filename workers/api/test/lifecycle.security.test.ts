/**
 * Lifecycle ops routes through the api worker: listeners are refused (403), anonymous callers too (401); ops reach
 * the origin (the test stack configures no CRM endpoint, so a run answers 503 `lifecycle-not-configured`).
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokensFor } from "./support/tokens";

const call = (path: string, token?: string, method = "GET") =>
  exports.default.fetch(`http://api.test${path}`, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe("lifecycle ops routes", () => {
  it("refuses listeners and anonymous callers", async () => {
    const listener = await tokensFor("premium@demo.test");
    expect((await call("/v1/ops/lifecycle/deliveries", listener.access_token)).status).toBe(403);
    expect((await call("/v1/ops/lifecycle/run", undefined, "POST")).status).toBe(401);
  });

  it("lets ops list deliveries, and says when no CRM endpoint is configured", async () => {
    const ops = await tokensFor("ops@demo.test");
    const list = await call("/v1/ops/lifecycle/deliveries", ops.access_token);
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ deliveries: [] });
    const run = await call("/v1/ops/lifecycle/run", ops.access_token, "POST");
    expect(run.status).toBe(503);
    expect(await run.json()).toMatchObject({ code: "lifecycle-not-configured" });
  });
});
