/**
 * `POST /v1/internal/ads/break` as playback's stitcher calls it: the VAST plus, per ad, the beacons and the creative's
 * HLS rendition; its beacons are recorded with the playback session and track. Calls without the service token:
 * break.security.test.ts.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { resetIsolateState } from "../src/decision";
import { breakRequest, campaign, eventsSentFor, fire, isolatedAudience, publish, waitFor } from "./helpers";

beforeEach(() => resetIsolateState());

describe("internal break requests", () => {
  it("answer the VAST with each ad's beacons and HLS rendition", async () => {
    const audience = await isolatedAudience();
    const c = campaign(audience);
    await publish(c);
    const res = await breakRequest(audience, { "x-service-token": env.SERVICE_TOKEN });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as {
      vast: string;
      ads: Array<{ campaignId: string; beacons: Record<string, string>; hls: { segments: unknown[] } }>;
    };
    expect(plan.ads).toHaveLength(1);
    expect(plan.ads[0]).toMatchObject({ campaignId: c.id, hls: { segments: c.creatives[0]!.hls.segments } });
    expect(plan.vast).toContain(`<Ad id="${c.id}"`);
    // Its beacons are recorded with the playback session.
    expect((await fire(plan.ads[0]!.beacons.impression!)).headers.get("x-beacon")).toBe("counted");
    const adServingId = new URL(plan.ads[0]!.beacons.impression!).searchParams.get("id")!;
    const sent = await waitFor(
      () => eventsSentFor(adServingId),
      (e) => e.length >= 1,
    );
    expect(sent[0]).toMatchObject({ session_id: "sess-123", track_id: audience.trackId, type: "ad_impression" });
  });
});
