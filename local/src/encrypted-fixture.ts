/**
 * The playback fixture as the catalog would package it: the sine ladder (sine-fixture.ts) encrypted rendition by
 * rendition with HLS AES-128 under random content keys (the origin's own segment cipher) in a staging folder, then
 * copied into the test origin's media store, so the store and the CDN stand-ins only ever see encrypted bytes. Each
 * rendition is described with its encryption and its key wrapped under the run's licence wrapping key, exactly as
 * the catalog publishes EdgeTracks.
 */
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptFile } from "@cadence/origin/src/drm/segment-cipher";
import type { EdgeRendition } from "@cadence/shared/catalog/edge-track";
import { wrapKey } from "@cadence/shared/drm/wrapped-key";
import { buildSineMedia, type SineMedia } from "./sine-fixture";

export async function buildEncryptedSineMedia(mediaDir: string, licenseWrapKey: string): Promise<SineMedia> {
  const staging = mkdtempSync(join(tmpdir(), "cadence-fixture-staging-"));
  try {
    const clear = await buildSineMedia(staging);
    const renditions: EdgeRendition[] = [];
    for (const rendition of clear.renditions) {
      const dir = join(staging, rendition.path);
      const key = { key: new Uint8Array(randomBytes(16)), ivBase: randomBytes(12).toString("hex") };
      const keyId = randomBytes(16).toString("hex");
      const files = [rendition.init, ...rendition.segments.map((s) => s.uri)];
      const sizes = files.map((file, index) => {
        const sealed = encryptFile(readFileSync(join(dir, file)), key, index);
        writeFileSync(join(dir, file), sealed);
        return sealed.length;
      });
      renditions.push({
        ...rendition,
        segments: rendition.segments.map((s, i) => ({ ...s, bytes: sizes[i + 1] ?? s.bytes })),
        encryption: {
          method: "AES-128",
          keyId,
          ivBase: key.ivBase,
          wrappedKey: await wrapKey(licenseWrapKey, "edge", keyId, key.key),
        },
      });
    }
    for (const entry of readdirSync(staging)) cpSync(join(staging, entry), join(mediaDir, entry), { recursive: true });
    return { ...clear, renditions };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
