/**
 * The Cloudflare pathway: `GET /v1/cdn/cloudflare/<rendition path>/<file>?exp=&sid=&sig=` serves segments from the
 * origin's media store through the Cache API, so each colo pulls a segment from the origin once.
 *
 * The token (signing/cloudflare.ts) covers one rendition folder of one session; the session must still be live (one
 * Redis read per segment), so a session ended by a newer one loses this pathway at once (410 `session-ended`), unlike
 * third-party CDNs, which only know the token's expiry. Only a canonical path is served: the raw request path must
 * already be in the form this worker signs (no dot segments, encoded characters, backslashes or empty segments),
 * since Cloudflare's URL normalisation and the runtime's URL parser may each resolve such forms differently, and the
 * token, the cache key and the origin pull must all mean the same file. Media is pulled from the origin with the
 * media-only secret (`mediaPullFetch`), which opens `/media/...` and nothing else.
 */
import { redisFor } from "@cadence/shared/edge";
import { recordServed } from "@cadence/shared/playback/served-media";
import { Problem, problems } from "@cadence/shared/problem";
import { mediaPullFetch } from "@cadence/shared/trust/media-pull";
import type { Context } from "hono";
import type { AppEnv } from "../context";
import { fromEdgeState } from "../core/edge-state";
import { readSession } from "../core/session-store";
import { verifyCloudflareToken } from "../signing/cloudflare";
import { CLOUDFLARE_PATHWAY_PREFIX } from "../signing/segment-urls";
import { byteRange } from "./byte-range";

const SAFE_FILE_PATH = /^([A-Za-z0-9._-]+\/)+[A-Za-z0-9._-]+$/;
const DOT_SEGMENT = /(^|\/)\.{1,2}(\/|$)/;
const CACHE_HOST = "https://cloudflare-pathway.cadence.internal";

/** The request path exactly as sent (no URL parsing, which would resolve dot segments), without query or fragment. */
function rawPathname(url: string): string {
  const afterHost = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/, "");
  const end = afterHost.search(/[?#]/);
  return end < 0 ? afterHost : afterHost.slice(0, end);
}

const CONTENT_TYPES: Record<string, string> = {
  mp4: "audio/mp4",
  m4s: "audio/mp4",
  m4a: "audio/mp4",
  aac: "audio/aac",
};

export async function cloudflareSegment(c: Context<AppEnv>): Promise<Response> {
  const pathname = rawPathname(c.req.url);
  if (!pathname.startsWith(`${CLOUDFLARE_PATHWAY_PREFIX}/`)) throw problems.notFound("No such segment.");
  const path = pathname.slice(CLOUDFLARE_PATHWAY_PREFIX.length + 1);
  if (!SAFE_FILE_PATH.test(path) || DOT_SEGMENT.test(path)) throw problems.notFound("No such segment.");
  const folder = `${CLOUDFLARE_PATHWAY_PREFIX}/${path.slice(0, path.lastIndexOf("/") + 1)}`;
  const now = Date.now();
  const token = await verifyCloudflareToken(
    c.env.CLOUDFLARE_CDN_TOKEN_SECRET,
    folder,
    { exp: c.req.query("exp"), sid: c.req.query("sid"), sig: c.req.query("sig") },
    Math.floor(now / 1000),
  );
  if (!token.ok) {
    if (token.reason === "expired") throw new Problem("segment-token-expired", "This segment URL has expired.");
    throw new Problem("segment-token-invalid", "This segment URL's token is missing or does not verify.");
  }
  const session = await fromEdgeState(readSession(redisFor(c.env), token.sessionId));
  if (!session || session.endedAt !== undefined || session.expiresAt <= now) {
    throw new Problem("session-ended", "The playback session of this URL has ended.");
  }

  const cache = caches.default;
  const cacheKey = new Request(`${CACHE_HOST}/${path}`);
  let cached = await cache.match(cacheKey);
  const hit = cached !== undefined;
  if (!cached) {
    const origin = await mediaPullFetch({ baseUrl: c.env.ORIGIN_URL, token: c.env.MEDIA_PULL_TOKEN }, `/${path}`, {
      requestId: c.var.requestId,
    });
    if (origin.status === 404) throw problems.notFound("No such segment.");
    if (!origin.ok) throw new Problem("origin-failed", `The media store answered ${origin.status}.`);
    const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
    cached = new Response(await origin.arrayBuffer(), {
      headers: {
        "content-type": origin.headers.get("content-type") ?? CONTENT_TYPES[ext] ?? "application/octet-stream",
        // Media-store paths are content-addressed: a file never changes under its path.
        "cache-control": "public, max-age=31536000, immutable",
        ...(origin.headers.get("etag") ? { etag: origin.headers.get("etag")! } : {}),
      },
    });
    c.executionCtx.waitUntil(cache.put(cacheKey, cached.clone()));
  }
  const response = await serve(c.req.raw, cached, hit);
  // This pathway counts its own deliveries: evidence for earned plays and its commit usage (served-media.ts).
  const bytes = c.req.method === "HEAD" ? 0 : Number(response.headers.get("content-length") ?? 0);
  if (response.status < 300 && bytes > 0) {
    c.executionCtx.waitUntil(
      recordServed(redisFor(c.env), [
        { sessionId: token.sessionId, cdn: "cloudflare", bytes, requests: 1, at: now },
      ]).catch((err: unknown) => c.var.log.warn("could not count served segment bytes", { err })),
    );
  }
  return response;
}

async function serve(request: Request, stored: Response, hit: boolean): Promise<Response> {
  const body = new Uint8Array(await stored.arrayBuffer());
  const headers = new Headers(stored.headers);
  headers.set("accept-ranges", "bytes");
  headers.set("x-cdn", "cloudflare");
  headers.set("cf-cache-status", hit ? "HIT" : "MISS");
  const range = byteRange(request.headers.get("range"), body.length);
  const head = request.method === "HEAD";
  if (range.kind === "unsatisfiable") {
    headers.set("content-range", `bytes */${body.length}`);
    headers.delete("content-type");
    return new Response(null, { status: 416, headers });
  }
  if (range.kind === "partial") {
    headers.set("content-range", `bytes ${range.start}-${range.end}/${body.length}`);
    headers.set("content-length", String(range.end - range.start + 1));
    return new Response(head ? null : body.slice(range.start, range.end + 1), { status: 206, headers });
  }
  headers.set("content-length", String(body.length));
  return new Response(head ? null : body, { status: 200, headers });
}
