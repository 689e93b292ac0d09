/**
 * Identity at the origin: logins, throttling, JWKS and key rotation, seen through HTTP as the api worker sees it.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, inject, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from "../src/seed/demo-accounts";
import { freshOrigin } from "./helpers";

describe("login", () => {
  it("issues an ES256 access token with the account's claims, verifiable with the published JWKS", async () => {
    const origin = await freshOrigin();
    const res = await origin.postJson("/v1/auth/login", { email: "HIFI@demo.test ", password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; expires_in: number; refresh_token: string };
    expect(body.expires_in).toBeLessThanOrEqual(3600);
    const jwks = await (await origin.request("/.well-known/jwks.json")).json();
    const { payload, protectedHeader } = await jwtVerify(body.access_token, createLocalJWKSet(jwks as never), {
      issuer: "http://origin.test",
      audience: "cadence-edge",
    });
    expect(protectedHeader.alg).toBe("ES256");
    expect(payload).toMatchObject({ tier: "hifi", country: "GB", scope: "listener" });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(3600);
  });

  it("never publishes private key material", async () => {
    const origin = await freshOrigin();
    const jwks = (await (await origin.request("/.well-known/jwks.json")).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).not.toHaveProperty("d");
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    }
  });

  it("throttles an account after 5 failures with 429 and Retry-After, even with the right password", async () => {
    const origin = await freshOrigin();
    for (let i = 0; i < 5; i++) {
      const res = await origin.postJson("/v1/auth/login", { email: "premium@demo.test", password: `wrong-${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await origin.postJson("/v1/auth/login", { email: "premium@demo.test", password: DEMO_PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await locked.json()).toMatchObject({ code: "rate-limited" });
    // Another account is not affected.
    expect((await origin.postJson("/v1/auth/login", { email: "hifi@demo.test", password: DEMO_PASSWORD })).status).toBe(
      200,
    );
  });

  it("throttles a client IP that sprays many accounts, trusting x-client-ip only from the edge", async () => {
    const origin = await freshOrigin();
    const { serviceToken } = inject("stack");
    const edge = { "x-service-token": serviceToken, "x-client-ip": "198.51.100.9" };
    for (let i = 0; i < 30; i++) {
      await origin.postJson("/v1/auth/login", { email: `nobody${i}@demo.test`, password: "x" }, edge);
    }
    const res = await origin.postJson("/v1/auth/login", { email: "free@demo.test", password: DEMO_PASSWORD }, edge);
    expect(res.status).toBe(429);
    // The same header without the service token is ignored: this caller is not that IP.
    const spoofed = await origin.postJson(
      "/v1/auth/login",
      { email: "free@demo.test", password: DEMO_PASSWORD },
      { "x-client-ip": "198.51.100.9" },
    );
    expect(spoofed.status).toBe(200);
  });

  it("treats unknown emails like wrong passwords (same status and body)", async () => {
    const origin = await freshOrigin();
    const unknown = await origin.postJson("/v1/auth/login", { email: "ghost@demo.test", password: "x" });
    const wrong = await origin.postJson("/v1/auth/login", { email: "free@demo.test", password: "x" });
    expect(unknown.status).toBe(401);
    const a = (await unknown.json()) as Record<string, unknown>;
    const b = (await wrong.json()) as Record<string, unknown>;
    expect(a.detail).toBe(b.detail);
  });
});

describe("demo seed", () => {
  it("is idempotent and stores scrypt hashes, never passwords", async () => {
    const origin = await freshOrigin();
    expect(await seedDemoAccounts(origin.services.db)).toBe(0);
    const rows = await origin.services.db.query.accounts.findMany();
    expect(rows).toHaveLength(DEMO_ACCOUNTS.length);
    for (const row of rows) {
      expect(row.passwordHash.startsWith("scrypt$")).toBe(true);
      expect(row.passwordHash).not.toContain(DEMO_PASSWORD);
    }
  });
});

describe("key rotation", () => {
  it("keeps the previous key published so tokens it signed still verify, and signs new tokens with the new key", async () => {
    const origin = await freshOrigin();
    const login = async () =>
      (
        (await (
          await origin.postJson("/v1/auth/login", { email: "free@demo.test", password: DEMO_PASSWORD })
        ).json()) as {
          access_token: string;
        }
      ).access_token;
    const before = await login();
    const oldKid = decodeProtectedHeader(before).kid;
    const newKid = await origin.services.keys.rotate();
    expect(newKid).not.toBe(oldKid);
    const after = await login();
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    const jwks = (await (await origin.request("/.well-known/jwks.json")).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    // Once every token of the old key has expired, it is no longer published.
    const later = Date.now() + 2 * 3600_000;
    expect(origin.services.keys.jwks(later).keys.map((k) => k.kid)).toEqual([newKid]);
  });
});

describe("health", () => {
  it("reports database and redis readiness", async () => {
    const origin = await freshOrigin();
    const body = await (await origin.request("/health")).json();
    expect(body).toMatchObject({
      status: "ok",
      service: "origin",
      ready: true,
      checks: { database: { ok: true }, redis: { ok: true } },
    });
  });
});
