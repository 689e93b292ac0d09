/** The worker's skeleton: `/health` with the readiness of what the api worker depends on. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("health", () => {
  it("answers status ok with readiness of origin and redis", async () => {
    const res = await exports.default.fetch("http://api.test/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", service: "api", ready: true });
  });
});
