import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("ads worker health", () => {
  it("answers status ok with Redis readiness", async () => {
    const res = await exports.default.fetch("http://ads.test/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      service: "ads",
      ready: true,
      checks: { redis: { ok: true } },
    });
  });
});
