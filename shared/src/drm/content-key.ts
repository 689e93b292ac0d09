/**
 * How a packaged rendition is encrypted, as the catalog publishes it and the playback worker renders it: HLS
 * whole-segment AES-128 (AES-128-CBC, PKCS#7 padding, `#EXT-X-KEY:METHOD=AES-128`), one random 16-byte content key
 * per rendition of a recording, named by a random key id. Every file of a rendition (the init segment and each media
 * segment) has its own IV, derived from a random per-rendition base and the file's index (0 for the init segment,
 * n for the n-th media segment), so no two files share an IV under one key and the edge needs no IV list.
 *
 * Contract between the origin's packager (writer), the catalog's edge publisher and the playback worker (readers).
 */

/** Encryption metadata that is not secret: it lives in the ladder manifest and in the EdgeTrack. */
export interface RenditionEncryption {
  method: "AES-128";
  /** 16 random bytes, hex (32 characters): the name of the content key in the key store and in licence URLs. */
  keyId: string;
  /** 12 random bytes, hex (24 characters): the IV of file i is `ivBase || uint32be(i)`. */
  ivBase: string;
}

/** What the edge holds for an encrypted rendition: the metadata and the content key wrapped for the licence path. */
export interface EdgeEncryption extends RenditionEncryption {
  /** The content key wrapped under the playback worker's LICENSE_WRAP_KEY (wrapped-key.ts); useless without it. */
  wrappedKey: string;
}

export const KEY_ID_PATTERN = /^[0-9a-f]{32}$/;
const IV_BASE_PATTERN = /^[0-9a-f]{24}$/;

export function isKeyId(value: string): boolean {
  return KEY_ID_PATTERN.test(value);
}

export function isRenditionEncryption(value: unknown): value is RenditionEncryption {
  const v = value as Partial<RenditionEncryption> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    v.method === "AES-128" &&
    typeof v.keyId === "string" &&
    isKeyId(v.keyId) &&
    typeof v.ivBase === "string" &&
    IV_BASE_PATTERN.test(v.ivBase)
  );
}

/** The IV of file `index` (0 = init segment, n = n-th media segment) as 32 hex characters. */
export function fileIvHex(ivBase: string, index: number): string {
  return `${ivBase}${(index >>> 0).toString(16).padStart(8, "0")}`;
}

/** The `IV=` attribute value of `#EXT-X-KEY` for file `index`. */
export function hlsIv(ivBase: string, index: number): string {
  return `0x${fileIvHex(ivBase, index)}`;
}
