/**
 * The steering engine as ops and players meet it: which pathway a session gets and why, how sessions spread and
 * stay, how cost, commits, the stabilisation band, health and ops overrides change the ranking.
 */
import { describe, expect, it } from "vitest";
import { CDN_IDS } from "../../src/cdn/cdn-id";
import { DEFAULT_THRESHOLDS } from "../../src/steering/config";
import { cdnCost } from "../../src/steering/cost";
import { steeringManifest } from "../../src/steering/manifest";
import { steer } from "../../src/steering/steer";
import { countFirst, DE, EQUAL_PRICES, NOW, sessions, steady, view } from "./fixtures";

const measured = (ttfb: Record<string, number>, extra: { errorRate?: Record<string, number> } = {}) =>
  Object.fromEntries(
    Object.entries(ttfb).map(([cdn, ms]) => [cdn, steady(ms, { errorRate: extra.errorRate?.[cdn] ?? 0 })]),
  );

describe("deterministic scoring with reasons", () => {
  it("gives the same ranking, scores and parts for the same inputs, and says why", () => {
    const input = {
      sessionId: "session-a",
      region: DE,
      now: NOW,
      view: view({ country: measured({ cloudfront: 40, akamai: 30, cloudflare: 60 }) }),
    };
    const first = steer(input);
    expect(steer(structuredClone(input))).toEqual(first);
    const akamai = first.scores.find((s) => s.cdn === "akamai")!;
    expect(akamai.quality.basis).toBe("country DE");
    expect(akamai.parts.latency).toBe(0);
    expect(akamai.reasons.join(" ")).toContain("fastest");
    const cloudflare = first.scores.find((s) => s.cdn === "cloudflare")!;
    expect(cloudflare.parts.latency).toBeGreaterThan(0);
    expect(cloudflare.reasons.join(" ")).toMatch(/slower than the fastest/);
    const { cost, quality } = input.view.config.weights;
    for (const s of first.scores) {
      expect(s.score).toBeCloseTo(
        (cost / 100) * s.parts.cost + (quality / 100) * (s.parts.latency + s.parts.errors),
        3,
      );
    }
    expect(new Set(first.pathways).size).toBe(3);
  });

  it("with equal prices, the fastest CDN takes the traffic and the rest is exploration", () => {
    const v = view({
      country: measured({ cloudfront: 50, akamai: 25, cloudflare: 60 }),
      config: { prices: EQUAL_PRICES },
    });
    const d = steer({ sessionId: "x", region: DE, now: NOW, view: v });
    const share = Object.fromEntries(d.scores.map((s) => [s.cdn, s.sharePercent]));
    expect(share.akamai).toBeGreaterThan(95);
    expect(share.cloudfront).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.exploreSharePercent - 0.01);
    expect(share.cloudflare).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.exploreSharePercent - 0.01);
  });
});

describe("consistent hashing on the session id", () => {
  const ids = sessions(20_000);
  const shares = { cloudfront: 50, akamai: 30, cloudflare: 20 };
  const fixed = (s: Record<string, number>) => view({ config: { regions: { DE: { shares: s } } } });

  it("spreads sessions in proportion to the shares", () => {
    const counts = countFirst(
      ids,
      (id) => steer({ sessionId: id, region: DE, now: NOW, view: fixed(shares) }).pathways[0]!,
    );
    expect(counts.cloudfront / ids.length).toBeCloseTo(0.5, 1);
    expect(counts.akamai / ids.length).toBeCloseTo(0.3, 1);
    expect(counts.cloudflare / ids.length).toBeCloseTo(0.2, 1);
  });

  it("keeps a session on its CDN across reloads, and a weight change moves only the share it must", () => {
    const before = new Map(
      ids.map((id) => [id, steer({ sessionId: id, region: DE, now: NOW, view: fixed(shares) }).pathways[0]]),
    );
    for (const id of ids.slice(0, 200)) {
      expect(steer({ sessionId: id, region: DE, now: NOW + 60_000, view: fixed(shares) }).pathways[0]).toBe(
        before.get(id),
      );
    }
    // Akamai's weight 30 -> 20 (the others unchanged): its share falls from 30% to 22.2%, so about 7.8% of sessions
    // move, every one of them from akamai, to the others in proportion.
    const after = { cloudfront: 50, akamai: 20, cloudflare: 20 };
    let moved = 0;
    for (const id of ids) {
      const now = steer({ sessionId: id, region: DE, now: NOW, view: fixed(after) }).pathways[0];
      if (now !== before.get(id)) {
        moved++;
        expect(before.get(id)).toBe("akamai");
      }
    }
    expect(moved / ids.length).toBeGreaterThan(0.065);
    expect(moved / ids.length).toBeLessThan(0.09);
  });
});

