/** Master playlist requests that cannot be served: malformed requests, unknown tracks, edge state down. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { listenerToken, problemOf, publishTrack, requestMaster } from "./helpers";

describe("master playlist: refusals", () => {
  it("needs a device id, and says so", async () => {
    const track = await publishTrack();
    const res = await requestMaster(track.id, { token: await listenerToken(), device: null });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).detail).toMatch(/device=/);
    const bad = await requestMaster(track.id, { token: await listenerToken(), device: "no spaces allowed" });
    expect(bad.status).toBe(400);
  });

  it("refuses unknown codec families with what is accepted", async () => {
    const track = await publishTrack();
    const res = await requestMaster(track.id, { token: await listenerToken(), query: { codecs: "aac,mp3" } });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).detail).toMatch(/aac, flac/);
  });

  it("answers 404 for a track the catalog never published", async () => {
    const res = await requestMaster("trk-never-published", { token: await listenerToken() });
    expect(res.status).toBe(404);
    expect((await problemOf(res)).code).toBe("unknown-track");
  });
});

describe("master playlist: edge state down", () => {
  it("answers 503 edge-state-unavailable with Retry-After when Redis cannot be reached", async () => {
    const token = await listenerToken();
    const unreachable = { ...env, UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" };
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("http://playback.test/v1/play/trk-any/master.m3u8?device=d1", {
        headers: { authorization: `Bearer ${token}` },
      }),
      unreachable,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect((await problemOf(res)).code).toBe("edge-state-unavailable");
  });
});
