/**
 * A local CDN edge (CloudFront or Akamai stand-in): reads the request path as that CDN does (path.ts: dot segments
 * resolved, ambiguous forms refused), verifies that CDN's token against that one canonical path, pulls exactly that
 * path from the origin's media store (with the media-only pull secret, never the service token) into an in-memory
 * cache, and serves it the way the CDN would:
 * `Range`, content types, long cache headers for immutable media, `X-Cache`, an `X-CDN` header naming it, and CORS
 * so hls.js on another origin can fetch segments. `/__control` sets the operator knobs; `/__health` reports them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mediaPullFetch } from "@cadence/shared/trust/media-pull";
import type { Verdict } from "./cloudfront-verify";
import { normaliseIp } from "./ip";
import { DEFAULT_KNOBS, type Knobs, knobsSchema } from "./knobs";
import { canonicalPath } from "./path";
import { rawPath, rawQuery } from "./query";

export type CdnName = "cloudfront" | "akamai";

export interface CdnEdgeOptions {
  cdn: CdnName;
  host?: string;
  port?: number;
  /** Origin base URL; files are pulled from `<originUrl>/media/<path>`. */
  originUrl: string;
  /** The origin's media-only secret (`x-media-pull-token`): reads `/media/...` and nothing else. */
  mediaPullToken: string;
  /** This CDN's token check for a request; `path` is the canonical path (path.ts) that will be served. */
  verify(request: { rawUrl: string; path: string; origin: string; clientIp: string; now: number }): Verdict;
  knobs?: Partial<Knobs>;
  /** In-memory cache budget, bytes. */
  cacheBytes?: number;
  /** Called for each media response sent (the access log): bytes in the body and the `sid` query parameter. */
  onServed?(entry: { sessionId: string | null; bytes: number; at: number }): void;
}

export interface RunningCdnEdge {
  cdn: CdnName;
  url: string;
  port: number;
  knobs(): Knobs;
  setKnobs(knobs: Partial<Knobs>): Knobs;
  close(): Promise<void>;
}

interface CachedFile {
  body: Buffer;
  contentType: string;
  cacheControl: string;
  etag?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  mp4: "audio/mp4",
  m4s: "audio/mp4",
  m4a: "audio/mp4",
  aac: "audio/aac",
  mp3: "audio/mpeg",
  m3u8: "application/vnd.apple.mpegurl",
};
const SAFE_PATH = /^(\/[A-Za-z0-9._-]+)+$/;
const ORIGIN_TIMEOUT_MS = 30_000;
const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "content-length, content-range, x-cdn, x-cache, age",
};

