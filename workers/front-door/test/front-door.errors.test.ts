/**
 * What the front door refuses: a `/v1/` path no worker serves is a problem+json 404 (the same answer each worker gives
 * for a route it does not know), answered by the front door without bothering any worker.
 */
import { describe, expect, it } from "vitest";
import { door, echoed } from "./helpers";

describe("unknown paths", () => {
  it.each(["/v1", "/v1/", "/v1/no-such-thing", "/v1/eventsfoo", "/v1/playback/trk-1", "/v1/ads"])(
    "%s is a problem+json 404",
    async (path) => {
      const res = await door(path, { headers: { "x-request-id": "req-unknown-1" } });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("x-served-by")).toBeNull();
      expect(await res.json()).toMatchObject({
        status: 404,
        code: "route-not-found",
        type: "https://cadence.example/problems/route-not-found",
        request_id: "req-unknown-1",
      });
    },
  );

  it("names the method and path in the detail", async () => {
    const res = await door("/v1/nothing-here", { method: "DELETE" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { detail: string }).detail).toBe("No route for DELETE /v1/nothing-here.");
  });

  it("leaves unknown pages outside /v1/ to the api worker, which answers its own 404", async () => {
    expect((await echoed(await door("/no-such-page"))).worker).toBe("api");
  });
});
