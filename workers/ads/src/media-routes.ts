/**
 * `GET /v1/ads/media/ads/...`: the creatives' files (progressive AAC, mezzanine, HLS playlist, init and segments) for
 * players and stitchers, pulled from the origin's media store with the service token and kept in the edge cache:
 * media paths are content-addressed, so a cached file never goes stale.
 */
import { Problem, problems } from "@cadence/shared/problem";
import { serviceFetch } from "@cadence/shared/trust/service-call";
import { Hono } from "hono";
import type { AppEnv } from "./context";

const PREFIX = "/v1/ads/media/";
/** The budget covers the body too, which streams on to the client: generous enough for a mezzanine on a slow link. */
const MEDIA_TIMEOUT_MS = 60_000;
const SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,200}$/;
const TYPES: Record<string, string> = {
  aac: "audio/aac",
  wav: "audio/wav",
  m3u8: "application/vnd.apple.mpegurl",
  mp4: "audio/mp4",
  m4s: "audio/mp4",
};

export function mediaRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.on(["GET", "HEAD"], `${PREFIX}*`, async (c) => {
    const url = new URL(c.req.url);
    const key = url.pathname.slice(PREFIX.length);
    const parts = key.split("/");
    if (parts[0] !== "ads" || parts.length < 3 || parts.length > 6 || !parts.every((p) => SEGMENT.test(p))) {
      throw new Problem(
        "invalid-media-path",
        "Ad media paths are `ads/<creative folder>/<file>`, as given in the VAST answer.",
      );
    }
    const cache = caches.default;
    const cacheKey = new Request(`https://ads-media.internal/${key}`);
    const range = c.req.header("range");
    if (!range) {
      const hit = await cache.match(cacheKey);
      if (hit) return withCors(hit, c.req.method);
    }
    let res: Response;
    try {
      res = await serviceFetch({ baseUrl: c.env.ORIGIN_URL, token: c.env.SERVICE_TOKEN }, `/media/${key}`, {
        headers: range ? { range } : {},
        requestId: c.var.requestId,
        timeoutMs: MEDIA_TIMEOUT_MS,
      });
    } catch {
      throw problems.unavailable("media-unavailable", "The ad's media is briefly unavailable.");
    }
    if (res.status === 404) throw problems.notFound(`No ad media at ${key}.`);
    if (!res.ok) throw problems.unavailable("media-unavailable", "The ad's media is briefly unavailable.");
    const headers = new Headers(res.headers);
    headers.set("content-type", TYPES[key.slice(key.lastIndexOf(".") + 1)] ?? "application/octet-stream");
    headers.set("cache-control", "public, max-age=31536000, immutable");
    const out = new Response(res.body, { status: res.status, headers });
    if (!range && res.status === 200) c.executionCtx.waitUntil(cache.put(cacheKey, out.clone()));
    return withCors(out, c.req.method);
  });
  return app;
}

function withCors(res: Response, method: string): Response {
  const out = new Response(method === "HEAD" ? null : res.body, res);
  out.headers.set("access-control-allow-origin", "*");
  out.headers.set("access-control-expose-headers", "content-length, content-range");
  return out;
}
