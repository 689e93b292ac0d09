/**
 * The advertiser API through the api worker (happy path): advertiser and ops tokens reach the origin's campaigns.
 * What is refused (listeners, strangers, other advertisers) is in ads.security.test.ts.
 */
import { describe, expect, it } from "vitest";
import { campaignInput } from "./support/campaign";
import { call } from "./support/http";
import { tokensFor } from "./support/tokens";

describe("/v1/advertiser", () => {
  it("lets the demo advertiser create and read its campaign, and ops see it", async () => {
    const { access_token } = await tokensFor("advertiser@demo.test");
    const created = await call("POST", "/v1/advertiser/campaigns", access_token, campaignInput());
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
});
