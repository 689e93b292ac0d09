/**
 * What the licence tests share: a session's media playlist with its `#EXT-X-KEY` lines read back, the key URI of a
 * rendition, and AES-128-CBC decryption with WebCrypto (what hls.js does in the browser).
 */
import { expect } from "vitest";
import { fetchPath, type Play, parseHls, textOf } from "./helpers";

export interface KeyedPlaylist {
  text: string;
  /** The key URI every file of the rendition names (one licence per rendition). */
  keyUri: string;
  mapIv: string;
  segments: Array<{ uri: string; iv: string }>;
}

/** Fetches a rendition's media playlist on a pathway and reads back its keys and IVs. */
export async function keyedPlaylist(played: Play, renditionPathway: string): Promise<KeyedPlaylist> {
  const res = await fetchPath(played.media.get(renditionPathway)!);
  const text = await textOf(res);
  expect(res.status, text).toBe(200);
  const manifest = parseHls(text);
  const keys = [...text.matchAll(/#EXT-X-KEY:METHOD=AES-128,URI="([^"]+)",IV=0x([0-9a-f]{32})/g)];
  expect(keys.length).toBe(manifest.segments.length + 1);
  const uris = new Set(keys.map((k) => k[1]));
  expect(uris.size).toBe(1);
  return {
    text,
    keyUri: keys[0]![1]!,
    mapIv: keys[0]![2]!,
    segments: manifest.segments.map((s, i) => ({ uri: s.uri, iv: keys[i + 1]![2]! })),
  };
}

export async function decryptAes128(key: Uint8Array, ivHex: string, data: ArrayBuffer): Promise<Uint8Array> {
  const iv = new Uint8Array(ivHex.match(/../g)!.map((h) => Number.parseInt(h, 16)));
  const cryptoKey = await crypto.subtle.importKey("raw", key as Uint8Array<ArrayBuffer>, "AES-CBC", false, ["decrypt"]);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv }, cryptoKey, data));
}

/** The four-character type of the first ISO BMFF box (`ftyp` for an init segment, `styp`/`moof` for a segment). */
export const firstBox = (bytes: Uint8Array) => new TextDecoder().decode(bytes.subarray(4, 8));

/** The key URI of another rendition: same session and token, that rendition's key id. */
export const keyUriFor = (keyUri: string, keyId: string) => keyUri.replace(/\/[0-9a-f]{32}\?/, `/${keyId}?`);
