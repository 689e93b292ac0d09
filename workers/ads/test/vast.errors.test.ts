/**
 * What the decision endpoint refuses or survives: bad input is a 400 problem that names the field to fix, and edge
 * state that cannot be reached is no fill with a 200, never a 500.
 */

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { NO_FILL_VAST } from "@cadence/shared/ads/vast";
import { beforeEach, describe, expect, it } from "vitest";
import { resetIsolateState } from "../src/decision";
import app from "../src/index";
import { campaign, isolatedAudience, listenerToken, publish, vast } from "./helpers";

beforeEach(() => resetIsolateState());

describe("GET /v1/ads/vast: errors", () => {
  it("refuses bad input with a problem that says what to fix", async () => {
    const token = await listenerToken({ country: "US" });
    const audience = await isolatedAudience();
    for (const [query, fragment] of [
      ["max_ads=0", "max_ads"],
      ["max_duration=abc", "max_duration"],
      ["position=sideroll", "position"],
      ["tz=Mars/Olympus", "tz"],
      ["device=toaster", "device"],
    ]) {
      const res = await vast(token, audience, query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(((await res.json()) as { detail: string }).detail).toContain(fragment);
    }
  });

  it("answers no fill, not an error, when Redis is unreachable", async () => {
    const audience = await isolatedAudience();
    const { country } = audience;
    await publish(campaign(audience));
    const token = await listenerToken({ country });
    const down = { ...env, UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" };
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`http://ads.test/v1/ads/vast?track_id=${audience.trackId}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
      down,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(NO_FILL_VAST);
  });
});
