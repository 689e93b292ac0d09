/**
 * Signed segment URLs in each CDN's own format, checked by the CDN stand-ins with Node `crypto`: every segment of a
 * rendition under one signature, with Range, content type, immutable caching and CORS; `~` kept as sent; and the
 * Cloudflare pathway (this worker) serving from the origin's media store through the Cache API.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cloudfrontQuery, importCloudFrontKey } from "../src/signing/cloudfront";
import { signedUrls } from "./cdn-urls";
import { fetchPath, nowSeconds, stack } from "./helpers";

describe.each([
  ["cloudfront", "Signature="],
  ["akamai", "hmac="],
])("%s stand-in verifies the worker's WebCrypto tokens with Node crypto", (pathway) => {
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
});
