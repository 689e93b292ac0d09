import { describe, expect, it } from "vitest";
import { DEPLOYMENT, deployOrder, devOverridesEnabled, missingSettings } from "../src/config/deployment";
import { createWorkerApp } from "../src/worker-app";

describe("deployment manifest", () => {
  it("orders workers so each comes after every worker it is bound to", () => {
    const order = deployOrder();
    for (const name of order) {
      for (const dep of DEPLOYMENT[name].boundTo) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(name));
    }
    expect(order.at(-1)).toBe("front-door");
  });

  it("refuses a cycle of service bindings", () => {
    const cyclic = { ...DEPLOYMENT, "ingest-events": { ...DEPLOYMENT["ingest-events"], boundTo: ["ads"] as const } };
    expect(() => deployOrder(cyclic)).toThrow(/cycle/);
  });

  it("switches development overrides on only for development and test, never by omission", () => {
    expect(devOverridesEnabled({ ENVIRONMENT: "development" })).toBe(true);
    expect(devOverridesEnabled({ ENVIRONMENT: "test" })).toBe(true);
    expect(devOverridesEnabled({ ENVIRONMENT: "production" })).toBe(false);
    expect(devOverridesEnabled({ ENVIRONMENT: "staging" })).toBe(false);
    expect(devOverridesEnabled({})).toBe(false);
  });

  it("names every unset or blank setting and secret", () => {
    expect(missingSettings("api", { ORIGIN_URL: "https://o.example", JWKS_URL: " ", AUTH_AUDIENCE: "edge" })).toEqual([
      "JWKS_URL",
      "AUTH_ISSUER",
      "UPSTASH_REDIS_REST_URL",
      "UPSTASH_REDIS_REST_TOKEN",
      "SERVICE_TOKEN",
    ]);
  });
});

describe("a worker deployed without its settings", () => {
  const app = createWorkerApp("ads");
  app.get("/v1/ads/anything", (c) => c.text("served"));

  it("answers 503 naming what is missing, on every route including /health, and serves nothing", async () => {
    for (const path of ["/health", "/v1/ads/anything"]) {
      const res = await app.request(path, {}, { ENVIRONMENT: "production", AUTH_AUDIENCE: "cadence-edge" });
      expect(res.status).toBe(503);
      const body = (await res.json()) as { code: string; detail: string };
      expect(body.code).toBe("settings-missing");
      expect(body.detail).toContain("ORIGIN_URL, JWKS_URL, AUTH_ISSUER, UPSTASH_REDIS_REST_URL");
      expect(body.detail).toContain("ADS_BEACON_SECRET");
    }
  });

  it("serves once every setting is there", async () => {
    const env = Object.fromEntries(
      [...DEPLOYMENT.ads.settings, ...DEPLOYMENT.ads.secrets].map((name) => [name, `https://${name}.example`]),
    );
    const res = await app.request("/v1/ads/anything", {}, env);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("served");
  });
});
