/**
 * The licence path, happy cases: an encrypted rendition's media playlist names the licence route (same session and
 * playback token) with an explicit IV per file; the route answers the 16-byte key to the session's own listener, and
 * that key decrypts the init segment and the segments the Cloudflare pathway serves (WebCrypto AES-CBC, as hls.js
 * does). Each delivery is counted per session and per account.
 */
import { env } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import { describe, expect, it } from "vitest";
import { licenseAccountKey, licenseSessionKey, utcDay } from "../src/license/deliveries";
import { fetchPath, listenerToken, play, publishTrack } from "./helpers";
import { decryptAes128, firstBox, keyedPlaylist, keyUriFor } from "./licenses";

describe("licences for encrypted renditions", () => {
  it("delivers the key to the session's listener, and it decrypts what the CDN pathway serves", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const played = await play(track.id, { token: await listenerToken({ sub, tier: "hifi" }) });
    for (const rendition of ["aac-128", "flac"]) {
      const playlist = await keyedPlaylist(played, `${rendition}/cloudflare`);
      const keyId = track.renditions.find((r) => r.id === rendition)!.encryption!.keyId;
      expect(playlist.keyUri).toMatch(new RegExp(`^/v1/license/${played.sessionId}/${keyId}\\?pt=`));
      // Every file has its own IV: none repeats under the key.
      expect(new Set([playlist.mapIv, ...playlist.segments.map((s) => s.iv)]).size).toBe(playlist.segments.length + 1);

      const res = await fetchPath(playlist.keyUri);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/octet-stream");
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      const key = new Uint8Array(await res.arrayBuffer());
      expect(key.length).toBe(16);

      const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist.text)![1]!;
      const sealedInit = await (await fetchPath(init)).arrayBuffer();
      expect(firstBox(new Uint8Array(sealedInit))).not.toBe("ftyp");
      expect(firstBox(await decryptAes128(key, playlist.mapIv, sealedInit))).toBe("ftyp");
      const segment = playlist.segments[0]!;
      const clear = await decryptAes128(key, segment.iv, await (await fetchPath(segment.uri)).arrayBuffer());
      expect(["styp", "moof"]).toContain(firstBox(clear));
    }
    // Lossy and lossless never share a key; neither do 128 and 320.
    const keyIds = track.renditions.map((r) => r.encryption!.keyId);
    expect(new Set(keyIds).size).toBe(track.renditions.length);
    const aac = await keyedPlaylist(played, "aac-128/cloudflare");
    const flacKey = await fetchPath(
      keyUriFor(aac.keyUri, track.renditions.find((r) => r.id === "flac")!.encryption!.keyId),
    );
    const aacKey = await fetchPath(aac.keyUri);
    expect(new Uint8Array(await flacKey.arrayBuffer())).not.toEqual(new Uint8Array(await aacKey.arrayBuffer()));

    const redis = redisFor(env);
    expect(Number(await redis.get(licenseSessionKey(played.sessionId)))).toBe(4);
    expect(Number(await redis.hget(licenseAccountKey(sub), utcDay(Date.now())))).toBe(4);
  });

  it("names the licence route for every pathway, so segments from any CDN decrypt with the same key", async () => {
    const track = await publishTrack();
    const played = await play(track.id, { token: await listenerToken({ tier: "premium" }) });
    const pathways = ["cloudfront", "akamai", "cloudflare"];
    const keyUris = new Set<string>();
    for (const pathway of pathways) keyUris.add((await keyedPlaylist(played, `aac-320/${pathway}`)).keyUri);
    expect(keyUris.size).toBe(1);
  });
});
