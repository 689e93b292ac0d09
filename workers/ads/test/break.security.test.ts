/** The internal break endpoint serves Cadence's own workers only: no service token, or a wrong one, is a 401. */
import { beforeEach, describe, expect, it } from "vitest";
import { resetIsolateState } from "../src/decision";
import { breakRequest, campaign, isolatedAudience, publish } from "./helpers";

beforeEach(() => resetIsolateState());

describe("internal break requests: security", () => {
  it("need the service token", async () => {
    const audience = await isolatedAudience();
    await publish(campaign(audience));
    expect((await breakRequest(audience, {})).status).toBe(401);
    const wrong = await breakRequest(audience, { "x-service-token": "wrong-token-wrong-token" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: "service-token-invalid" });
  });
});
