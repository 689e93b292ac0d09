/**
 * Failover and recovery: a CDN whose availability in a region drops below the threshold is out at once, stays out
 * for the hysteresis window, then gets a trial share; the trial's own samples bring it back or take it out again.
 * Synthetic probes take a CDN out everywhere the same way.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../src/steering/config";
import { BUCKET_MS, measureCdn } from "../../src/steering/measurements";
import { nextProbeState, PROBE_STALE_MS } from "../../src/steering/probes";
import { steer } from "../../src/steering/steer";
import { bucket, DE, MINUTE, sessions, steady, view } from "./fixtures";

const t = DEFAULT_THRESHOLDS; // 90%, 300 s hysteresis
const at = (minute: number, second = 30) => minute * BUCKET_MS + second * 1000;

// Cloudfront in DE: fine for 10 minutes, then a minute where players hit errors (they fail over after one each).
const failing = [...steady(30, { endMinute: MINUTE - 1 }), bucket(MINUTE, 60, 1, 30)];

describe("availability threshold with hysteresis", () => {
  it("takes a CDN out as soon as its recent availability falls below the threshold", () => {
    expect(measureCdn(steady(30, { errorRate: 0.05 }), at(MINUTE), t).health.status).toBe("up");
    const h = measureCdn(failing, at(MINUTE), t).health;
    expect(h.status).toBe("down");
    expect(h.trialAt).toBe((h.since ?? 0) + t.hysteresisSeconds * 1000);
  });

  it("catches a CDN carrying only exploration traffic, but not one unlucky error", () => {
    const light = steady(30, { perMinute: 20, endMinute: MINUTE - 1 });
    expect(measureCdn([...light, bucket(MINUTE, 6, 1, 30)], at(MINUTE, 10), t).health.status).toBe("down");
    expect(measureCdn([...light, bucket(MINUTE, 4, 0.25, 30)], at(MINUTE, 10), t).health.status).toBe("up");
  });

  it("keeps it out for the hysteresis window even with no new data, then offers a trial", () => {
    expect(measureCdn(failing, at(MINUTE + 4), t).health.status).toBe("down");
    expect(measureCdn(failing, at(MINUTE + 6), t).health.status).toBe("trial");
  });

  it("brings it back after good trial samples, and out again after bad ones", () => {
    const good = [...failing, bucket(MINUTE + 6, 40, 0, 30)];
    expect(measureCdn(good, at(MINUTE + 6, 40), t).health.status).toBe("up");
    const bad = [...failing, bucket(MINUTE + 6, 40, 0.5, 30)];
    const h = measureCdn(bad, at(MINUTE + 6, 40), t).health;
    expect(h.status).toBe("down");
    expect(measureCdn(bad, at(MINUTE + 10), t).health.status).toBe("down");
  });

  it("steering drops a down CDN from the pathways and gives a trial CDN only new sessions", () => {
    const country = { cloudfront: failing, akamai: steady(40), cloudflare: steady(40) };
    const down = steer({ sessionId: "s", region: DE, now: at(MINUTE), view: view({ country }) });
    expect(down.pathways).not.toContain("cloudfront");
    expect(down.scores.find((s) => s.cdn === "cloudfront")!.status).toBe("down");

    const later = at(MINUTE + 6);
    const trial = sessions(2000).map((id) => steer({ sessionId: id, region: DE, now: later, view: view({ country }) }));
    const onTrial = trial.filter((d) => d.pathways[0] === "cloudfront").length / trial.length;
    expect(onTrial).toBeGreaterThan(0.05);
    expect(onTrial).toBeLessThan(0.15);
    // A session already playing on a healthy pathway stays there.
    for (const id of sessions(300)) {
      const d = steer({ sessionId: id, region: DE, now: later, view: view({ country }), currentPathway: "akamai" });
      expect(d.pathways[0]).not.toBe("cloudfront");
    }
  });

  it("still lists a second pathway when only one is healthy", () => {
    const country = { cloudfront: failing, akamai: failing, cloudflare: steady(40) };
    const d = steer({ sessionId: "s", region: DE, now: at(MINUTE), view: view({ country }) });
    expect(d.pathways[0]).toBe("cloudflare");
    expect(d.pathways).toHaveLength(2);
  });
});

describe("synthetic probes", () => {
  it("a failed run takes the CDN out; it returns after the hysteresis window and two good runs", () => {
    const h = 300_000;
    let s = nextProbeState(undefined, { ok: true, at: 0 }, h);
    s = nextProbeState(s, { ok: false, at: 60_000, error: "timeout" }, h);
    expect(s.status).toBe("down");
    s = nextProbeState(s, { ok: true, at: 120_000 }, h);
    s = nextProbeState(s, { ok: true, at: 180_000 }, h);
    expect(s.status).toBe("down"); // good runs, but inside the hysteresis window
    s = nextProbeState(s, { ok: true, at: 360_000 }, h);
    expect(s.status).toBe("up");
  });

  it("steering takes a CDN out while its probes fail, and ignores a probe state gone stale", () => {
    const country = { cloudfront: steady(30), akamai: steady(30), cloudflare: steady(30) };
    const v = view({ country });
    v.probes = { cloudflare: { status: "down", since: at(MINUTE) - 60_000, lastAt: at(MINUTE) - 10_000, okStreak: 0 } };
    expect(steer({ sessionId: "s", region: DE, now: at(MINUTE), view: v }).pathways).not.toContain("cloudflare");
    const stale = at(MINUTE) + PROBE_STALE_MS;
    expect(
      steer({ sessionId: "s", region: DE, now: stale, view: v }).scores.find((s) => s.cdn === "cloudflare")!.status,
    ).not.toBe("down");
  });
});
