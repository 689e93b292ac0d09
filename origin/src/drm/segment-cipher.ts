/**
 * HLS AES-128 whole-segment encryption of one packaged rendition folder, in place and before anything is copied to
 * the media store: each file (the init segment as file 0, media segments as files 1..n in playlist order) is
 * AES-128-CBC encrypted with PKCS#7 padding under the rendition's content key and its own IV
 * (`ivBase || uint32be(index)`). This is what `#EXT-X-KEY:METHOD=AES-128,IV=...` means, so hls.js, Safari and ffmpeg
 * decrypt it with no muxer support (Debian's ffmpeg 5.1 cannot encrypt fMP4 HLS itself).
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileIvHex } from "@cadence/shared/drm/content-key";
import type { ContentKey } from "./key-vault";

/** Encrypts `files` (init first, then segments in order) in `dir`; returns each file's encrypted size. */
export async function encryptRenditionFiles(dir: string, files: string[], key: ContentKey): Promise<number[]> {
  const sizes: number[] = [];
  for (const [index, file] of files.entries()) {
    const path = join(dir, file);
    const sealed = encryptFile(await readFile(path), key, index);
    await writeFile(`${path}.enc.tmp`, sealed);
    await rename(`${path}.enc.tmp`, path);
    sizes.push(sealed.length);
  }
  return sizes;
}

export function encryptFile(clear: Uint8Array, key: Pick<ContentKey, "key" | "ivBase">, index: number): Buffer {
  const cipher = createCipheriv("aes-128-cbc", key.key, Buffer.from(fileIvHex(key.ivBase, index), "hex"));
  return Buffer.concat([cipher.update(clear), cipher.final()]);
}

export function decryptFile(sealed: Uint8Array, key: Pick<ContentKey, "key" | "ivBase">, index: number): Buffer {
  const decipher = createDecipheriv("aes-128-cbc", key.key, Buffer.from(fileIvHex(key.ivBase, index), "hex"));
  return Buffer.concat([decipher.update(sealed), decipher.final()]);
}
