/**
 * What the auth middleware refuses, through the api worker: a wrong password, every kind of bad access token (each a
 * 401 problem+json with a stable code), a missing scope (403), and the access tokens of a refresh family that was
 * revoked by reuse of a rotated refresh token or by logout.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expectProblem } from "./support/http";
import {
  hs256WithPublicKeyAsSecret,
  login,
  me,
  refresh,
  signWithOriginKey,
  signWithStrangerKey,
  tamper,
  tokensFor,
  unsignedToken,
} from "./support/tokens";

describe("login", () => {
  it("refuses a wrong password with 401", async () => {
    const { res, body: refused } = await login("hifi@demo.test", "not-the-password");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(refused).toMatchObject({ code: "invalid-credentials" });
  });
});

describe("token rejections", () => {
  it("no token: 401 token-missing", async () => {
    await expectProblem(await me(undefined), 401, "token-missing");
  });

  it("expired: 401 token-expired", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectProblem(await me(await signWithOriginKey({ iat: now - 1000, exp: now - 120 })), 401, "token-expired");
  });

  it("not yet valid (issued in the future beyond the skew): 401 token-not-yet-valid", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signWithOriginKey({ iat: now + 600, exp: now + 1200, nbf: now + 600 });
    await expectProblem(await me(token), 401, "token-not-yet-valid");
  });

  it("wrong issuer: 401 token-wrong-issuer", async () => {
    await expectProblem(await me(await signWithOriginKey({ iss: "https://evil.example" })), 401, "token-wrong-issuer");
  });

  it("wrong audience: 401 token-wrong-audience", async () => {
    await expectProblem(await me(await signWithOriginKey({ aud: "some-other-api" })), 401, "token-wrong-audience");
  });

  it("alg none: 401 token-algorithm-rejected", async () => {
    await expectProblem(await me(unsignedToken()), 401, "token-algorithm-rejected");
  });

  it("HS256 signed with the public key as secret: 401 token-algorithm-rejected", async () => {
    await expectProblem(await me(await hs256WithPublicKeyAsSecret()), 401, "token-algorithm-rejected");
  });

  it("unknown kid: 401 token-unknown-key", async () => {
    await expectProblem(await me(await signWithStrangerKey()), 401, "token-unknown-key");
  });

  it("tampered payload: 401 token-signature-invalid", async () => {
    const { access_token } = await tokensFor("free@demo.test");
    await expectProblem(await me(tamper(access_token)), 401, "token-signature-invalid");
  });

  it("a lifetime over one hour: 401 token-claims-invalid", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectProblem(await me(await signWithOriginKey({ iat: now, exp: now + 7200 })), 401, "token-claims-invalid");
  });

  it("garbage in the Authorization header: 401 token-malformed", async () => {
    await expectProblem(await me(undefined, { authorization: "Basic abc" }), 401, "token-malformed");
    await expectProblem(await me("a.b"), 401, "token-malformed");
  });

  it("missing scope: a listener on an ops route gets 403 insufficient-scope; ops gets 200", async () => {
    const listener = await tokensFor("premium@demo.test");
    const res = await exports.default.fetch("http://api.test/v1/ops/status", {
      headers: { authorization: `Bearer ${listener.access_token}` },
    });
    await expectProblem(res, 403, "insufficient-scope");
    const ops = await tokensFor("ops@demo.test");
    const ok = await exports.default.fetch("http://api.test/v1/ops/status", {
      headers: { authorization: `Bearer ${ops.access_token}` },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { signing_keys: string[] }).signing_keys.length).toBeGreaterThan(0);
  });
});

describe("refresh families", () => {
  it("reuse of a rotated refresh token revokes the family: its access tokens get 401 token-revoked", async () => {
    const first = await tokensFor("free@demo.test");
    const rotated = (await (await refresh(first.refresh_token)).json()) as {
      access_token: string;
      refresh_token: string;
    };
    await expectProblem(await refresh(first.refresh_token), 401, "refresh-token-invalid");
    await expectProblem(await me(rotated.access_token), 401, "token-revoked");
    await expectProblem(await refresh(rotated.refresh_token), 401, "refresh-token-invalid");
  });

  it("logout revokes the family", async () => {
    const session = await tokensFor("premium@demo.test");
    const out = await exports.default.fetch("http://api.test/v1/auth/logout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refresh_token: session.refresh_token }),
    });
    expect(out.status).toBe(204);
    await expectProblem(await me(session.access_token), 401, "token-revoked");
  });
});
