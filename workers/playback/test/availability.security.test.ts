/** A listener cannot pick their territory: the country override headers count only in development and test. */
import { env } from "cloudflare:workers";
import { requestGeo } from "@cadence/shared/trust/geo";
import { describe, expect, it } from "vitest";
import { playbackConfig } from "../src/core/config";

describe("territory overrides", () => {
  it("ignores the country header outside development and test", () => {
    const request = new Request("http://playback.test/", { headers: { "x-cadence-country": "FR" } });
    expect(requestGeo(request, { devOverrides: true }).country).toBe("FR");
    expect(requestGeo(request, { devOverrides: false }).country).not.toBe("FR");
    // The worker switches the overrides on in development and test only.
    expect(playbackConfig({ ...env, ENVIRONMENT: "production" }).devOverrides).toBe(false);
    expect(playbackConfig({ ...env, ENVIRONMENT: "test" }).devOverrides).toBe(true);
  });
});
