/** The dead-letter endpoints are operator routes (`/v1/ops/`): a listener's token is refused. */
import { describe, expect, it } from "vitest";
import { opsFetch } from "./helpers";

describe("dead-letter endpoints: security", () => {
  it("keeps the dead-letter endpoints to ops", async () => {
    const res = await opsFetch("/v1/ops/events/dead-letters", {}, "premium@demo.test");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "insufficient-scope" });
  });

  it("refuses a request without a token", async () => {
    const { exports } = await import("cloudflare:workers");
    const res = await exports.default.fetch("http://ingest-events.test/v1/ops/events/dead-letters");
    expect(res.status).toBe(401);
  });
});
