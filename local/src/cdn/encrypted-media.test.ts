/**
 * What a CDN holds is useless without its licence: the fixture's init and first segment fetched from the Akamai
 * stand-in (a validly signed URL, as a player would get it) do not decode with ffprobe/ffmpeg on their own, and do
 * once decrypted with the rendition's content key, unwrapped with the licence wrapping key exactly as the playback
 * worker does. ffmpeg also plays the same bytes through a local HLS playlist with `#EXT-X-KEY` (AES-128 with the
 * explicit IVs the edge writes), so the signalling itself is right, FLAC and AAC alike.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decryptFile } from "@cadence/origin/src/drm/segment-cipher";
import { hlsIv } from "@cadence/shared/drm/content-key";
import { unwrapKey } from "@cadence/shared/drm/wrapped-key";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { RunningCdnEdge } from "./edge-server";
import { startCdnStandIn } from "./stand-ins";

const stack = inject("stack");
const secrets = stack.playback;
let akamai: RunningCdnEdge;
const work = mkdtempSync(join(tmpdir(), "cadence-encrypted-media-"));

beforeAll(async () => {
  akamai = await startCdnStandIn("akamai", {
    originUrl: stack.originUrl,
    mediaPullToken: stack.mediaPullToken,
    secrets,
  });
});
afterAll(async () => {
  await akamai.close();
  rmSync(work, { recursive: true, force: true });
});

/** A file of a rendition through the stand-in, with an EdgeAuth token for the rendition's folder. */
async function fromCdn(path: string, file: string): Promise<Buffer> {
  const fields = `exp=${Math.floor(Date.now() / 1000) + 300}~acl=/${path}/*`;
  const hmac = createHmac("sha256", Buffer.from(secrets.akamaiEdgeAuthKey, "hex")).update(fields).digest("hex");
  const res = await fetch(`${akamai.url}/${path}/${file}?__token__=${fields}~hmac=${hmac}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

const decodes = (file: string) =>
  spawnSync("ffmpeg", ["-v", "error", "-xerror", "-i", file, "-f", "null", "-"], { encoding: "utf8" }).status === 0;

describe.each(["aac-128", "flac"])("the %s rendition from a CDN stand-in", (id) => {
  const rendition = secrets.fixture.renditions.find((r) => r.id === id)!;
  const encryption = rendition.encryption!;

  it("does not decode without its key, and does with it", async () => {
    const init = await fromCdn(rendition.path, rendition.init);
    const segment = await fromCdn(rendition.path, rendition.segments[0]!.uri);
    const sealed = join(work, `${id}-sealed.mp4`);
    writeFileSync(sealed, Buffer.concat([init, segment]));
    const probe = spawnSync("ffprobe", ["-v", "error", "-show_streams", sealed], { encoding: "utf8" });
    expect(probe.status).not.toBe(0);
    expect(decodes(sealed)).toBe(false);

    const key = await unwrapKey(secrets.licenseWrapKey, "edge", encryption.keyId, encryption.wrappedKey);
    expect(key?.length).toBe(16);
    const opened = { key: key!, ivBase: encryption.ivBase };
    const clear = join(work, `${id}-clear.mp4`);
    writeFileSync(clear, Buffer.concat([decryptFile(init, opened, 0), decryptFile(segment, opened, 1)]));
    const streams = execFileSync("ffprobe", ["-v", "error", "-show_streams", "-of", "json", clear]).toString();
    expect(JSON.parse(streams).streams[0].codec_name).toBe(id === "flac" ? "flac" : "aac");
    expect(decodes(clear)).toBe(true);
  });

  it("plays in ffmpeg through an HLS playlist with the edge's #EXT-X-KEY lines and IVs", async () => {
    const dir = mkdtempSync(join(work, `${id}-hls-`));
    const key = await unwrapKey(secrets.licenseWrapKey, "edge", encryption.keyId, encryption.wrappedKey);
    writeFileSync(join(dir, "key.bin"), key!);
    const lines = ["#EXTM3U", "#EXT-X-VERSION:7", `#EXT-X-TARGETDURATION:${rendition.targetDuration}`];
    lines.push("#EXT-X-PLAYLIST-TYPE:VOD", `#EXT-X-KEY:METHOD=AES-128,URI="key.bin",IV=${hlsIv(encryption.ivBase, 0)}`);
    writeFileSync(join(dir, rendition.init), await fromCdn(rendition.path, rendition.init));
    lines.push(`#EXT-X-MAP:URI="${rendition.init}"`);
    for (const [i, s] of rendition.segments.entries()) {
      writeFileSync(join(dir, s.uri), await fromCdn(rendition.path, s.uri));
      lines.push(`#EXT-X-KEY:METHOD=AES-128,URI="key.bin",IV=${hlsIv(encryption.ivBase, i + 1)}`);
      lines.push(`#EXTINF:${s.duration.toFixed(6)},`, s.uri);
    }
    lines.push("#EXT-X-ENDLIST");
    writeFileSync(join(dir, "index.m3u8"), `${lines.join("\n")}\n`);
    const run = spawnSync(
      "ffmpeg",
      ["-v", "error", "-allowed_extensions", "ALL", "-i", join(dir, "index.m3u8"), "-f", "null", "-"],
      { encoding: "utf8" },
    );
    expect(run.status, run.stderr).toBe(0);
  });
});
