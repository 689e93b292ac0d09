/**
 * Ops control of steering through the api worker: scope (a listener gets 403), reading and changing each part of
 * the config with clear 400s for bad input, every change in the origin's audit log with who, when, old and new
 * value, version preconditions, the live picture per region, and no change applied when the audit log cannot take it.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import type { SteeringConfig } from "@cadence/shared/steering/config";
import { readSteeringView, recordQoeSamples } from "@cadence/shared/steering/store";
import { createWorkerApp } from "@cadence/shared/worker-app";
import { beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../src/context";
import { steeringOpsRoutes } from "../src/ops/steering";
import { tokensFor } from "./tokens";

let ops: string;
let listener: string;
beforeAll(async () => {
  ops = (await tokensFor("ops@demo.test")).access_token;
  listener = (await tokensFor("premium@demo.test")).access_token;
});

function call(method: string, path: string, body?: unknown, token = ops, headers: Record<string, string> = {}) {
  return exports.default.fetch(`http://api.test/v1/ops/steering${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function config(): Promise<SteeringConfig> {
  const res = await call("GET", "");
  expect(res.status).toBe(200);
  return (await res.json()) as SteeringConfig;
}

async function expect400(res: Response, fragment: string) {
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as { code: string; detail: string };
  expect(body.code).toBe("validation-failed");
  expect(body.detail).toContain(fragment);
}

describe("who may steer", () => {
  it("gives a listener 403 and no token 401, on reads and changes alike", async () => {
    for (const [method, path, body] of [
      ["GET", "", undefined],
      ["PUT", "/weights", { cost: 50, quality: 50 }],
      ["GET", "/audit", undefined],
      ["GET", "/state?country=DE&continent=EU", undefined],
    ] as const) {
      const res = await call(method, path, body, listener);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe("insufficient-scope");
      expect((await exports.default.fetch(`http://api.test/v1/ops/steering${path}`, { method })).status).toBe(401);
    }
  });
});

describe("changing the config", () => {
  it("replaces prices, bumps the version, audits who/when/old/new, and the edge reads the new prices", async () => {
    const before = await config();
    const prices = { ...before.prices, EU: { cloudfront: "0.0125", akamai: "0.011", cloudflare: "0.006" } };
    const started = Date.now();
    const res = await call("PUT", "/prices", { prices });
    expect(res.status).toBe(200);
    const { config: after, audit_id } = (await res.json()) as { config: SteeringConfig; audit_id: string };
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.prices.EU).toEqual(prices.EU);
    expect(res.headers.get("etag")).toBe(`"${after.version}"`);

    const edge = await readSteeringView(redisFor(env), { country: "DE", continent: "EU" }, Date.now());
    expect(edge.config.prices.EU).toEqual(prices.EU);

    const audit = (await (await call("GET", "/audit?limit=20")).json()) as {
      entries: Array<{
        id: string;
        at: number;
        actor: { email?: string };
        action: string;
        entityVersion: number;
        old: unknown;
        new: unknown;
      }>;
    };
    const entry = audit.entries.find((e) => e.id === audit_id)!;
    expect(entry).toMatchObject({
      action: "steering.prices.replace",
      entityVersion: after.version,
      actor: { email: "ops@demo.test" },
    });
    expect(entry.old).toEqual(before.prices);
    expect(entry.new).toEqual(prices);
    expect(entry.at).toBeGreaterThanOrEqual(started);

    expect((await call("PUT", "/prices", { prices: before.prices })).status).toBe(200); // put it back
  });

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

  it("sets and clears a region's overrides, and the region's live picture follows", async () => {
    expect((await call("PUT", "/regions/NZ", { pin: "akamai", drain: ["cloudfront"] })).status).toBe(200);
    const state = (await (await call("GET", "/state?country=NZ&continent=OC")).json()) as {
      mode: string;
      shares: Record<string, number>;
      scores: Array<{ cdn: string; status: string; reasons: string[] }>;
    };
    expect(state.mode).toBe("pinned");
    expect(state.shares.akamai).toBe(100);
    expect(state.scores.find((s) => s.cdn === "cloudfront")!.status).toBe("drained");
    expect((await call("DELETE", "/regions/NZ")).status).toBe(200);
    expect((await call("DELETE", "/regions/NZ")).status).toBe(404);
  });

  it("makes If-Match the caller's precondition: a stale version gets 412", async () => {
    const current = await config();
    const res = await call("PATCH", "/thresholds", { bandMs: current.thresholds.bandMs }, ops, { "if-match": '"0"' });
    if (current.version !== 0) expect(res.status).toBe(412);
    const ok = await call("PATCH", "/thresholds", { bandMs: current.thresholds.bandMs }, ops, {
      "if-match": `"${(await config()).version}"`,
    });
    expect(ok.status).toBe(200);
  });
});

describe("reading what steering sees", () => {
  it("shows measured quality per region x CDN and scores with shares adding up to 100", async () => {
    const now = Date.now();
    await recordQoeSamples(
      redisFor(env),
      Array.from({ length: 30 }, (_, i) => ({
        country: "AQ",
        continent: "AN",
        cdn: "cloudflare" as const,
        ttfbMs: 25 + (i % 5),
        throughputBps: 20e6,
        bytes: 192_000,
        error: false,
        at: now,
      })),
    );
    const quality = (await (await call("GET", "/quality")).json()) as {
      regions: Array<{ region: string; cdns: Record<string, { samples: number; ttfbMs?: number }> }>;
    };
    const aq = quality.regions.find((r) => r.region === "country:AQ")!;
    expect(aq.cdns.cloudflare!.samples).toBeGreaterThan(0);
    expect(aq.cdns.cloudflare!.ttfbMs).toBeGreaterThan(20);

    const state = (await (await call("GET", "/state?country=AQ&continent=AN")).json()) as {
      shares: Record<string, number>;
      scores: Array<{ parts: Record<string, number>; quality: { basis: string } }>;
    };
    const total = Object.values(state.shares).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(99.9);
    expect(total).toBeLessThan(100.1);
    expect(state.scores[0]!.parts).toHaveProperty("cost");
    await expect400(await call("GET", "/state?country=Germany&continent=EU"), "query.country");
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
