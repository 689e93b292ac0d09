/**
 * The auth middleware as a client meets it through the api worker (happy path): real login at the origin, real JWKS,
 * each demo account's claims, and refresh-token rotation. Refusals are in auth.security.test.ts, malformed requests in
 * auth.errors.test.ts.
 */
import { describe, expect, it } from "vitest";
import { login, me, refresh, tokensFor } from "./support/tokens";

describe("login and /v1/me (happy path)", () => {
  it("logs in as premium@demo.test and returns the caller's claims", async () => {
    const { res, body } = await login("premium@demo.test");
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ token_type: "Bearer" });
    expect(body.expires_in).toBeLessThanOrEqual(3600);
    const claims = (await (await me(body.access_token as string)).json()) as Record<string, unknown>;
    expect(claims).toMatchObject({ tier: "premium", country: "DE", scope: "listener", email: "premium@demo.test" });
    for (const claim of ["iss", "aud", "sub", "exp", "iat", "jti"]) expect(claims).toHaveProperty(claim);
  });

  it("gives each demo account its tier, country and scope", async () => {
    const expected = {
      "free@demo.test": { tier: "free", country: "US", scope: "listener" },
      "hifi@demo.test": { tier: "hifi", country: "GB", scope: "listener" },
      "ops@demo.test": { scope: "listener ops" },
      "advertiser@demo.test": { scope: "advertiser:adv-demo" },
    };
    for (const [email, claims] of Object.entries(expected)) {
      const { access_token } = await tokensFor(email);
      expect(await (await me(access_token)).json()).toMatchObject(claims);
    }
  });
});

describe("refresh families", () => {
  it("rotates the refresh token on use", async () => {
    const first = await tokensFor("hifi@demo.test");
    const res = await refresh(first.refresh_token);
    expect(res.status).toBe(200);
    const second = (await res.json()) as { access_token: string; refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await me(second.access_token)).status).toBe(200);
  });
});
