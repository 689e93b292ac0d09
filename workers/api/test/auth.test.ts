/**
 * The auth middleware as a client meets it through the api worker: real login at the origin, real JWKS, and every
 * rejection a 401/403 problem+json with a stable code.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  hs256WithPublicKeyAsSecret,
  login,
  me,
  signWithOriginKey,
  signWithStrangerKey,
  tamper,
  tokensFor,
  unsignedToken,
} from "./tokens";

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `https://cadence.example/problems/${code}` });
  expect(typeof body.detail).toBe("string");
  expect(typeof body.request_id).toBe("string");
  return body;
}

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

  it("refuses a wrong password with 401 and a malformed body with 400", async () => {
    const { res, body: refused } = await login("hifi@demo.test", "not-the-password");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(refused).toMatchObject({ code: "invalid-credentials" });
    const bad = await exports.default.fetch("http://api.test/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "not-an-email" }),
    });
    const body = await expectProblem(bad, 400, "validation-failed");
    expect(JSON.stringify(body.errors)).toContain("body.email");
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
  const refresh = (refresh_token: string) =>
    exports.default.fetch("http://api.test/v1/auth/refresh", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refresh_token }),
    });

  it("rotates the refresh token on use", async () => {
    const first = await tokensFor("hifi@demo.test");
    const res = await refresh(first.refresh_token);
    expect(res.status).toBe(200);
    const second = (await res.json()) as { access_token: string; refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await me(second.access_token)).status).toBe(200);
  });

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

describe("health", () => {
  it("answers status ok with readiness of origin and redis", async () => {
    const res = await exports.default.fetch("http://api.test/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", service: "api", ready: true });
  });

  it("unknown routes are problem+json 404s", async () => {
    await expectProblem(await exports.default.fetch("http://api.test/nope"), 404, "route-not-found");
  });
});
