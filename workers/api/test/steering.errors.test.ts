/**
 * What steering ops refuse, and why: bad input is a 400 that says what to fix, deleting overrides a region does not
 * have is a 404, a stale `If-Match` is a 412, and with the audit log unreachable a change is refused (503) and the
 * config stays as it was.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createWorkerApp } from "@cadence/shared/worker-app";
import { beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../src/context";
import { steeringOpsRoutes } from "../src/steering/routes";
import { expect400, steeringCall, steeringConfig } from "./support/steering";
import { tokensFor } from "./support/tokens";

let ops: string;
beforeAll(async () => {
  ops = (await tokensFor("ops@demo.test")).access_token;
});

function call(method: string, path: string, body?: unknown, token = ops, headers: Record<string, string> = {}) {
  return steeringCall(token, method, path, body, headers);
}

const config = () => steeringConfig(ops);

describe("changing the config", () => {
  it("refuses bad input with a 400 that says what to fix", async () => {
    const { prices } = await config();
    await expect400(
      await call("PUT", "/prices", { prices: { ...prices, EU: { akamai: "-0.01" } } }),
      "non-negative decimal",
    );
    await expect400(await call("PUT", "/prices", { prices: { ...prices, EU: { akamai: 0.01 } } }), "decimal string");
    await expect400(
      await call("PUT", "/prices", { prices: { EU: { akamai: "0.01" } } }),
      "`default` must price every CDN",
    );
    await expect400(await call("PUT", "/prices", { prices: { ...prices, XY: { akamai: "0.01" } } }), "ISO 3166-1");
    await expect400(await call("PUT", "/weights", { cost: 60, quality: 60 }), "add up to 100");
    await expect400(
      await call("PUT", "/failover-order", { order: ["akamai", "fastly"] }),
      "cloudfront, akamai, cloudflare",
    );
    await expect400(await call("PUT", "/regions/NZ", { shares: { akamai: 50, cloudflare: 40 } }), "add up to 100");
    await expect400(await call("PUT", "/regions/ZZ", { pin: "akamai" }), "path.region");
    await expect400(await call("PUT", "/regions/NZ", { pin: "akamai", exclude: ["akamai"] }), "cannot pin");
    await expect400(await call("PATCH", "/thresholds", { availabilityPercent: 120 }), "availabilityPercent");
    await expect400(
      await call("PUT", "/commits", {
        commits: { akamai: { volumeGb: -5, pricePerGb: "0.004", burstPricePerGb: "0.02" } },
      }),
      "volumeGb",
    );
  });

  it("answers 404 when a region has no overrides to delete", async () => {
    expect((await call("PUT", "/regions/NZ", { pin: "akamai" })).status).toBe(200);
    expect((await call("DELETE", "/regions/NZ")).status).toBe(200);
    expect((await call("DELETE", "/regions/NZ")).status).toBe(404);
  });

  it("makes If-Match the caller's precondition: a stale version gets 412", async () => {
    // Move the config past version 0 first (an unchanged threshold is still a new version), so "0" is stale whatever
    // ran before this test.
    const bumped = await call("PATCH", "/thresholds", { bandMs: (await config()).thresholds.bandMs });
    expect(bumped.status).toBe(200);
    const current = await config();
    expect(current.version).toBeGreaterThan(0);
    const res = await call("PATCH", "/thresholds", { bandMs: current.thresholds.bandMs }, ops, { "if-match": '"0"' });
    expect(res.status).toBe(412);
    expect(((await res.json()) as { code: string }).code).toBe("precondition-failed");
    expect((await config()).version).toBe(current.version);
    const ok = await call("PATCH", "/thresholds", { bandMs: current.thresholds.bandMs }, ops, {
      "if-match": `"${(await config()).version}"`,
    });
    expect(ok.status).toBe(200);
  });
});

describe("reading what steering sees", () => {
  it("refuses a region that is not a country code with a 400", async () => {
    await expect400(
      await call("GET", "/state?country=Germany&continent=EU"),
      "country must be an ISO 3166-1 alpha-2 country, e.g. DE.",
    );
  });
});

describe("when the audit log cannot record a change", () => {
  it("answers 503 and leaves the config as it was", async () => {
    const app = createWorkerApp<Env>("api-test");
    app.route("/", steeringOpsRoutes());
    const before = await config();
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request("http://api.test/v1/ops/steering/weights", {
        method: "PUT",
        headers: { authorization: `Bearer ${ops}`, "content-type": "application/json" },
        body: JSON.stringify({ cost: 40, quality: 60 }),
      }),
      { ...env, ORIGIN_URL: "http://127.0.0.1:9" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe("audit-log-unavailable");
    const after = await config();
    expect(after.version).toBe(before.version);
    expect(after.weights).toEqual(before.weights);
  });
});
