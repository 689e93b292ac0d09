/**
 * Lifecycle webhooks (security): the receiver refuses a wrong API key or signature, which shows as a failed attempt
 * with the receiver's answer; the ops endpoints refuse callers without the edge's token.
 */
import { startBrazeStandIn } from "@cadence/local/src/braze-stand-in";
import { signLifecycleBody, verifyLifecycleSignature } from "@cadence/origin/src/lifecycle/signature";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshOrigin } from "../helpers";

const SECRET = "lifecycle-test-secret-0123456789abcdef";
let braze: Awaited<ReturnType<typeof startBrazeStandIn>>;
beforeAll(async () => {
  braze = await startBrazeStandIn({ apiKey: "the-right-key", secret: SECRET });
});
afterAll(async () => {
  await braze?.close();
});

describe("lifecycle webhooks: security", () => {
  it("records the receiver's refusal of a wrong API key as a failed attempt", async () => {
    const origin = await freshOrigin({
      BRAZE_USERS_TRACK_URL: braze.usersTrackUrl,
      BRAZE_API_KEY: "a-wrong-key",
      LIFECYCLE_WEBHOOK_SECRET: SECRET,
    });
    const edge = { "x-service-token": origin.config.SERVICE_TOKEN };
    const result = (await (
      await origin.request("/v1/internal/lifecycle/run", { method: "POST", headers: edge })
    ).json()) as {
      queued: number;
      retrying: number;
    };
    expect(result.queued).toBeGreaterThan(0);
    expect(result.retrying).toBe(result.queued);
    const list = (await (
      await origin.request("/v1/internal/lifecycle/deliveries?status=pending", { headers: edge })
    ).json()) as {
      deliveries: Array<{ last_error: string }>;
    };
    expect(list.deliveries[0]?.last_error).toContain("401");
  });

  it("verifies signatures: a forged, tampered or stale one is refused", async () => {
    const body = '{"events":[]}';
    const header = await signLifecycleBody(SECRET, body);
    expect(await verifyLifecycleSignature(SECRET, header, body)).toEqual({ ok: true });
    expect((await verifyLifecycleSignature("x".repeat(40), header, body)).ok).toBe(false);
    expect((await verifyLifecycleSignature(SECRET, header, '{"events":[1]}')).ok).toBe(false);
    const stale = await signLifecycleBody(SECRET, body, Date.now() - 600_000);
    expect(await verifyLifecycleSignature(SECRET, stale, body)).toEqual({ ok: false, detail: "signature too old" });
    expect((await verifyLifecycleSignature(SECRET, undefined, body)).ok).toBe(false);
  });

  it("refuses callers without the edge's token, and answers 503 when not configured", async () => {
    const origin = await freshOrigin();
    expect((await origin.request("/v1/internal/lifecycle/run", { method: "POST" })).status).toBe(403);
    expect((await origin.request("/v1/internal/lifecycle/deliveries")).status).toBe(403);
    const res = await origin.request("/v1/internal/lifecycle/run", {
      method: "POST",
      headers: { "x-service-token": origin.config.SERVICE_TOKEN },
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "lifecycle-not-configured" });
  });
});
