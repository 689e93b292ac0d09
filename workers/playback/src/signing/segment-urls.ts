/**
 * Signed segment URLs for one rendition of one session on one pathway, in that CDN's own token format:
 * CloudFront (custom policy, wildcard resource), Akamai (EdgeAuth 2.0, wildcard ACL), and our own Cloudflare pathway
 * (this worker's `/v1/cdn/cloudflare/`, HMAC token). One signature per rendition covers its init and all segments, so
 * a media playlist costs one signing operation whatever the track length.
 *
 * CDN tokens expire with the session, rounded up to a 5-minute step: CloudFront and Akamai cannot revoke a token
 * anyway, and the rounding lets every session of a rendition that ends in the same step share one CloudFront
 * signature, which each isolate keeps (RSA signing is the costliest step of a media playlist).
 *
 * URLs are concatenated strings; nothing here goes through `URL`/`URLSearchParams`, which would re-encode `~`.
 */
import type { EdgeRendition } from "@cadence/shared/catalog/edge-track";
import type { CdnId } from "@cadence/shared/cdn/cdn-id";
import type { PlaybackSession } from "@cadence/shared/playback/session";
import type { Env } from "../context";
import type { PlaybackConfig } from "../core/config";
import { AKAMAI_TOKEN_NAME, akamaiKey, akamaiToken } from "./akamai";
import { cloudflareQuery } from "./cloudflare";
import { cloudfrontQuery, importCloudFrontKey } from "./cloudfront";

/** CDN token expiries are rounded up to this step (seconds). */
export const CDN_EXPIRY_STEP_SECONDS = 300;

const cloudfrontQueries = new Map<string, Promise<string>>();

/** Where the Cloudflare pathway serves segments (root-relative: the host that served the playlist). */
export const CLOUDFLARE_PATHWAY_PREFIX = "/v1/cdn/cloudflare";

const SAFE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

export interface SigningContext {
  env: Env;
  config: PlaybackConfig;
  session: Pick<PlaybackSession, "id" | "expiresAt">;
  /** The client's IP, used only when CDN_BIND_CLIENT_IP is on. */
  clientIp?: string;
  /** Epoch seconds. */
  now: number;
}

/** Returns a function from a file name in the rendition's folder to its signed URL. */
export async function segmentUrlSigner(
  ctx: SigningContext,
  rendition: Pick<EdgeRendition, "path">,
  pathway: CdnId,
): Promise<(file: string) => string> {
  if (!SAFE_PATH.test(rendition.path)) throw new Error(`unsafe rendition path in EdgeTrack: ${rendition.path}`);
  const sessionExpiry = Math.ceil(ctx.session.expiresAt / 1000);
  const expiresAt = Math.ceil(sessionExpiry / CDN_EXPIRY_STEP_SECONDS) * CDN_EXPIRY_STEP_SECONDS;
  const ip = ctx.config.bindClientIp ? ctx.clientIp : undefined;
  let folder: string;
  let query: string;
  switch (pathway) {
    case "cloudfront": {
      folder = `${ctx.config.cloudfrontBaseUrl}/${rendition.path}/`;
      const { cloudfrontHash: hash } = ctx.config;
      const cacheKey = `${ctx.env.CLOUDFRONT_KEY_PAIR_ID}|${hash}|${folder}|${expiresAt}|${ip ?? ""}`;
      let signed = cloudfrontQueries.get(cacheKey);
      if (!signed) {
        if (cloudfrontQueries.size > 10_000) cloudfrontQueries.clear();
        signed = importCloudFrontKey(ctx.env.CLOUDFRONT_PRIVATE_KEY, hash).then((key) =>
          cloudfrontQuery(
            { key, keyPairId: ctx.env.CLOUDFRONT_KEY_PAIR_ID, hash },
            { resource: `${folder}*`, expiresAt, sourceIp: ip },
          ),
        );
        cloudfrontQueries.set(cacheKey, signed);
        signed.catch(() => cloudfrontQueries.delete(cacheKey));
      }
      query = await signed;
      break;
    }
    case "akamai": {
      folder = `${ctx.config.akamaiBaseUrl}/${rendition.path}/`;
      const acl = `${pathOf(ctx.config.akamaiBaseUrl)}/${rendition.path}/*`;
      const token = await akamaiToken(akamaiKey(ctx.env.AKAMAI_EDGEAUTH_KEY), {
        acl,
        startTime: ctx.now,
        expiresAt,
        ip,
      });
      query = `${AKAMAI_TOKEN_NAME}=${token}`;
      break;
    }
    case "cloudflare": {
      folder = `${CLOUDFLARE_PATHWAY_PREFIX}/${rendition.path}/`;
      query = await cloudflareQuery(ctx.env.CLOUDFLARE_CDN_TOKEN_SECRET, folder, expiresAt, ctx.session.id);
      break;
    }
  }
  // CloudFront and Akamai learn the session only from this (their access logs carry the query string): the stand-ins,
  // like a production log consumer, count bytes served per session from it (local/src/cdn/delivery-log.ts). The
  // Cloudflare pathway's token already carries the session.
  if (pathway !== "cloudflare") query += `&sid=${ctx.session.id}`;
  return (file) => {
    if (!SAFE_PATH.test(file)) throw new Error(`unsafe segment name in EdgeTrack: ${file}`);
    return `${folder}${file}?${query}`;
  };
}

/** The path part of an absolute base URL (`https://h/x` -> `/x`, `https://h` -> ``), without a URL parser. */
function pathOf(baseUrl: string): string {
  return baseUrl.replace(/^https?:\/\/[^/]+/, "");
}
