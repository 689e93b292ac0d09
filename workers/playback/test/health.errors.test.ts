/** A path no route answers gets the one error envelope: a problem+json 404. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("playback worker: unknown routes", () => {
  it("answers unknown routes with a problem+json 404", async () => {
    const res = await exports.default.fetch("http://playback.test/no-such-route");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
