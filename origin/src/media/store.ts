/**
 * The media store: where packaged audio (HLS init segments, media segments, playlists) lives, behind one interface so
 * the origin runs on a local folder by default and on S3-compatible object storage (AWS S3, Cloudflare R2, MinIO) by
 * configuration. Keys are content-addressed and immutable (`<source sha-256>-<ladder>/<rendition>/<file>`): a key is
 * written once and never changes, which is what lets every cache in front of it keep a file forever.
 *
 * This file is the contract both stores implement (local.ts, s3.ts); create-store.ts picks one from the settings.
 */
export interface MediaObject {
  size: number;
  etag: string;
  lastModified: number;
  contentType: string;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export interface MediaStore {
  readonly kind: "local" | "s3";
  head(key: string): Promise<MediaObject | undefined>;
  /** The object's bytes (or one range of them) as a stream, or undefined when there is no such key. */
  get(key: string, range?: ByteRange): Promise<{ object: MediaObject; body: ReadableStream<Uint8Array> } | undefined>;
  /** Stores a local file under `key`. Keys are immutable: storing an existing key again is a no-op. */
  putFile(key: string, file: string): Promise<void>;
  putBytes(key: string, bytes: Uint8Array): Promise<void>;
  /**
   * Removes a key (no-op when absent). Only re-packaging uses it, to remove clear media once its encrypted
   * replacement is complete under a new key (drm/repackage.ts); published keys are otherwise never removed.
   */
  delete(key: string): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  m4s: "audio/mp4",
  mp4: "audio/mp4",
  m4a: "audio/mp4",
  m3u8: "application/vnd.apple.mpegurl",
  json: "application/json",
};

export function contentTypeOf(key: string): string {
  return CONTENT_TYPES[key.slice(key.lastIndexOf(".") + 1).toLowerCase()] ?? "application/octet-stream";
}

/** A key segment may hold letters, digits, `.`, `_` and `-`, and is never `.` or `..`. */
const SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,200}$/;

/** True for keys that cannot name anything outside the store (no traversal, no absolute paths, no empty parts). */
export function isSafeKey(key: string): boolean {
  const parts = key.split("/");
  return parts.length >= 1 && parts.length <= 8 && parts.every((p) => SEGMENT.test(p));
}
