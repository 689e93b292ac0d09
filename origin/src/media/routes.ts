/**
 * Origin pull: `GET /media/<rendition path>/<file>` serves the media store to the edge only (the CDN stand-ins and
 * the playback worker's Cloudflare pathway present the media-pull secret, which opens nothing but this route), the way an origin behind a CDN does: byte
 * ranges (206, 416), the right content types, strong validators (304), and immutable caching, because media keys
 * are content-addressed and never change. Listeners never reach this; they get signed CDN URLs.
 */
import { Problem, problems } from "@cadence/shared/problem";
import { requireEdgeCaller } from "@cadence/shared/trust/edge-only";
import { Hono } from "hono";
import type { OriginEnv } from "../context";
import { type ByteRange, isSafeKey, type MediaStore } from "./store";

export type RangeRequest = { kind: "none" } | { kind: "range"; range: ByteRange } | { kind: "unsatisfiable" };

/** One `bytes=` range (first-last, first-, or -suffix); several ranges are answered with the whole file (RFC 9110). */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header) return { kind: "none" };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return { kind: "none" };
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return { kind: "unsatisfiable" };
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== "" && Number(m[2]) < start) return { kind: "none" };
  }
  if (start >= size || size === 0) return { kind: "unsatisfiable" };
  return { kind: "range", range: { start, end } };
}

export function mediaRoutes(store: MediaStore) {
  const app = new Hono<OriginEnv>();
  app.on(["GET", "HEAD"], "/media/*", async (c) => {
    requireEdgeCaller(
      c.var.fromEdge || c.var.mediaPull,
      "Media is served to the CDNs only; play tracks through the playback API.",
    );
    const raw = new URL(c.req.url).pathname.slice("/media/".length);
    let key: string;
    try {
      key = decodeURIComponent(raw);
    } catch {
      throw problems.badRequest("The media path is not valid percent-encoding.");
    }
    if (!isSafeKey(key) || key.split("/").length < 2) {
      throw new Problem(
        "invalid-media-path",
        "A media path is `<rendition path>/<file>` of letters, digits, `.`, `_` and `-`; `..` is refused.",
      );
    }
    const object = await store.head(key);
    if (!object) throw problems.notFound(`No media at ${key}.`);

    const headers = new Headers({
      "content-type": object.contentType,
      "accept-ranges": "bytes",
      "cache-control": "public, max-age=31536000, immutable",
      etag: object.etag,
      "last-modified": new Date(object.lastModified || Date.now()).toUTCString(),
    });
    const inm = c.req.header("if-none-match");
    if (inm?.split(",").some((t) => t.trim() === object.etag || t.trim() === "*")) {
      return new Response(null, { status: 304, headers });
    }
    const ifRange = c.req.header("if-range");
    const range =
      ifRange && ifRange !== object.etag ? { kind: "none" as const } : parseRange(c.req.header("range"), object.size);
    if (range.kind === "unsatisfiable") {
      headers.set("content-range", `bytes */${object.size}`);
      return new Response(null, { status: 416, headers });
    }
    const head = c.req.method === "HEAD";
    if (range.kind === "range") {
      const { start, end } = range.range;
      headers.set("content-range", `bytes ${start}-${end}/${object.size}`);
      headers.set("content-length", String(end - start + 1));
      if (head) return new Response(null, { status: 206, headers });
      const found = await store.get(key, range.range);
      if (!found) throw problems.notFound(`No media at ${key}.`);
      return new Response(found.body, { status: 206, headers });
    }
    headers.set("content-length", String(object.size));
    if (head) return new Response(null, { status: 200, headers });
    const found = await store.get(key);
    if (!found) throw problems.notFound(`No media at ${key}.`);
    return new Response(found.body, { status: 200, headers });
  });
  return app;
}
