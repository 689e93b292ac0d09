/**
 * The advertiser API through the api worker: advertiser and ops tokens reach the origin's campaigns, listeners and
 * strangers do not, and one advertiser never sees another's campaign.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signWithOriginKey, tokensFor } from "./tokens";

const day = 86_400_000;
const body = {
  name: "Through the api worker",
  flight_start: new Date(Date.now() - day).toISOString(),
  flight_end: new Date(Date.now() + 7 * day).toISOString(),
  total_budget_minor: 50_000,
  cpm_minor: 1_500,
  targeting: { countries: ["SE"], tiers: ["free"], genres: [], dayparts: [], device_types: [] },
};

const call = (method: string, path: string, token?: string, json?: unknown) =>
  exports.default.fetch(`http://api.test${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(json ? { "content-type": "application/json" } : {}),
    },
    body: json ? JSON.stringify(json) : undefined,
  });

describe("/v1/advertiser", () => {
  it("lets the demo advertiser create and read its campaign, and ops see it", async () => {
    const { access_token } = await tokensFor("advertiser@demo.test");
    const created = await call("POST", "/v1/advertiser/campaigns", access_token, body);
    expect(created.status).toBe(201);
    const campaign = (await created.json()) as { id: string; advertiser_id: string };
    expect(campaign.advertiser_id).toBe("adv-demo");
    expect((await call("GET", `/v1/advertiser/campaigns/${campaign.id}`, access_token)).status).toBe(200);
    const report = await call("GET", `/v1/advertiser/campaigns/${campaign.id}/report`, access_token);
    expect(report.status).toBe(200);
    expect(await report.json()).toMatchObject({ campaign_id: campaign.id, currency: "USD" });
    const ops = await tokensFor("ops@demo.test");
    const all = (await (await call("GET", "/v1/advertiser/campaigns", ops.access_token)).json()) as {
      campaigns: Array<{ id: string }>;
    };
    expect(all.campaigns.map((c) => c.id)).toContain(campaign.id);
  });

  it("refuses listeners (403), missing tokens (401) and other advertisers (403 from the origin)", async () => {
    const { access_token } = await tokensFor("advertiser@demo.test");
    const created = (await (await call("POST", "/v1/advertiser/campaigns", access_token, body)).json()) as {
      id: string;
    };
    const listener = await tokensFor("free@demo.test");
    const asListener = await call("GET", "/v1/advertiser/campaigns", listener.access_token);
    expect(asListener.status).toBe(403);
    expect(await asListener.json()).toMatchObject({ code: "insufficient-scope" });
    expect((await call("GET", "/v1/advertiser/campaigns")).status).toBe(401);
    const stranger = await signWithOriginKey({ scope: "advertiser:adv-stranger", tier: "free", country: "US" });
    const denied = await call("GET", `/v1/advertiser/campaigns/${created.id}`, stranger);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: "advertiser-forbidden" });
  });
});
