/**
 * The advertiser API at the origin: campaigns with advertiser isolation, validation, creatives really packaged by
 * ffmpeg (loudness, true peak, length), publishing to edge state, and reports that move when beacons are booked.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decideBreak } from "@cadence/shared/ads/decide";
import { bookBeacon } from "@cadence/shared/ads/delivery";
import { adCampaignsKey, adCampaignsLogKey } from "@cadence/shared/ads/keys";
import { type EdgeCampaign, utcDay } from "@cadence/shared/ads/model";
import { buildIndex } from "@cadence/shared/ads/ranking";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { advertisers } from "../src/db/schema";
import { freshOrigin } from "./helpers";

type Origin = Awaited<ReturnType<typeof freshOrigin>>;
let origin: Origin;
const work = mkdtempSync(join(tmpdir(), "cadence-adv-test-"));

async function token(origin: Origin, scope: string) {
  const { kid, key } = await origin.services.keys.current();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tier: "free", country: "US", scope })
    .setProtectedHeader({ alg: "ES256", kid })
    .setIssuer(origin.config.AUTH_ISSUER)
    .setAudience(origin.config.AUTH_AUDIENCE)
    .setSubject(`user-${scope}`)
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(key);
}

let demo: string;
let other: string;
let ops: string;

function call(
  method: string,
  path: string,
  bearer: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return origin.request(path, {
    method,
    headers: {
      "x-service-token": inject("stack").serviceToken,
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const day = 86_400_000;
const campaignBody = (overrides: Record<string, unknown> = {}) => ({
  name: "Winter sale",
  flight_start: new Date(Date.now() - day).toISOString(),
  flight_end: new Date(Date.now() + 30 * day).toISOString(),
  total_budget_minor: 100_000,
  daily_budget_minor: 10_000,
  cpm_minor: 2_500,
  pacing: "even",
  targeting: { countries: ["us"], tiers: ["free"], genres: ["Pop"], dayparts: [], device_types: [] },
  frequency_caps: [{ count: 3, window_seconds: 86_400 }],
  category: "Retail",
  ...overrides,
});

function tone(seconds: number, name: string, volume = "0.9"): string {
  const file = join(work, name);
  execFileSync("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=440:duration=${seconds}`,
    "-af",
    `volume=${volume}`,
    "-ar",
    "48000",
    "-ac",
    "2",
    file,
  ]);
  return file;
}

beforeAll(async () => {
  origin = await freshOrigin();
  await origin.services.db
    .insert(advertisers)
    .values({ id: "adv-other", name: "Other", domain: "other.example" })
    .onConflictDoNothing();
  [demo, other, ops] = await Promise.all([
    token(origin, "advertiser:adv-demo"),
    token(origin, "advertiser:adv-other"),
    token(origin, "listener ops"),
  ]);
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

  it("keeps advertisers apart: another advertiser gets 403 and never sees the campaign; ops sees all", async () => {
    const created = (await (await call("POST", "/v1/advertiser/campaigns", demo, campaignBody())).json()) as {
      id: string;
    };
    expect((await call("GET", `/v1/advertiser/campaigns/${created.id}`, other)).status).toBe(403);
    expect((await call("PATCH", `/v1/advertiser/campaigns/${created.id}`, other, { status: "paused" })).status).toBe(
      403,
    );
    expect((await call("GET", `/v1/advertiser/campaigns/${created.id}/report`, other)).status).toBe(403);
    expect(
      (await call("POST", "/v1/advertiser/campaigns", other, campaignBody({ advertiser_id: "adv-demo" }))).status,
    ).toBe(403);
    const theirs = (await (await call("GET", "/v1/advertiser/campaigns", other)).json()) as {
      campaigns: Array<{ id: string }>;
    };
    expect(theirs.campaigns.map((c) => c.id)).not.toContain(created.id);
    expect((await call("GET", "/v1/advertiser/campaigns?advertiser_id=adv-demo", other)).status).toBe(403);
    const all = (await (await call("GET", "/v1/advertiser/campaigns", ops)).json()) as {
      campaigns: Array<{ id: string }>;
    };
    expect(all.campaigns.map((c) => c.id)).toContain(created.id);
    expect((await call("GET", `/v1/advertiser/campaigns/${created.id}`, ops)).status).toBe(200);
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

  it("refuses bad input with 400s that say what to fix", async () => {
    const bad = async (body: unknown) => {
      const res = await call("POST", "/v1/advertiser/campaigns", demo, body);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      return (await res.json()) as { detail: string; errors?: Array<{ path: string }> };
    };
    expect((await bad(campaignBody({ flight_end: new Date(Date.now() - 2 * day).toISOString() }))).detail).toContain(
      "flight_end",
    );
    expect((await bad(campaignBody({ daily_budget_minor: 200_000 }))).detail).toContain("daily_budget_minor");
    expect((await bad(campaignBody({ cpm_minor: 12.5 }))).detail).toContain("cpm_minor");
    expect((await bad(campaignBody({ priority: "platinum" }))).errors?.[0]?.path).toBe("body.priority");
    expect((await bad(campaignBody({ creative_ids: ["cr_doesnotexist"] }))).detail).toContain("cr_doesnotexist");
    expect((await bad(campaignBody({ frequency_caps: [{ count: 1, window_seconds: 5 }] }))).detail).toContain(
      "window_seconds",
    );
    expect((await bad(campaignBody({ surprise: true }))).detail).toContain("surprise");
    const ops400 = await call("POST", "/v1/advertiser/campaigns", ops, campaignBody());
    expect(ops400.status).toBe(400);
  });

  it("answers only the edge, only with a valid advertiser or ops token", async () => {
    const direct = await origin.request("/v1/advertiser/campaigns", { headers: { authorization: `Bearer ${demo}` } });
    expect(direct.status).toBe(403);
    expect((await call("GET", "/v1/advertiser/campaigns", undefined)).status).toBe(401);
    expect((await call("GET", "/v1/advertiser/campaigns", await token(origin, "listener"))).status).toBe(403);
    expect((await call("GET", "/v1/advertiser/campaigns/cmp_nope", demo)).status).toBe(404);
  });
});

describe("creatives", () => {
  it("packages an upload: -14 LUFS, true peak below -1 dBTP, three AAC bitrates, mezzanine and HLS in quarters", async () => {
    const res = await call("POST", "/v1/advertiser/creatives?name=Loud%20tone", demo, undefined, {
      "content-type": "audio/wav",
    });
    expect(res.status).toBe(400); // no body
    const upload = await origin.request("/v1/advertiser/creatives?name=Loud%20tone", {
      method: "POST",
      headers: {
        "x-service-token": inject("stack").serviceToken,
        authorization: `Bearer ${demo}`,
        "content-type": "audio/wav",
      },
      body: readFileSync(tone(15, "loud.wav", "7")),
    });
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
    // Another advertiser can neither see it nor put it in a campaign.
    expect((await call("GET", `/v1/advertiser/creatives/${creative.id}`, other)).status).toBe(403);
    expect(
      (await call("POST", "/v1/advertiser/campaigns", other, campaignBody({ creative_ids: [creative.id] }))).status,
    ).toBe(400);
  }, 60_000);

  it("refuses spots that are not 15 or 30 s, files that are not audio, and the wrong content type", async () => {
    const post = (body: BodyInit, type = "audio/wav") =>
      origin.request("/v1/advertiser/creatives?name=x", {
        method: "POST",
        headers: {
          "x-service-token": inject("stack").serviceToken,
          authorization: `Bearer ${demo}`,
          "content-type": type,
        },
        body,
      });
    const short = await post(readFileSync(tone(10, "short.wav")));
    expect(short.status).toBe(422);
    expect(await short.json()).toMatchObject({ code: "creative-duration" });
    const junk = await post(new TextEncoder().encode("this is not audio at all"));
    expect(junk.status).toBe(422);
    expect(await junk.json()).toMatchObject({ code: "creative-not-audio" });
    expect((await post(new Uint8Array([1, 2, 3]), "text/plain")).status).toBe(415);
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
    expect((await call("GET", `/v1/advertiser/campaigns/${created.id}/report?from=2026-13-01`, demo)).status).toBe(400);
  });
});
