/** The origin's health: database and Redis readiness, as `npm start` and the test stack wait for it. */
import { describe, expect, it } from "vitest";
import { freshOrigin } from "./helpers";

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
