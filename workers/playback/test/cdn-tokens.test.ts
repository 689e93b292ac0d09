import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { akamaiToken, importAkamaiKey } from "../src/signing/akamai";
import { cloudflareQuery } from "../src/signing/cloudflare";
import { cloudfrontQuery, importCloudFrontKey } from "../src/signing/cloudfront";
import { fetchPath, listenerToken, parseHls, play, publishTrack, stack, textOf } from "./helpers";

/** Signed init and segment URLs of one rendition on one pathway, from a real master and media playlist. */
async function signedUrls(pathway: string, rendition = "aac-128") {
  const track = await publishTrack();
  const { media } = await play(track.id, { token: await listenerToken({ tier: "hifi" }) });
  const manifest = parseHls(await textOf(await fetchPath(media.get(`${rendition}/${pathway}`)!)));
  const spec = track.renditions.find((r) => r.id === rendition)!;
  return { init: manifest.segments[0]!.map!.uri, segments: manifest.segments.map((s) => s.uri), spec };
}

/** Flips one character of the signature part so the token no longer verifies. */
function tamper(url: string, marker: string): string {
  const at = url.indexOf(marker) + marker.length + 4;
  const c = url[at]!;
  return `${url.slice(0, at)}${c === "a" ? "b" : "a"}${url.slice(at + 1)}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe.each([
  ["cloudfront", "Signature="],
  ["akamai", "hmac="],
])("%s stand-in verifies the worker's WebCrypto tokens with Node crypto", (pathway, signatureMarker) => {
  it("serves every segment of the rendition under one signature, with Range, types and cache headers", async () => {
    const { init, segments, spec } = await signedUrls(pathway);
    const base = pathway === "cloudfront" ? stack.playback.cloudfrontUrl : stack.playback.akamaiUrl;
    expect(init.startsWith(`${base}/${spec.path}/init.mp4?`)).toBe(true);
    expect(new Set(segments.map((u) => u.slice(u.indexOf("?")))).size).toBe(1);
    for (const [i, url] of segments.entries()) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-cdn")).toBe(pathway);
      expect(res.headers.get("content-type")).toBe("audio/mp4");
      expect(res.headers.get("cache-control")).toContain("immutable");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect((await res.arrayBuffer()).byteLength).toBe(spec.segments[i]!.bytes);
    }
    const ranged = await fetch(segments[0]!, { headers: { range: "bytes=0-99" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 0-99/${spec.segments[0]!.bytes}`);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
    expect((await fetch(init)).status).toBe(200);
  });

  it("keeps `~` as sent: the raw URL works, a URLSearchParams round trip (%7E) is refused", async () => {
    // Akamai tokens always hold `~`; a CloudFront query holds one unless no base64 `/` occurred (rare): then sign
    // again with another expiry, with the worker's own signer.
    const { segments, spec } = await signedUrls(pathway);
    let url = segments[0]!;
    const key = await importCloudFrontKey(env.CLOUDFRONT_PRIVATE_KEY, "SHA1");
    const folder = `${stack.playback.cloudfrontUrl}/${spec.path}/`;
    for (let i = 1; i <= 20 && !url.includes("~"); i++) {
      const signer = { key, keyPairId: env.CLOUDFRONT_KEY_PAIR_ID, hash: "SHA1" as const };
      url = `${folder}seg-00000.m4s?${await cloudfrontQuery(signer, { resource: `${folder}*`, expiresAt: nowSeconds() + 60 + i })}`;
    }
    expect(url).toContain("~");
    expect(url).not.toContain("%7E");
    const query = url.slice(url.indexOf("?") + 1);
    const reencoded = `${url.slice(0, url.indexOf("?"))}?${new URLSearchParams(query).toString()}`;
    expect(reencoded).toContain("%7E");
    expect((await fetch(reencoded)).status).toBe(403);
    expect((await fetch(url)).status).toBe(200);
  });

  it("refuses a tampered signature, another rendition's folder and a file outside the ACL/resource", async () => {
    const { segments, spec } = await signedUrls(pathway);
    const url = segments[0]!;
    expect((await fetch(tamper(url, signatureMarker))).status).toBe(403);
    expect((await fetch(url.replace(`/${spec.path}/`, `/${spec.path.replace("aac-128", "flac")}/`))).status).toBe(403);
    const denied = await fetch(url.replace(`/${spec.path}/`, "/some-other-track/aac-128/"));
    expect(denied.status).toBe(403);
    expect(denied.headers.get("x-deny-reason")).toMatch(/resource|acl/);
  });

  it("refuses an expired token and honours an IP condition", async () => {
    const { spec } = await signedUrls(pathway);
    const base = pathway === "cloudfront" ? stack.playback.cloudfrontUrl : stack.playback.akamaiUrl;
    const folder = `${base}/${spec.path}/`;
    const sign = async (expiresAt: number, ip?: string) => {
      if (pathway === "cloudfront") {
        const key = await importCloudFrontKey(env.CLOUDFRONT_PRIVATE_KEY, "SHA1");
        const signer = { key, keyPairId: env.CLOUDFRONT_KEY_PAIR_ID, hash: "SHA1" as const };
        return `${folder}seg-00000.m4s?${await cloudfrontQuery(signer, { resource: `${folder}*`, expiresAt, sourceIp: ip })}`;
      }
      const key = await importAkamaiKey(env.AKAMAI_EDGEAUTH_KEY);
      const acl = `/${spec.path}/*`;
      return `${folder}seg-00000.m4s?__token__=${await akamaiToken(key, { acl, startTime: nowSeconds() - 5, expiresAt, ip })}`;
    };
    expect((await fetch(await sign(nowSeconds() + 60))).status).toBe(200);
    const expired = await fetch(await sign(nowSeconds() - 1));
    expect(expired.status).toBe(403);
    expect(expired.headers.get("x-deny-reason")).toBe("expired");
    expect((await fetch(await sign(nowSeconds() + 60, "127.0.0.1"))).status).toBe(200);
    const elsewhere = await fetch(await sign(nowSeconds() + 60, "203.0.113.9"));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get("x-deny-reason")).toMatch(/ip/i);
  });
});

