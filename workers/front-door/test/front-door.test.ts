/**
 * The front door routes every path prefix to the worker that owns it and passes the request through untouched:
 * method, URL with its query, headers and body; the worker's answer comes back as it was sent.
 */
import { describe, expect, it } from "vitest";
import { ROUTES } from "../src/routes";
import { door, EDGE, echoed } from "./helpers";

const WORKER_OF = { API: "api", PLAYBACK: "playback", INGEST_EVENTS: "ingest-events", ADS: "ads" } as const;

describe("routing by path prefix", () => {
  it.each([
    ["/v1/play/trk-1/master.m3u8", "playback"],
    ["/v1/play/ps-1/aac-256/media.m3u8", "playback"],
    ["/v1/steering/ps-1", "playback"],
    ["/v1/cdn/cloudflare/media/trk-1/seg-00001.m4s", "playback"],
    ["/v1/license/ps-1/0123456789abcdef0123456789abcdef?pt=x", "playback"],
    ["/v1/offline/devices/laptop/renew", "playback"],
    ["/v1/events", "ingest-events"],
    ["/v1/events/anything-below", "ingest-events"],
    ["/v1/ops/events/dead-letters", "ingest-events"],
    ["/v1/ops/events/dead-letters/replay", "ingest-events"],
    ["/v1/ads/vast", "ads"],
    ["/v1/ads/track/impression", "ads"],
    ["/v1/ads/media/ads/cr-1/aac-128.aac", "ads"],
    ["/v1/auth/login", "api"],
    ["/v1/catalog/tracks/trk-1", "api"],
    ["/v1/search", "api"],
    ["/v1/me", "api"],
    ["/v1/ops/events/stats", "api"],
    ["/v1/ops/steering/weights", "api"],
    ["/v1/ops/status", "api"],
    ["/v1/web/config", "api"],
    ["/v1/advertiser/campaigns", "api"],
  ])("%s goes to the %s worker", async (path, worker) => {
    const seen = await echoed(await door(path));
    expect(seen.worker).toBe(worker);
    expect(seen.url).toBe(`${EDGE}${path}`);
  });

  it("sends everything outside /v1/ (pages, assets, /health) to the api worker", async () => {
    for (const path of ["/", "/ops", "/advertiser", "/styles.css", "/dist/player.js", "/favicon.svg", "/health"]) {
      expect((await echoed(await door(path))).worker, path).toBe("api");
    }
  });

  it("sends /health/<worker> to that worker's own /health", async () => {
    for (const [path, worker] of [
      ["/health/api", "api"],
      ["/health/playback", "playback"],
      ["/health/ingest-events", "ingest-events"],
      ["/health/ads", "ads"],
    ] as const) {
      const seen = await echoed(await door(path));
      expect(seen.worker, path).toBe(worker);
      expect(seen.url).toBe(`${EDGE}/health`);
    }
  });

  it("has a test above for every prefix in the routing table", async () => {
    for (const [prefix, owner] of ROUTES) {
      const seen = await echoed(await door(prefix.endsWith("/") ? `${prefix}x` : prefix));
      expect(seen.worker, prefix).toBe(WORKER_OF[owner]);
    }
  });
});

describe("pass-through", () => {
  it("passes method, query, headers and body through unchanged", async () => {
    const body = JSON.stringify([{ event_id: "e-1", type: "play_start" }]);
    const res = await door("/v1/events?source=test&n=1", {
      method: "POST",
      headers: {
        authorization: "Bearer listener-token",
        "content-type": "application/x-ndjson",
        "x-request-id": "req-front-door-1",
        "x-custom": "kept",
      },
      body,
    });
    const seen = await echoed(res);
    expect(seen).toMatchObject({ worker: "ingest-events", method: "POST", body });
    expect(seen.url).toBe(`${EDGE}/v1/events?source=test&n=1`);
    expect(seen.headers).toMatchObject({
      authorization: "Bearer listener-token",
      "content-type": "application/x-ndjson",
      "x-request-id": "req-front-door-1",
      "x-custom": "kept",
    });
  });

  it.each(["GET", "POST", "PUT", "PATCH", "DELETE"])("passes %s through", async (method) => {
    const seen = await echoed(
      await door("/v1/ops/steering/weights", { method, body: method === "GET" ? undefined : "{}" }),
    );
    expect(seen).toMatchObject({ worker: "api", method, body: method === "GET" ? "" : "{}" });
  });

  it("returns the worker's answer as the worker sent it", async () => {
    const res = await door("/v1/ads/vast");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-served-by")).toBe("ads");
    expect(res.headers.get("content-type")).toContain("application/json");
  });
});