describe("stabilisation band and cost", () => {
  // Default prices: cloudflare cheapest (0.010), akamai 0.015, cloudfront 0.020.
  it("treats a CDN within the band as equally fast, so the cheaper one wins", () => {
    const d = steer({
      sessionId: "s",
      region: DE,
      now: NOW,
      view: view({ country: measured({ cloudfront: 40, akamai: 40, cloudflare: 43 }) }),
    });
    const cloudflare = d.scores.find((s) => s.cdn === "cloudflare")!;
    expect(cloudflare.parts.latency).toBe(0);
    expect(cloudflare.reasons.join(" ")).toContain("within the stabilisation band");
    expect(cloudflare.sharePercent).toBeGreaterThan(90);
  });

  it("lets a clearly faster CDN win over a cheaper one outside the band", () => {
    const d = steer({
      sessionId: "s",
      region: DE,
      now: NOW,
      view: view({ country: measured({ cloudfront: 200, akamai: 40, cloudflare: 200 }) }),
    });
    expect(d.scores.find((s) => s.cdn === "akamai")!.sharePercent).toBeGreaterThan(90);
  });

  it("ramps a commit from already-paid to burst as the month's pace runs past it", () => {
    const config = {
      ...view().config,
      commits: { cloudfront: { volumeGb: 1000, pricePerGb: "0.005", burstPricePerGb: "0.030" } },
    };
    const chain = ["DE", "EU", "default"];
    const mid = Date.UTC(2026, 10, 16); // half the month gone
    const usage = (gb: number) => ({ month: "2026-11", bytes: { cloudfront: gb * 1e9 } });
    expect(cdnCost(config, "cloudfront", chain, usage(300), mid)).toMatchObject({
      basis: "commit-under-pace",
      marginalMicrosPerGb: 0,
    });
    const pacing = cdnCost(config, "cloudfront", chain, usage(525), mid);
    expect(pacing.basis).toBe("commit-pacing");
    expect(pacing.marginalMicrosPerGb).toBeGreaterThan(0);
    expect(pacing.marginalMicrosPerGb).toBeLessThan(30_000);
    expect(cdnCost(config, "cloudfront", chain, usage(1000), mid)).toMatchObject({
      basis: "burst",
      marginalMicrosPerGb: 30_000,
    });
    expect(cdnCost(config, "akamai", chain, usage(0), mid)).toMatchObject({
      basis: "list",
      marginalMicrosPerGb: 15_000,
    });
  });

  it("moves traffic onto an under-used commit and off it once it bursts", () => {
    const commits = { cloudfront: { volumeGb: 1000, pricePerGb: "0.005", burstPricePerGb: "0.050" } };
    const equalSpeed = measured({ cloudfront: 40, akamai: 40, cloudflare: 40 });
    const at = (gb: number) => {
      const v = view({ country: equalSpeed, config: { commits } });
      v.usage = { month: "2026-11", bytes: { cloudfront: gb * 1e9 } };
      return steer({ sessionId: "s", region: DE, now: NOW, view: v }).scores.find((s) => s.cdn === "cloudfront")!;
    };
    expect(at(100).sharePercent).toBeGreaterThan(90);
    expect(at(100).reasons.join(" ")).toContain("already paid");
    expect(at(1000).sharePercent).toBeLessThan(5);
    expect(at(1000).reasons.join(" ")).toContain("commit used up");
  });
});

describe("sparse data", () => {
  it("falls back from the country to its continent when the country has too few samples", () => {
    const d = steer({
      sessionId: "s",
      region: DE,
      now: NOW,
      view: view({
        country: { akamai: steady(30, { perMinute: 1, minutes: 2 }) },
        continent: measured({ cloudfront: 40, akamai: 40, cloudflare: 40 }),
      }),
    });
    expect(d.mode).toBe("scored");
    expect(d.scores.every((s) => s.quality.basis === "continent EU")).toBe(true);
    expect(d.scores[0]!.reasons.join(" ")).toContain("using EU");
  });

  it("uses the failover order, everyone on its first CDN, when nothing is measured", () => {
    const v = view({ config: { failoverOrder: ["akamai", "cloudflare", "cloudfront"] } });
    for (const id of sessions(200)) {
      const d = steer({ sessionId: id, region: DE, now: NOW, view: v });
      expect(d.mode).toBe("failover-order");
      expect(d.pathways).toEqual(["akamai", "cloudflare", "cloudfront"]);
    }
  });
});

describe("ops overrides per region", () => {
  const data = measured({ cloudfront: 40, akamai: 40, cloudflare: 40 });
  it("pin starts every session on the pinned CDN", () => {
    for (const id of sessions(50)) {
      const d = steer({
        sessionId: id,
        region: DE,
        now: NOW,
        view: view({ country: data, config: { regions: { DE: { pin: "akamai" } } } }),
      });
      expect(d.pathways[0]).toBe("akamai");
      expect(d.mode).toBe("pinned");
    }
  });

  it("drain gives no new traffic but keeps the CDN listed last; exclude removes it", () => {
    const regions = { EU: { drain: ["cloudflare" as const] }, DE: { exclude: ["cloudfront" as const] } };
    for (const id of sessions(50)) {
      const d = steer({ sessionId: id, region: DE, now: NOW, view: view({ country: data, config: { regions } }) });
      expect(d.pathways).toEqual(["akamai", "cloudflare"]);
    }
  });
});

describe("the steering manifest", () => {
  it("is VERSION 1 with TTL, RELOAD-URI and de-duplicated PATHWAY-PRIORITY", () => {
    expect(steeringManifest(["akamai", "cloudflare", "akamai"], 60, "/v1/steering/s?pt=t")).toEqual({
      VERSION: 1,
      TTL: 60,
      "RELOAD-URI": "/v1/steering/s?pt=t",
      "PATHWAY-PRIORITY": ["akamai", "cloudflare"],
    });
    expect(() => steeringManifest([], 60)).toThrow();
  });

  it("lists every healthy pathway, at least two", () => {
    const d = steer({
      sessionId: "s",
      region: DE,
      now: NOW,
      view: view({ country: measured({ cloudfront: 40, akamai: 40, cloudflare: 40 }) }),
    });
    expect([...d.pathways].sort()).toEqual([...CDN_IDS].sort());
  });
});
