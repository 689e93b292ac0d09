/** `/health`: the worker answers with its Redis readiness. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("playback worker health", () => {
  it("answers status ok with Redis readiness", async () => {
    const res = await exports.default.fetch("http://playback.test/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      service: "playback",
      ready: true,
      checks: { redis: { ok: true } },
    });
  });
});
