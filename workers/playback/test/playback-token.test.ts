import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signPlaybackToken } from "../src/play/playback-token";
import { fetchPath, listenerToken, parseHls, play, problemOf, publishTrack, textOf } from "./helpers";

const tokenOf = (uri: string) => uri.slice(uri.indexOf("?pt=") + 4);
const withToken = (uri: string, token: string) => `${uri.slice(0, uri.indexOf("?pt=") + 4)}${token}`;

describe("media playlists and the playback token", () => {
  it("serves each pathway's media playlist, a VOD playlist a real parser accepts", async () => {
    const track = await publishTrack();
    const { media } = await play(track.id, { token: await listenerToken() });
    for (const pathway of ["cloudfront", "akamai", "cloudflare"]) {
      const res = await fetchPath(media.get(`aac-256/${pathway}`)!);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
      const manifest = parseHls(await textOf(res));
      const rendition = track.renditions.find((r) => r.id === "aac-256")!;
      expect(manifest.endList).toBe(true);
      expect(manifest.playlistType).toBe("VOD");
      expect(manifest.segments.map((s) => s.duration)).toEqual(rendition.segments.map((s) => s.duration));
      expect(manifest.segments[0]?.map?.uri).toContain(`/${rendition.path}/init.mp4?`);
    }
  });

  it("rejects a missing (401), forged (403) and expired (410) token", async () => {
    const track = await publishTrack();
    const { media } = await play(track.id, { token: await listenerToken() });
    const uri = media.get("aac-128/cloudflare")!;
    const missing = await fetchPath(uri.slice(0, uri.indexOf("?")));
    expect(missing.status).toBe(401);

    const [payload, signature] = tokenOf(uri).split(".");
    const claims = JSON.parse(atob(payload!.replace(/-/g, "+").replace(/_/g, "/")));
    const upgraded = btoa(JSON.stringify({ ...claims, rnd: ["aac-128", "flac"] }))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    const tampered = await fetchPath(withToken(uri, `${upgraded}.${signature}`));
    expect(tampered.status).toBe(403);
    expect((await problemOf(tampered)).code).toBe("playback-token-invalid");
    const otherKey = await signPlaybackToken("not-the-secret", claims);
    expect((await fetchPath(withToken(uri, otherKey))).status).toBe(403);

    const expired = await signPlaybackToken(env.PLAYBACK_TOKEN_SECRET, {
      ...claims,
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    const res = await fetchPath(withToken(uri, expired));
    expect(res.status).toBe(410);
    expect((await problemOf(res)).code).toBe("playback-token-expired");
  });

  it("does not let a token of one track open another track's session (replay across tracks)", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const [first, second] = [await publishTrack(), await publishTrack()];
    const a = await play(first.id, { token: await listenerToken({ sub }), device: "phone" });
    // A second account plays the other track, so the first session stays live.
    const b = await play(second.id, { token: await listenerToken(), device: "phone" });
    const replay = withToken(b.media.get("aac-128/akamai")!, tokenOf(a.media.get("aac-128/akamai")!));
    const res = await fetchPath(replay);
    expect(res.status).toBe(403);
    expect((await problemOf(res)).code).toMatch(/^token-wrong-(listener|track)$/);
  });

  it("does not let a token of one device open another device's session", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const onPhone = await play(track.id, { token: await listenerToken({ sub }), device: "phone" });
    const onLaptop = await play(track.id, { token: await listenerToken({ sub }), device: "laptop" });
    const laptopUri = onLaptop.media.get("aac-128/cloudfront")!;
    expect((await fetchPath(laptopUri)).status).toBe(200);
    const res = await fetchPath(withToken(laptopUri, tokenOf(onPhone.media.get("aac-128/cloudfront")!)));
    expect(res.status).toBe(403);
    expect((await problemOf(res)).code).toBe("token-wrong-device");
  });

  it("refuses a token presented for another session of the same listener, track and device", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const first = await play(track.id, { token: await listenerToken({ sub, tier: "hifi" }) });
    const second = await play(track.id, { token: await listenerToken({ sub, tier: "hifi" }) });
    const res = await fetchPath(
      withToken(second.media.get("aac-128/akamai")!, tokenOf(first.media.get("aac-128/akamai")!)),
    );
    expect(res.status).toBe(403);
    expect((await problemOf(res)).code).toBe("token-wrong-session");
  });
});
