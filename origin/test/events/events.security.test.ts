/**
 * Who may call the events endpoints: landing takes only calls signed with the consumer's secret (the edge's service
 * token alone is not enough), and the fault knob does not exist in production.
 */
import { signEventsRequest } from "@cadence/shared/events/signature";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { describe, expect, it } from "vitest";
import { freshOrigin } from "../helpers";
import { message, playEvent, SECRET, setup } from "./helpers";

describe("landing", () => {
  it("refuses unsigned, wrongly signed and edge-token-only calls", async () => {
    const { origin } = await setup();
    const body = JSON.stringify({ messages: [{ id: "m", attempts: 1, body: message([playEvent()]) }] });
    const unsigned = await origin.request("/v1/internal/events/batches", {
      method: "POST",
      headers: { "content-type": "application/json", [SERVICE_TOKEN_HEADER]: origin.config.SERVICE_TOKEN },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ code: "events-signature-invalid" });
    const forged = await origin.request("/v1/internal/events/batches", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-events-signature": await signEventsRequest("x".repeat(40), "POST", "/v1/internal/events/batches", body),
      },
      body,
    });
    expect(forged.status).toBe(401);
  });
});

describe("fault knob", () => {
  it("is refused in production", async () => {
    const origin = await freshOrigin({ EVENTS_INGEST_SECRET: SECRET, CADENCE_ENV: "production" });
    const res = await origin.request("/v1/internal/events/faults", {
      method: "PUT",
      headers: { "content-type": "application/json", [SERVICE_TOKEN_HEADER]: origin.config.SERVICE_TOKEN },
      body: JSON.stringify({ mode: "error", calls: 1 }),
    });
    expect(res.status).toBe(403);
  });
});
