import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("ads worker: unknown routes", () => {
  it("answers unknown routes with a problem+json 404", async () => {
    const res = await exports.default.fetch("http://ads.test/no-such-route");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("no longer answers the break endpoint's old path", async () => {
    const res = await exports.default.fetch("http://ads.test/internal/ads/break", { method: "POST" });
    expect(res.status).toBe(404);
  });
});
