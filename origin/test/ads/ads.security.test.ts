/**
 * Who may use the advertiser API: only the edge (service token), only with a valid advertiser or ops token, and an
 * advertiser only for its own campaigns and creatives (ops sees all).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { adsOrigin, campaignBody, token, tone } from "./helpers";

type AdsOrigin = Awaited<ReturnType<typeof adsOrigin>>;
let origin: AdsOrigin["origin"];
let call: AdsOrigin["call"];
let uploadCreative: AdsOrigin["uploadCreative"];
let demo: string;
let other: string;
let ops: string;

beforeAll(async () => {
  ({ origin, call, uploadCreative, demo, other, ops } = await adsOrigin());
});

describe("campaigns", () => {
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

  it("answers only the edge, only with a valid advertiser or ops token", async () => {
    const direct = await origin.request("/v1/advertiser/campaigns", { headers: { authorization: `Bearer ${demo}` } });
    expect(direct.status).toBe(403);
    expect((await call("GET", "/v1/advertiser/campaigns", undefined)).status).toBe(401);
    expect((await call("GET", "/v1/advertiser/campaigns", await token(origin, "listener"))).status).toBe(403);
  });
});

describe("creatives", () => {
  it("another advertiser can neither see a creative nor put it in a campaign", async () => {
    const upload = await uploadCreative(demo, "Mine", tone(15, "mine.wav"));
    expect(upload.status).toBe(201);
    const creative = (await upload.json()) as { id: string };
    expect((await call("GET", `/v1/advertiser/creatives/${creative.id}`, other)).status).toBe(403);
    expect(
      (await call("POST", "/v1/advertiser/campaigns", other, campaignBody({ creative_ids: [creative.id] }))).status,
    ).toBe(400);
  }, 60_000);
});
