/**
 * The advertiser API at the origin: campaigns, creatives really packaged by ffmpeg (loudness, true peak, length),
 * publishing to edge state, and reports that move when beacons are booked. What is refused:
 * ads.errors.test.ts (bad input, bad audio) and ads.security.test.ts (advertiser isolation, edge and token checks).
 */
import { decideBreak } from "@cadence/shared/ads/decide";
import { bookBeacon } from "@cadence/shared/ads/delivery";
import { adCampaignsKey, adCampaignsLogKey } from "@cadence/shared/ads/keys";
import { type EdgeCampaign, utcDay } from "@cadence/shared/ads/model";
import { buildIndex } from "@cadence/shared/ads/ranking";
import { beforeAll, describe, expect, it } from "vitest";
import { adsOrigin, campaignBody, tone } from "./helpers";

type AdsOrigin = Awaited<ReturnType<typeof adsOrigin>>;
let origin: AdsOrigin["origin"];
let call: AdsOrigin["call"];
let uploadCreative: AdsOrigin["uploadCreative"];
let demo: string;

beforeAll(async () => {
  ({ origin, call, uploadCreative, demo } = await adsOrigin());
});

describe("campaigns", () => {
  it("an advertiser creates a campaign for itself; it is published to edge state at once", async () => {
    const res = await call("POST", "/v1/advertiser/campaigns", demo, campaignBody());
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      advertiser_id: "adv-demo",
      advertiser_domain: "demo-advertiser.example",
      status: "active",
      category: "retail",
      targeting: { countries: ["US"], genres: ["pop"], tiers: ["free"] },
    });
    const edge = await origin.services.redis.hget<EdgeCampaign>(adCampaignsKey, body.id as string);
    expect(edge).toMatchObject({
      id: body.id,
      cpmMinor: 2500,
      dailyBudgetMinor: 10_000,
      frequencyCaps: [{ count: 3, windowSeconds: 86_400 }],
    });
    expect(await origin.services.redis.zscore(adCampaignsLogKey, body.id as string)).toBeGreaterThan(0);
  });

  it("a change (pause) reaches edge state in the same request", async () => {
    const created = (await (await call("POST", "/v1/advertiser/campaigns", demo, campaignBody())).json()) as {
      id: string;
    };
    const res = await call("PATCH", `/v1/advertiser/campaigns/${created.id}`, demo, {
      status: "paused",
      cpm_minor: 3000,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "paused", cpm_minor: 3000, version: 2 });
    expect(await origin.services.redis.hget<EdgeCampaign>(adCampaignsKey, created.id)).toMatchObject({
      status: "paused",
      cpmMinor: 3000,
      version: 2,
    });
  });
});

describe("creatives", () => {
  it("packages an upload: -14 LUFS, true peak below -1 dBTP, three AAC bitrates, mezzanine and HLS in quarters", async () => {
    const upload = await uploadCreative(demo, "Loud tone", tone(15, "loud.wav", "7"));
    expect(upload.status).toBe(201);
    const creative = (await upload.json()) as {
      id: string;
      duration_ms: number;
      loudness_lufs: number;
      true_peak_dbtp: number;
      source_loudness_lufs: number;
      universal_ad_id: { id_registry: string; value: string };
      media: { path: string; renditions: Array<{ bitrateKbps: number }>; hls: { segments: number } };
    };
    expect(creative.duration_ms).toBeGreaterThan(14_900);
    expect(creative.duration_ms).toBeLessThan(15_100);
    expect(creative.source_loudness_lufs).toBeGreaterThan(-5);
    expect(Math.abs(creative.loudness_lufs + 14)).toBeLessThanOrEqual(1);
    expect(creative.true_peak_dbtp).toBeLessThan(-1);
    expect(creative.universal_ad_id.value).toMatch(/^CAD[0-9A-F]{12}$/);
    expect(creative.media.renditions.map((r) => r.bitrateKbps)).toEqual([64, 128, 192]);
    expect(creative.media.hls.segments).toBe(4);
    const store = origin.services.catalog.store;
    for (const file of ["aac-128.aac", "mezzanine.wav", "hls/index.m3u8", "hls/init.mp4", "hls/seg-00001.m4s"]) {
      expect(await store.head(`${creative.media.path}/${file}`), file).toBeDefined();
    }
    // The campaign serves it: the edge record carries the creative.
    const campaign = (await (
      await call("POST", "/v1/advertiser/campaigns", demo, campaignBody({ creative_ids: [creative.id] }))
    ).json()) as { id: string };
    const edge = await origin.services.redis.hget<EdgeCampaign>(adCampaignsKey, campaign.id);
    expect(edge?.creatives[0]).toMatchObject({
      id: creative.id,
      universalAdId: creative.universal_ad_id.value,
      durationMs: creative.duration_ms,
    });
  }, 60_000);
});

describe("reports", () => {
  it("move when impressions and quartiles are booked, with spend and pacing status", async () => {
    const created = (await (
      await call("POST", "/v1/advertiser/campaigns", demo, campaignBody({ creative_ids: [] }))
    ).json()) as { id: string };
    const edge = (await origin.services.redis.hget<EdgeCampaign>(adCampaignsKey, created.id))!;
    // Serve it twice through the real decision path (a creative is needed to be eligible).
    const withCreative: EdgeCampaign = {
      ...edge,
      creatives: [
        {
          id: "cr_x",
          title: "x",
          universalAdId: "CADX",
          universalAdIdRegistry: "cadence.example",
          durationMs: 15_000,
          path: "ads/x",
          mediaFiles: [],
          mezzanine: { file: "m.wav", mimeType: "audio/wav", codec: "pcm_s16le", bitrateKbps: 1411, bytes: 1 },
          hls: {
            playlist: "hls/index.m3u8",
            init: "hls/init.mp4",
            codec: "mp4a.40.2",
            bandwidth: 1,
            targetDuration: 4,
            segments: [],
          },
        },
      ],
    };
    const now = Date.now();
    for (const sub of ["a", "b"]) {
      const pod = await decideBreak(
        buildIndex([withCreative], 1),
        {
          listener: { sub, tier: "free", country: "US", timeZone: "UTC", deviceType: "mobile", genres: ["pop"] },
          position: "preroll",
          maxAds: 1,
          maxDurationMs: 30_000,
        },
        origin.services.redis,
        { now, reservationTtlMs: 60_000 },
      );
      const ad = pod.ads[0]!;
      for (const event of ["impression", "firstQuartile", "complete"] as const) {
        await bookBeacon(origin.services.redis, {
          adServingId: ad.adServingId,
          campaignId: created.id,
          event,
          now,
          day: utcDay(now),
        });
      }
    }
    const res = await call("GET", `/v1/advertiser/campaigns/${created.id}/report`, demo);
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      days: Array<Record<string, unknown>>;
      totals: Record<string, unknown>;
      delivery: Record<string, unknown>;
    };
    const today = report.days.at(-1)!;
    expect(today).toMatchObject({
      date: new Date(now).toISOString().slice(0, 10),
      served: 2,
      impressions: 2,
      first_quartiles: 2,
      completes: 2,
      spend_minor: 5,
      spend: "5.000",
    });
    expect(["ahead", "on_track", "behind"]).toContain(today.pacing_status);
    expect(report.totals).toMatchObject({ impressions: 2, spend_minor: 5 });
    expect(report.delivery).toMatchObject({ spent_minor: 5, spent_today_minor: 5, budget_left_minor: 99_995 });
  });
});
