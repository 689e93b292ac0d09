/**
 * Encrypts a freshly transcoded ladder in its work folder, rendition by rendition, under each rendition's own content
 * key from the vault (so lossy and lossless, and 128 and 320, never share a key), and returns the ladder manifest as
 * the edge will see it: segment sizes and bit rates re-measured from the encrypted files (PKCS#7 adds up to 16 bytes
 * a file), and each rendition's public encryption metadata (method, key id, IV base). Runs before anything is copied
 * to the media store, so clear audio never leaves the work folder.
 */
import { join } from "node:path";
import type { LadderResult } from "../transcode/ladder";
import { segmentBitRates } from "../transcode/measure";
import type { ContentKeyVault } from "./key-vault";
import { encryptRenditionFiles } from "./segment-cipher";

export async function encryptLadder(
  vault: ContentKeyVault,
  mediaBase: string,
  work: string,
  ladder: LadderResult,
): Promise<LadderResult> {
  const renditions = [];
  for (const rendition of ladder.renditions) {
    const key = await vault.keyFor(mediaBase, rendition.id);
    const files = [rendition.init, ...rendition.segments.map((s) => s.uri)];
    const sizes = await encryptRenditionFiles(join(work, rendition.id), files, key);
    const segments = rendition.segments.map((s, i) => ({ ...s, bytes: sizes[i + 1] ?? s.bytes }));
    const rates = segmentBitRates(segments);
    renditions.push({
      ...rendition,
      segments,
      bandwidth: rates.peak,
      averageBandwidth: rates.average,
      encryption: { method: "AES-128" as const, keyId: key.keyId, ivBase: key.ivBase },
    });
  }
  return { ...ladder, renditions };
}
