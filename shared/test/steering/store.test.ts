/**
 * Steering state in a real Redis (the test stack's redis-server behind the Upstash REST bridge): QoE samples in,
 * the edge's view out, month-to-date volume, the config's compare-and-set, and the per-isolate cache that keeps
 * steering on the last known state when Redis is unreachable. Measurements go to Antarctica (AQ/AN), which no other
 * test plays from.
 */
import type {} from "@cadence/local/src/test-bindings";
import { Redis } from "@upstash/redis";
import { describe, expect, inject, it } from "vitest";
import { recordServed } from "../../src/playback/served-media";
import { createEdgeViewCache } from "../../src/steering/edge-view";
import type { QoeSample } from "../../src/steering/measurements";
import { steer } from "../../src/steering/steer";
import {
  readSteeringConfig,
  readSteeringView,
  recordQoeSamples,
  steeringKeys,
  sweepExpiredBuckets,
  writeSteeringConfig,
} from "../../src/steering/store";

const stack = inject("stack");
const redis = new Redis({ url: stack.redisRestUrl, token: stack.redisRestToken, enableTelemetry: false });
const unreachable = new Redis({ url: "http://127.0.0.1:9", token: "x", enableTelemetry: false, retry: false });
const AQ = { country: "AQ", continent: "AN" };

function sample(over: Partial<QoeSample> = {}): QoeSample {
  return {
    ...AQ,
    cdn: "akamai",
    ttfbMs: 35,
    throughputBps: 40e6,
    bytes: 192_000,
    error: false,
    at: Date.now(),
    ...over,
  };
}

describe("recordQoeSamples", () => {
  it("records valid samples into the region's measurements and says why it refused the others", async () => {
    const now = Date.now();
    const before = await readSteeringView(redis, AQ, now);
    const n0 = before.country.cloudflare?.reduce((a, b) => a + b.n, 0) ?? 0;
    const result = await recordQoeSamples(
      redis,
      [
        ...Array.from({ length: 30 }, () => sample({ cdn: "cloudflare", ttfbMs: 20, at: now })),
        sample({ country: "ZZ" }),
        sample({ cdn: "fastly" as never }),
        sample({ bytes: -1 }),
        sample({ at: now + 3_600_000 }),
      ],
      now,
    );
    expect(result.recorded).toBe(30);
    expect(result.rejected.map((r) => r.index)).toEqual([30, 31, 32, 33]);
    expect(result.rejected[0]!.reason).toContain("ISO 3166-1");
    expect(result.rejected[1]!.reason).toContain("cloudfront, akamai, cloudflare");
    const after = await readSteeringView(redis, AQ, now);
    expect(after.country.cloudflare!.reduce((a, b) => a + b.n, 0) - n0).toBe(30);
    expect(after.continent.cloudflare!.reduce((a, b) => a + b.n, 0)).toBeGreaterThanOrEqual(30);
    const decision = steer({ sessionId: "s", region: AQ, now, view: after });
    expect(decision.scores.find((s) => s.cdn === "cloudflare")!.quality.basis).toBe("country AQ");
  });

  it("never counts a player's bytes toward a CDN's month: commit usage is what the CDNs served", async () => {
    const now = Date.now();
    const key = steeringKeys.usage(new Date(now).toISOString().slice(0, 7));
    const before = Number((await redis.hget(key, "cloudfront")) ?? 0);
    const result = await recordQoeSamples(redis, [sample({ cdn: "cloudfront", at: now, bytes: 1_000_000_000 })], now);
    expect(result).toEqual({ recorded: 1, rejected: [] });
    // Other tests' real deliveries may add a few MB meanwhile; the claimed gigabyte never arrives.
    const afterClaim = Number((await redis.hget(key, "cloudfront")) ?? 0);
    expect(afterClaim - before).toBeLessThan(1_000_000_000);
    await recordServed(redis, [{ sessionId: "s-usage", cdn: "cloudfront", bytes: 1_000_000, requests: 1, at: now }]);
    expect(Number(await redis.hget(key, "cloudfront")) - afterClaim).toBeGreaterThanOrEqual(1_000_000);
  });
});

describe("the janitor", () => {
  it("deletes buckets that aged out and keeps recent ones", async () => {
    const now = Date.now();
    const key = steeringKeys.quality("country", "AQ");
    const minute = Math.floor(now / 60_000);
    await recordQoeSamples(redis, [sample({ at: now })], now);
    await redis.hset(key, { [`${minute - 45}:akamai:n`]: 7 });
    await sweepExpiredBuckets(redis, now);
    const fields = Object.keys((await redis.hgetall(key)) ?? {});
    expect(fields).not.toContain(`${minute - 45}:akamai:n`);
    expect(fields).toContain(`${minute}:akamai:n`);
  });
});

describe("the config's compare-and-set", () => {
  it("refuses to write over a version the writer did not read", async () => {
    const current = await readSteeringConfig(redis);
    const stale = await writeSteeringConfig(redis, { ...current, version: current.version + 7 }, current.version + 6);
    expect(stale).toEqual({ ok: false, currentVersion: current.version });
    expect((await readSteeringConfig(redis)).version).toBe(current.version);
  });
});

describe("the edge's per-isolate view cache", () => {
  it("serves defaults when Redis was never reachable, then fresh, cached, and the last known view when it fails", async () => {
    const cache = createEdgeViewCache({ ttlMs: 5_000, timeoutMs: 2_000 });
    const t0 = Date.now();
    const none = await cache.get(unreachable, AQ, t0);
    expect(none.source).toBe("defaults");
    expect(none.view.config.thresholds.availabilityPercent).toBe(90);

    const fresh = await cache.get(redis, AQ, t0);
    expect(fresh.source).toBe("fresh");
    expect((await cache.get(unreachable, AQ, t0 + 1_000)).source).toBe("cached");

    const later = await cache.get(unreachable, AQ, t0 + 60_000);
    expect(later.source).toBe("last-known");
    expect(later.view).toBe(fresh.view);
    expect(later.ageMs).toBe(60_000);
    const elsewhere = await cache.get(unreachable, { country: "NZ", continent: "OC" }, t0 + 60_000);
    expect(elsewhere.source).toBe("last-known-config");
    expect(elsewhere.view.config).toEqual(fresh.view.config);
  });
});
