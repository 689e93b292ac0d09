/**
 * Lifecycle webhooks (happy path): subscribers with no qualified stream in 14 days become churn-risk moments, sent once
 * each to the Braze stand-in in `users/track` shape with a valid signature, and listed for ops; a subscriber who
 * streams is left alone; a second run the same day sends nothing twice.
 */
import { startBrazeStandIn } from "@cadence/local/src/braze-stand-in";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfillChunk } from "../../src/history/backfill";
import { deliverDue } from "../../src/lifecycle/deliveries";
import { freshOrigin } from "../helpers";

const API_KEY = "braze-test-key";
const SECRET = "lifecycle-test-secret-0123456789abcdef";
let braze: Awaited<ReturnType<typeof startBrazeStandIn>>;
beforeAll(async () => {
  braze = await startBrazeStandIn({ apiKey: API_KEY, secret: SECRET });
});
afterAll(async () => {
  await braze?.close();
});

async function setup(apiKey = API_KEY) {
  const origin = await freshOrigin({
    BRAZE_USERS_TRACK_URL: braze.usersTrackUrl,
    BRAZE_API_KEY: apiKey,
    LIFECYCLE_WEBHOOK_SECRET: SECRET,
  });
  const edge = { "x-service-token": origin.config.SERVICE_TOKEN };
  const run = () => origin.request("/v1/internal/lifecycle/run", { method: "POST", headers: edge });
  const deliveries = async (status = "all") =>
    (
      (await (
        await origin.request(`/v1/internal/lifecycle/deliveries?status=${status}`, { headers: edge })
      ).json()) as {
        deliveries: Array<{ account_id: string; status: string; attempts: number; last_error: string | null }>;
      }
    ).deliveries;
  return { origin, run, deliveries };
}

describe("lifecycle webhooks", () => {
  it("sends churn risk for subscribers without streams, once, in users/track shape", async () => {
    const { origin, run, deliveries } = await setup();
    const subscribers = await origin.services.db.query.accounts.findMany();
    const premium = subscribers.find((a) => a.email === "premium@demo.test");
    const hifi = subscribers.find((a) => a.email === "hifi@demo.test");
    // The hifi listener streamed yesterday; the premium one has not streamed at all.
    const line = JSON.stringify({
      event_id: crypto.randomUUID(),
      type: "play_end",
      session_id: "ses_lifecycle",
      track_id: "trk_lifecycle",
      ms_played: 60_000,
      end_reason: "completed",
      client_ts: new Date(Date.now() - 86_400_000).toISOString(),
      listener: { user_id: hifi?.id, tier: "hifi", country: "GB" },
    });
    await backfillChunk(origin.services.db, origin.services.warehouse, `${line}\n`);
    const before = braze.received.length;

    const res = await run();
    expect(res.status).toBe(200);
    const result = (await res.json()) as { queued: number; delivered: number };
    expect(result.delivered).toBe(result.queued);
    const sent = braze.received.slice(before).map((r) => r.body as { events: Array<Record<string, unknown>> });
    const accountsSent = sent.map((b) => b.events[0]?.external_id);
    expect(accountsSent).toContain(premium?.id);
    expect(accountsSent).not.toContain(hifi?.id);
    expect(sent.find((b) => b.events[0]?.external_id === premium?.id)).toMatchObject({
      events: [{ name: "churn_risk", properties: { days_without_stream: 14, tier: "premium" } }],
      attributes: [{ external_id: premium?.id, churn_risk: true }],
    });
    expect((await deliveries("delivered")).map((d) => d.account_id)).toContain(premium?.id);

    // Again the same day: nothing new.
    expect(await (await run()).json()).toMatchObject({ queued: 0, delivered: 0 });
  });

  it("retries a delivery the receiver refused and delivers it later", async () => {
    const { origin, run, deliveries } = await setup();
    await fetch(`${braze.url}/fail?times=100`, { method: "POST" });
    const first = (await (await run()).json()) as { queued: number; retrying: number };
    expect(first.retrying).toBe(first.queued);
    const pending = await deliveries("pending");
    expect(pending.length).toBe(first.queued);
    expect(pending[0]).toMatchObject({ attempts: 1, last_error: expect.stringContaining("503") });
    await fetch(`${braze.url}/fail?times=0`, { method: "POST" });

    // Not before its backoff (one minute after the first attempt); then it is delivered.
    expect(await deliverDue(origin.services.db, origin.config)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    const later = await deliverDue(origin.services.db, origin.config, Date.now() + 61_000);
    expect(later).toEqual({ delivered: first.queued, retrying: 0, failed: 0 });
    expect((await deliveries("delivered")).every((d) => d.attempts === 2)).toBe(true);
  });
});
