/**
 * What the CDNs refuse: a tampered signature, another rendition's folder or track, an expired token, and a client
 * outside an IP condition (CloudFront and Akamai stand-ins); a tampered, misplaced (403) or expired (410) token on the
 * Cloudflare pathway.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { akamaiKey, akamaiToken } from "../src/signing/akamai";
import { cloudflareQuery } from "../src/signing/cloudflare";
import { cloudfrontQuery, importCloudFrontKey } from "../src/signing/cloudfront";
import { signedUrls, tamper } from "./cdn-urls";
import { fetchPath, nowSeconds, stack } from "./helpers";

describe.each([
  ["cloudfront", "Signature="],
  ["akamai", "hmac="],
])("%s stand-in verifies the worker's WebCrypto tokens with Node crypto", (pathway, signatureMarker) => {
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
      const key = akamaiKey(env.AKAMAI_EDGEAUTH_KEY);
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