export async function startCdnEdge(options: CdnEdgeOptions): Promise<RunningCdnEdge> {
  let knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const cache = new Map<string, CachedFile>();
  const cacheBudget = options.cacheBytes ?? 256 * 1024 * 1024;
  let cachedBytes = 0;
  const cdnHeader = { "x-cdn": options.cdn, ...CORS_HEADERS };

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body?: Buffer | string) => {
    res.writeHead(status, { ...cdnHeader, ...headers });
    res.end(body);
  };

  const denied = (res: ServerResponse, reason: string) => {
    // Real CDNs say only "Access denied"; the reason header is the stand-in's debugging aid.
    const body =
      options.cdn === "cloudfront"
        ? '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>'
        : "<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY>Access Denied</BODY></HTML>";
    send(
      res,
      403,
      {
        "content-type": options.cdn === "cloudfront" ? "text/xml" : "text/html",
        "cache-control": "no-store",
        "x-deny-reason": reason,
      },
      body,
    );
  };

  async function pull(path: string): Promise<CachedFile | number> {
    const hit = cache.get(path);
    if (hit) return hit;
    // An origin pull with the media-only secret, and a CDN's origin read timeout (CloudFront's default is 30 s).
    const res = await mediaPullFetch({ baseUrl: options.originUrl, token: options.mediaPullToken }, path, {
      timeoutMs: ORIGIN_TIMEOUT_MS,
    });
    if (!res.ok) return res.status;
    const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
    const file: CachedFile = {
      body: Buffer.from(await res.arrayBuffer()),
      contentType: res.headers.get("content-type") ?? CONTENT_TYPES[ext] ?? "application/octet-stream",
      cacheControl: res.headers.get("cache-control") ?? "public, max-age=31536000, immutable",
      etag: res.headers.get("etag") ?? undefined,
    };
    if (file.body.length <= cacheBudget) {
      while (cachedBytes + file.body.length > cacheBudget && cache.size > 0) {
        const [oldest, evicted] = cache.entries().next().value as [string, CachedFile];
        cache.delete(oldest);
        cachedBytes -= evicted.body.length;
      }
      cache.set(path, file);
      cachedBytes += file.body.length;
    }
    return file;
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === "GET") return send(res, 200, { "content-type": "application/json" }, JSON.stringify(knobs));
    if (req.method !== "POST") return send(res, 405, { allow: "GET, POST" });
    if (path === "/__control/recover") {
      knobs = { ...DEFAULT_KNOBS };
      return send(res, 200, { "content-type": "application/json" }, JSON.stringify(knobs));
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    } catch {
      return send(res, 400, { "content-type": "application/json" }, JSON.stringify({ error: "body is not JSON" }));
    }
    const parsed = knobsSchema.partial().strict().safeParse(body);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      return send(res, 400, { "content-type": "application/json" }, JSON.stringify({ error: "invalid knobs", errors }));
    }
    knobs = { ...knobs, ...parsed.data };
    send(res, 200, { "content-type": "application/json" }, JSON.stringify(knobs));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "/";
    const requested = rawPath(rawUrl);
    if (requested === "/__control" || requested === "/__control/recover") return control(req, res, requested);
    if (requested === "/__health") {
      return send(res, 200, { "content-type": "application/json" }, JSON.stringify({ cdn: options.cdn, knobs }));
    }
    if (req.method === "OPTIONS") {
      return send(res, 204, {
        "access-control-allow-methods": "GET, HEAD, OPTIONS",
        "access-control-allow-headers": "range",
        "access-control-max-age": "600",
      });
    }
    if (knobs.latencyMs > 0) await new Promise((r) => setTimeout(r, knobs.latencyMs));
    if (knobs.down) {
      if (knobs.downMode === "connection-reset") {
        req.socket.destroy();
        return;
      }
      return send(res, 503, { "content-type": "text/plain", "retry-after": "5" }, "Service Unavailable");
    }
    if (knobs.failureRate > 0 && Math.random() < knobs.failureRate) {
      return send(res, knobs.failStatus, { "content-type": "text/plain" }, "Injected failure");
    }
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { allow: "GET, HEAD, OPTIONS" });
    // The one path this request means, as the CDN reads it; the token is checked against it and only it is pulled.
    const canonical = canonicalPath(requested);
    if (!canonical.ok) {
      return send(res, 400, { "content-type": "text/plain", "x-deny-reason": canonical.reason }, "Bad Request");
    }
    const path = canonical.path;
    if (!SAFE_PATH.test(path)) return send(res, 404, { "content-type": "text/plain" }, "Not Found");

    const verdict = options.verify({
      rawUrl,
      path,
      origin: `http://${req.headers.host ?? ""}`,
      clientIp: normaliseIp(req.socket.remoteAddress),
      now: Date.now(),
    });
    if (!verdict.ok) return denied(res, verdict.reason);

    const hadIt = cache.has(path);
    const file = await pull(path);
    if (typeof file === "number") {
      const status = file === 404 || file === 403 ? 404 : 502;
      return send(
        res,
        status,
        { "content-type": "text/plain", "cache-control": "no-store" },
        `Origin answered ${file}`,
      );
    }
    const headers: Record<string, string> = {
      "content-type": file.contentType,
      "cache-control": file.cacheControl,
      "accept-ranges": "bytes",
      "x-cache":
        options.cdn === "cloudfront" ? `${hadIt ? "Hit" : "Miss"} from cloudfront` : hadIt ? "TCP_HIT" : "TCP_MISS",
      ...(file.etag ? { etag: file.etag } : {}),
    };
    const size = file.body.length;
    const range = parseRange(req.headers.range, size);
    if (range === "unsatisfiable") {
      return send(res, 416, { ...headers, "content-range": `bytes */${size}` });
    }
    const [start, end] = range ?? [0, size - 1];
    headers["content-length"] = String(end - start + 1);
    if (range) headers["content-range"] = `bytes ${start}-${end}/${size}`;
    const body = req.method === "HEAD" ? undefined : file.body.subarray(start, end + 1);
    send(res, range ? 206 : 200, headers, body);
    options.onServed?.({ sessionId: rawQuery(rawUrl).get("sid") ?? null, bytes: body?.length ?? 0, at: Date.now() });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 502, { "content-type": "text/plain" }, `Edge error: ${String(err)}`);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    cdn: options.cdn,
    url: `http://${host}:${port}`,
    port,
    knobs: () => knobs,
    setKnobs: (next) => {
      knobs = knobsSchema.parse({ ...knobs, ...next });
      return knobs;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One byte range (`bytes=a-b`, `a-`, `-n`); several ranges or a malformed header are served whole. */
function parseRange(header: string | undefined, size: number): [number, number] | "unsatisfiable" | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    return suffix === 0 ? "unsatisfiable" : [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start >= size || end < start ? "unsatisfiable" : [start, end];
}
