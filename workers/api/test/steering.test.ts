/**
 * Ops control of steering through the api worker (happy path): changing a part of the config bumps its version, the
 * edge reads it and the origin's audit log holds who, when, old and new value; a region's overrides show in its live
 * picture; measured quality and scores per region. Bad input, stale versions and an unreachable audit log are in
 * steering.errors.test.ts; who may steer in steering.security.test.ts.
 */
import { env } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import type { SteeringConfig } from "@cadence/shared/steering/config";
import { readSteeringView, recordQoeSamples } from "@cadence/shared/steering/store";
import { beforeAll, describe, expect, it } from "vitest";
import { steeringCall, steeringConfig } from "./support/steering";
import { tokensFor } from "./support/tokens";

let ops: string;
beforeAll(async () => {
  ops = (await tokensFor("ops@demo.test")).access_token;
});

function call(method: string, path: string, body?: unknown) {
  return steeringCall(ops, method, path, body);
}

const config = () => steeringConfig(ops);

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
  });
});
