/**
 * The edge copies the healer runs: a logged-out family whose revocation key Redis lost gets it back with its
 * remaining lifetime (sweep and republish), the sweep reports what it repaired and the report lists it, and the
 * steering config is rebuilt from the audit log (each section's latest value, the latest version).
 */
import { revokedFamilyKey } from "@cadence/shared/keys";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { decodeJwt } from "jose";
import { describe, expect, inject, it } from "vitest";
import { steeringConfigFromAudit } from "../../src/audit/steering-edge-copy";
import { revocationsEdgeCopy } from "../../src/identity/edge-copy";
import { DEMO_PASSWORD } from "../../src/seed/demo-accounts";
import { freshOrigin } from "../helpers";

describe("revocations' edge copy", () => {
  it("writes back a lost revocation with its remaining lifetime, and reports it", async () => {
    const origin = await freshOrigin();
    const login = await origin.postJson("/v1/auth/login", { email: "free@demo.test", password: DEMO_PASSWORD });
    const tokens = (await login.json()) as { access_token: string; refresh_token: string };
    expect((await origin.postJson("/v1/auth/logout", { refresh_token: tokens.refresh_token })).status).toBe(204);
    const family = decodeJwt(tokens.access_token).fam as string;
    const key = revokedFamilyKey(family);
    expect(await origin.services.redis.exists(key)).toBe(1);

    await origin.services.redis.del(key);
    const copy = revocationsEdgeCopy(origin.services.db, origin.services.redis, origin.config.ACCESS_TOKEN_TTL_SECONDS);
    const repair = await copy.repair(Date.now());
    expect(repair.repaired).toBeGreaterThanOrEqual(1);
    expect(repair.examples.length).toBeGreaterThanOrEqual(1);
    expect(await origin.services.redis.exists(key)).toBe(1);
    const ttl = await origin.services.redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual((origin.config.ACCESS_TOKEN_TTL_SECONDS + 120) * 1000);
    // Nothing left to repair.
    expect((await copy.repair(Date.now())).examples).not.toContain(family);

    // Through the healer: a sweep repairs it again and the ops report says so.
    await origin.services.redis.del(key);
    const sweep = await origin.request("/v1/internal/edge-state/sweep", {
      method: "POST",
      headers: { [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken },
    });
    expect(sweep.status).toBe(200);
    const event = (await sweep.json()) as { kind: string; copies: Record<string, { repaired: number }> };
    expect(event.kind).toBe("repaired");
    expect(event.copies.revocations?.repaired).toBeGreaterThanOrEqual(1);
    expect(await origin.services.redis.exists(key)).toBe(1);
    const report = await origin.request("/v1/internal/edge-state", {
      headers: { [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken },
    });
    expect(((await report.json()) as { events: unknown[] }).events.length).toBeGreaterThanOrEqual(1);
    expect((await origin.request("/v1/internal/edge-state")).status).toBe(403);
  });
});

describe("steering config's edge copy", () => {
  it("is rebuilt from the audit log: defaults, then each section's latest value, at the latest version", async () => {
    const origin = await freshOrigin();
    expect(await steeringConfigFromAudit(origin.services.db)).toBeUndefined();
    const append = (action: string, version: number, value: unknown) =>
      origin.postJson(
        "/v1/internal/audit",
        { actor: { sub: "ops" }, action, entity: "steering-config", entityVersion: version, old: null, new: value },
        { [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken },
      );
    expect((await append("steering.weights.replace", 1, { cost: 30, quality: 70 })).status).toBeLessThan(300);
    expect((await append("steering.failover-order.replace", 2, ["akamai", "cloudfront", "cloudflare"])).status).toBe(
      (await append("steering.weights.replace", 3, { cost: 60, quality: 40 })).status,
    );
    const config = await steeringConfigFromAudit(origin.services.db);
    expect(config?.version).toBe(3);
    expect(config?.weights).toEqual({ cost: 60, quality: 40 });
    expect(config?.failoverOrder).toEqual(["akamai", "cloudfront", "cloudflare"]);
  });
});
