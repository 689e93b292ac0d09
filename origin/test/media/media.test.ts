/**
 * Origin pull of packaged media, as the CDN stand-ins and the playback worker's Cloudflare pathway use it: byte
 * ranges, content types, immutable caching and validators. What is refused: media.errors.test.ts (404 problems, no
 * way out of the store) and media.security.test.ts (edge only).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseRange } from "../../src/media/routes";
import { originWithMedia } from "./helpers";

let base: string;
let media: Awaited<ReturnType<typeof originWithMedia>>["media"];

beforeAll(async () => {
  ({ base, media } = await originWithMedia());
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
    // Stored encrypted (AES-128-CBC whole segment): whole cipher blocks, not an fMP4 box (styp/moof) in sight.
    expect(bytes.length % 16).toBe(0);
    expect(new TextDecoder().decode(bytes.slice(4, 8))).not.toMatch(/styp|moof/);
    const init = await media(`${base}/flac/init.mp4`);
    expect(init.headers.get("content-type")).toBe("audio/mp4");
    expect(new TextDecoder().decode(new Uint8Array(await init.arrayBuffer()).slice(4, 8))).not.toBe("ftyp");
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
