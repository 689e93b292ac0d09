/**
 * Who the advertiser API refuses: listeners and callers without a token at the edge, and one advertiser reaching for
 * another's campaign at the origin (which owns the campaigns and checks the token again).
 */
import { describe, expect, it } from "vitest";
import { campaignInput } from "./support/campaign";
import { call } from "./support/http";
import { signWithOriginKey, tokensFor } from "./support/tokens";

describe("/v1/advertiser refuses", () => {
  it("listeners (403), missing tokens (401) and other advertisers (403 from the origin)", async () => {
    const { access_token } = await tokensFor("advertiser@demo.test");
    const created = (await (await call("POST", "/v1/advertiser/campaigns", access_token, campaignInput())).json()) as {
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
