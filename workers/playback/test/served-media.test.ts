/**
 * What was served to a session is counted where it is served, never taken from the player: each media playlist this
 * worker answers, each Cloudflare-pathway segment (bytes and requests), and each segment the CloudFront and Akamai
 * stand-ins send (from the `sid` in the URL, as a CDN log consumer reads it). The counts are the evidence an earned
 * play needs and the CDNs' month-to-date volume for commits (shared/src/playback/served-media.ts).
 */
import { env } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import { parseServed, servedMediaKey, servedUsageKey } from "@cadence/shared/playback/served-media";
import { monthOf } from "@cadence/shared/steering/cost";
import { describe, expect, it } from "vitest";
import { fetchPath, listenerToken, parseHls, play, publishTrack, textOf } from "./helpers";

async function servedTo(sessionId: string) {
  return parseServed(await redisFor(env).hgetall(servedMediaKey(sessionId)));
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const usageOf = async (cdn: string) =>
  Number((await redisFor(env).hget(servedUsageKey(monthOf(Date.now())), cdn)) ?? 0);

describe("served media per session", () => {
  it("counts media playlists, Cloudflare-pathway bytes and the stand-ins' bytes for the session", async () => {
    const track = await publishTrack();
    const p = await play(track.id, { token: await listenerToken({ tier: "premium" }) });
    const spec = track.renditions.find((r) => r.id === "aac-128")!;
    const usageBefore = { cloudflare: await usageOf("cloudflare"), akamai: await usageOf("akamai") };

    const onCloudflare = parseHls(await textOf(await fetchPath(p.media.get("aac-128/cloudflare")!)));
    const onAkamai = parseHls(await textOf(await fetchPath(p.media.get("aac-128/akamai")!)));
    for (const s of onCloudflare.segments.slice(0, 2)) {
      const res = await fetchPath(s.uri);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    for (const s of onAkamai.segments.slice(0, 3)) {
      expect(s.uri).toContain(`&sid=${p.sessionId}`);
      const res = await fetch(s.uri);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    const cloudflareBytes = spec.segments[0]!.bytes + spec.segments[1]!.bytes;
    const akamaiBytes = spec.segments.slice(0, 3).reduce((a, s) => a + s.bytes, 0);

    const served = await eventually(async () => {
      const s = await servedTo(p.sessionId);
      return s.playlists === 2 && s.byCdn.cloudflare?.requests === 2 && s.byCdn.akamai?.requests === 3 ? s : undefined;
    }, "two playlists and five segments counted");
    expect(served.byCdn).toEqual({
      cloudflare: { bytes: cloudflareBytes, requests: 2 },
      akamai: { bytes: akamaiBytes, requests: 3 },
    });
    // Commit usage grows by what the CDNs served (other tests may add to it concurrently, never less).
    expect((await usageOf("cloudflare")) - usageBefore.cloudflare).toBeGreaterThanOrEqual(cloudflareBytes);
    expect((await usageOf("akamai")) - usageBefore.akamai).toBeGreaterThanOrEqual(akamaiBytes);
  });

  it("counts nothing for a refused segment or playlist", async () => {
    const track = await publishTrack();
    const p = await play(track.id, { token: await listenerToken({ tier: "premium" }) });
    const uri = p.media.get("aac-128/cloudflare")!;
    expect((await fetchPath(`${uri.slice(0, uri.indexOf("?pt=") + 4)}not-a-token`)).status).toBe(403);
    const onAkamai = parseHls(await textOf(await fetchPath(p.media.get("aac-128/akamai")!)));
    const forged = onAkamai.segments[0]!.uri.replace("hmac=", "hmac=0");
    expect((await fetch(forged)).status).toBe(403);
    // Then one real segment: once it is counted, the refused one (logged before it) would have been too.
    const real = await fetch(onAkamai.segments[0]!.uri);
    expect(real.status).toBe(200);
    const bytes = (await real.arrayBuffer()).byteLength;
    const served = await eventually(async () => {
      const s = await servedTo(p.sessionId);
      return s.requests >= 1 ? s : undefined;
    }, "the real segment to be counted");
    expect(served).toMatchObject({ playlists: 1, bytes, requests: 1 });
  });
});
