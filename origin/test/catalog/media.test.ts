/**
 * Origin pull of packaged media, as the CDN stand-ins and the playback worker's Cloudflare pathway use it: edge-only,
 * byte ranges, content types, immutable caching and validators, 404 problems, and no way out of the store.
 */
import type { EdgeTrack } from "@cadence/shared/catalog/edge-track";
import { catalogTrackKey } from "@cadence/shared/catalog/edge-track";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { parseRange } from "../../src/media/routes";
import { freshOrigin } from "../helpers";
import { buildDelivery, smallRelease } from "./helpers";

let origin: Awaited<ReturnType<typeof freshOrigin>>;
let base: string;
const edge = () => ({ "x-service-token": inject("stack").serviceToken });
const media = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  origin.request(`/media/${path}`, { method, headers: { ...edge(), ...headers } });

beforeAll(async () => {
  origin = await freshOrigin();
  const report = await origin.services.catalog.ingestFolder(
    await buildDelivery(
      smallRelease({ messageId: "MEDIA-1", tracks: [{ isrc: "QZTST2600011", title: "Media", seconds: 7 }] }),
    ),
  );
  expect(report.status).toBe("ingested");
  const track = await origin.services.redis.get<EdgeTrack>(catalogTrackKey("trk_qztst2600011"));
  base = track!.renditions[0]!.path.split("/")[0]!;
}, 60_000);

describe("GET /media/<rendition path>/<file>", () => {
  it("serves segments, init and playlists with their content types and immutable caching", async () => {
    const seg = await media(`${base}/aac-128/seg-00001.m4s`);
    expect(seg.status).toBe(200);
    expect(seg.headers.get("content-type")).toBe("audio/mp4");
    expect(seg.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(seg.headers.get("accept-ranges")).toBe("bytes");
    const bytes = new Uint8Array(await seg.arrayBuffer());
    expect(Number(seg.headers.get("content-length"))).toBe(bytes.length);
    // An fMP4 fragment starts with a box whose type is styp or moof.
    expect(new TextDecoder().decode(bytes.slice(4, 8))).toMatch(/styp|moof/);
    const init = await media(`${base}/flac/init.mp4`);
    expect(init.headers.get("content-type")).toBe("audio/mp4");
    expect(new TextDecoder().decode(new Uint8Array(await init.arrayBuffer()).slice(4, 8))).toBe("ftyp");
    const playlist = await media(`${base}/aac-256/index.m3u8`);
    expect(playlist.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    expect(await playlist.text()).toContain('#EXT-X-MAP:URI="init.mp4"');
  });

  it("answers byte ranges with 206 and Content-Range, and unsatisfiable ones with 416", async () => {
    const whole = new Uint8Array(await (await media(`${base}/aac-320/seg-00001.m4s`)).arrayBuffer());
    const part = await media(`${base}/aac-320/seg-00001.m4s`, { range: "bytes=100-199" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-199/${whole.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(whole.slice(100, 200));
    const tail = await media(`${base}/aac-320/seg-00001.m4s`, { range: "bytes=-10" });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(whole.slice(-10));
    const beyond = await media(`${base}/aac-320/seg-00001.m4s`, { range: `bytes=${whole.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${whole.length}`);
  });

  it("HEAD gives the headers without a body; a matching If-None-Match gives 304", async () => {
    const head = await media(`${base}/aac-128/init.mp4`, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const etag = head.headers.get("etag")!;
    expect((await media(`${base}/aac-128/init.mp4`, { "if-none-match": etag })).status).toBe(304);
  });

  it("refuses callers without the service token", async () => {
    const res = await origin.request(`/media/${base}/aac-128/seg-00001.m4s`);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("unknown paths are 404 problems; traversal and odd characters are 400", async () => {
    const missing = await media(`${base}/aac-128/seg-09999.m4s`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "not-found" });
    for (const path of [
      `${base}/..%2F..%2Fcadence.db`,
      "..%2Fsecrets.json",
      `${base}/aac-128/%2e%2e`,
      `${base}/a b/c`,
    ]) {
      const res = await media(path);
      expect(res.status, path).toBe(400);
      expect(await res.json()).toMatchObject({ code: "invalid-media-path" });
    }
  });
});

describe("parseRange", () => {
  it("reads one range and ignores what it cannot serve", () => {
    expect(parseRange("bytes=0-9", 100)).toEqual({ kind: "range", range: { start: 0, end: 9 } });
    expect(parseRange("bytes=90-", 100)).toEqual({ kind: "range", range: { start: 90, end: 99 } });
    expect(parseRange("bytes=50-500", 100)).toEqual({ kind: "range", range: { start: 50, end: 99 } });
    expect(parseRange("bytes=0-1,5-6", 100)).toEqual({ kind: "none" });
    expect(parseRange("items=0-1", 100)).toEqual({ kind: "none" });
    expect(parseRange("bytes=100-", 100)).toEqual({ kind: "unsatisfiable" });
  });
});
