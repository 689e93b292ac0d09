/**
 * What the front door keeps closed: internal edge-to-edge routes (`/v1/internal/`) are never reachable from outside,
 * whatever the caller presents (workers call them over their own service bindings), and the front door adds no
 * credential of its own to what it passes on. Ops routes reach the worker that checks the ops scope itself.
 */
import { describe, expect, it } from "vitest";
import { door, echoed } from "./helpers";

describe("internal routes", () => {
  it.each(["/v1/internal/ads/break", "/v1/internal/events/server", "/v1/internal/"])(
    "%s is not reachable through the front door, even with a service token",
    async (path) => {
      const res = await door(path, {
        method: "POST",
        headers: { "x-service-token": "a-guessed-token", "content-type": "application/json" },
        body: "{}",
      });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("x-served-by")).toBeNull();
    },
  );
});

describe("credentials", () => {
  it("adds no service token or other credential to what it passes on", async () => {
    const seen = await echoed(await door("/v1/events", { method: "POST", body: "[]" }));
    expect(seen.headers["x-service-token"]).toBeUndefined();
    expect(seen.headers.authorization).toBeUndefined();
  });

  it("sends the dead-letter ops endpoints to the ingest-events worker, which checks the ops scope", async () => {
    const seen = await echoed(await door("/v1/ops/events/dead-letters?status=pending"));
    expect(seen.worker).toBe("ingest-events");
    expect(seen.headers.authorization).toBeUndefined();
  });
});
