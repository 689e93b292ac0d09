/**
 * What identity refuses or holds back: login throttling per account and per client IP (the IP trusted only from the
 * edge), unknown emails answered exactly like wrong passwords, and no private key material in the JWKS.
 */
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "../../src/seed/demo-accounts";
import { freshOrigin } from "../helpers";

describe("login", () => {
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
    const edge = { [SERVICE_TOKEN_HEADER]: serviceToken, "x-client-ip": "198.51.100.9" };
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

describe("JWKS", () => {
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
});
