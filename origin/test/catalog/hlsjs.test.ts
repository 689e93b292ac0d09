/**
 * Every rendition of the ladder plays in hls.js in headless Chromium (the system's /usr/bin/chromium through
 * playwright-core): a real player fetches the stored media playlist, init and fMP4 segments through the origin's
 * media route, and audio time advances. FLAC in fMP4 included. The media is encrypted (AES-128 whole segment), so the
 * page gets a media playlist with `#EXT-X-KEY` lines (explicit IV per file, as the edge writes them) and the key from
 * a stand-in key route fed by the origin's key vault: hls.js decrypts init and segments itself.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { EdgeTrack } from "@cadence/shared/catalog/edge-track";
import { catalogTrackKey } from "@cadence/shared/catalog/edge-track";
import { hlsIv } from "@cadence/shared/drm/content-key";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshOrigin } from "../helpers";
import { buildDelivery, smallRelease } from "./helpers";

const hlsJs = createRequire(import.meta.url).resolve("hls.js/dist/hls.min.js");
let server: Server;
let browser: Browser;
let base: string;
let track: EdgeTrack;

const PAGE = `<!doctype html><html><body><audio id="a" muted></audio><script src="/hls.js"></script><script>
window.playFor = (url, seconds) => new Promise((resolve, reject) => {
  const audio = document.getElementById("a");
  const hls = new Hls();
  const timer = setInterval(() => {
    const t = audio.currentTime;
    if (t >= seconds) { clearInterval(timer); hls.destroy(); resolve(t); }
  }, 100);
  hls.on(Hls.Events.ERROR, (_e, data) => { if (data.fatal) { clearInterval(timer); hls.destroy(); reject(new Error(data.type + ": " + data.details)); } });
  hls.on(Hls.Events.MANIFEST_PARSED, () => audio.play().catch(reject));
  hls.loadSource(url);
  hls.attachMedia(audio);
});
</script></body></html>`;

beforeAll(async () => {
  const origin = await freshOrigin();
  const spec = smallRelease({ messageId: "HLSJS-1", tracks: [{ isrc: "QZTST2600031", title: "Player", seconds: 8 }] });
  const report = await origin.services.catalog.ingestFolder(await buildDelivery(spec));
  expect(report.status).toBe("ingested");
  track = (await origin.services.redis.get<EdgeTrack>(catalogTrackKey("trk_qztst2600031")))!;

  server = createServer(async (req, res) => {
    const url = req.url ?? "/";
    if (url === "/") return res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    if (url === "/hls.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(hlsJs));
    const master = /^\/master\/([a-z0-9-]+)\.m3u8$/.exec(url);
    const rendition = track.renditions.find((r) => r.id === master?.[1]);
    if (rendition) {
      const body = `#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=${rendition.bandwidth},AVERAGE-BANDWIDTH=${rendition.averageBandwidth},CODECS="${rendition.codec}"\n/keyed/${rendition.id}.m3u8\n`;
      return res.writeHead(200, { "content-type": "application/vnd.apple.mpegurl" }).end(body);
    }
    const keyed = /^\/keyed\/([a-z0-9-]+)\.m3u8$/.exec(url);
    const encrypted = track.renditions.find((r) => r.id === keyed?.[1]);
    if (encrypted?.encryption) {
      const { keyId, ivBase } = encrypted.encryption;
      const key = (i: number) => `#EXT-X-KEY:METHOD=AES-128,URI="/key/${keyId}",IV=${hlsIv(ivBase, i)}`;
      const lines = ["#EXTM3U", "#EXT-X-VERSION:7", `#EXT-X-TARGETDURATION:${encrypted.targetDuration}`];
      lines.push("#EXT-X-PLAYLIST-TYPE:VOD", key(0), `#EXT-X-MAP:URI="/media/${encrypted.path}/${encrypted.init}"`);
      for (const [i, s] of encrypted.segments.entries()) {
        lines.push(key(i + 1), `#EXTINF:${s.duration.toFixed(6)},`, `/media/${encrypted.path}/${s.uri}`);
      }
      lines.push("#EXT-X-ENDLIST");
      return res.writeHead(200, { "content-type": "application/vnd.apple.mpegurl" }).end(`${lines.join("\n")}\n`);
    }
    const keyRequest = /^\/key\/([0-9a-f]{32})$/.exec(url);
    if (keyRequest) {
      const content = await origin.services.catalog.vault.byId(keyRequest[1]!);
      return res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.from(content!.key));
    }
    // Everything else is an origin pull, as a CDN would make it.
    const headers: Record<string, string> = { [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken };
    if (req.headers.range) headers.range = req.headers.range;
    const pulled = await origin.request(url, { headers });
    res.writeHead(pulled.status, Object.fromEntries(pulled.headers.entries()));
    res.end(Buffer.from(await pulled.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe("hls.js in Chromium", () => {
  it("plays every rendition of the ladder: audio time advances", async () => {
    const page = await browser.newPage();
    await page.goto(base);
    for (const rendition of track.renditions) {
      const reached = await page.evaluate(
        ([url]) => (window as unknown as { playFor: (u: string, s: number) => Promise<number> }).playFor(url!, 2),
        [`${base}/master/${rendition.id}.m3u8`],
      );
      expect(reached, rendition.id).toBeGreaterThanOrEqual(2);
    }
    await page.close();
  }, 90_000);
});
