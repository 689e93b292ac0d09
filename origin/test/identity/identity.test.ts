/**
 * Identity at the origin: logins, JWKS and key rotation, seen through HTTP as the api worker sees it. What is refused
 * or held back (throttling, spoofed client IPs, account probing, private keys): identity.security.test.ts.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from "../../src/seed/demo-accounts";
import { freshOrigin } from "../helpers";

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
