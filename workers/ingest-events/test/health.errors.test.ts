import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("ingest-events worker: unknown routes", () => {
  it("answers unknown routes with a problem+json 404", async () => {
    const res = await exports.default.fetch("http://ingest-events.test/no-such-route");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("no longer answers the dead letters' old path", async () => {
    const res = await exports.default.fetch("http://ingest-events.test/v1/events/dead-letters");
    expect(res.status).toBe(404);
  });
});
