/** Who may ask for an ad break: only a listener with an access token. */

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../src/index";

describe("GET /v1/ads/vast: security", () => {
  it("refuses requests without a token", async () => {
    const anonymous = await app.request("/v1/ads/vast", {}, env);
    expect(anonymous.status).toBe(401);
  });
});
