/**
 * The cron probes: a CDN edge that answers (even 403/404 to an unsigned request) is up, one that cannot be reached
 * is down; the worker's `scheduled` handler probes every pathway and stores the states steering reads.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import { readProbeStates } from "@cadence/shared/steering/store";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { probeOnce, probeUrls } from "../src/steering/probes";

describe("steering probes", () => {
  it("counts an answering CDN edge as up and an unreachable one as down", async () => {
    const up = await probeOnce(probeUrls(env).cloudfront);
    expect(up.ok).toBe(true);
    expect(up.ttfbMs).toBeGreaterThanOrEqual(0);
    const down = await probeOnce("http://127.0.0.1:9/");
    expect(down.ok).toBe(false);
    expect(down.error).toBeTruthy();
  });

  it("the cron handler probes every pathway and stores the states steering reads", async () => {
    const started = Date.now();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: started, cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const states = await readProbeStates(redisFor(env));
    for (const cdn of ["cloudfront", "akamai", "cloudflare"] as const) {
      expect(states[cdn]?.lastAt).toBeGreaterThanOrEqual(started - 1000);
      expect(states[cdn]?.status).toBe("up");
    }
  });
});