describe("cloudflare pathway (this worker, Cache API, own HMAC token)", () => {
  it("serves segments from the origin's media store, then from cache, with Range", async () => {
    const { init, segments, spec } = await signedUrls("cloudflare", "flac");
    expect(init.startsWith(`/v1/cdn/cloudflare/${spec.path}/init.mp4?exp=`)).toBe(true);
    const first = await fetchPath(segments[1]!);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cdn")).toBe("cloudflare");
    expect(first.headers.get("content-type")).toBe("audio/mp4");
    expect((await first.arrayBuffer()).byteLength).toBe(spec.segments[1]!.bytes);
    const ranged = await fetchPath(segments[1]!, { headers: { range: "bytes=-10" } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(10);
    const unsatisfiable = await fetchPath(segments[1]!, { headers: { range: `bytes=${spec.segments[1]!.bytes}-` } });
    expect(unsatisfiable.status).toBe(416);
  });

  it("refuses a tampered token (403), another folder (403) and an expired one (410)", async () => {
    const { segments, spec } = await signedUrls("cloudflare");
    expect((await fetchPath(tamper(segments[0]!, "sig="))).status).toBe(403);
    expect((await fetchPath(segments[0]!.replace("/aac-128/", "/flac/"))).status).toBe(403);
    const sid = /sid=([^&]+)/.exec(segments[0]!)![1]!;
    const folder = `/v1/cdn/cloudflare/${spec.path}/`;
    const expired = await cloudflareQuery(env.CLOUDFLARE_CDN_TOKEN_SECRET, folder, nowSeconds() - 1, sid);
    expect((await fetchPath(`${folder}seg-00000.m4s?${expired}`)).status).toBe(410);
  });
});
