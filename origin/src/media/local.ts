/**
 * The media store on a local folder (the default): one file per key under the store root. Writes go to a temporary
 * name and are renamed into place, so a reader never sees half a segment and a crash never leaves one behind.
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { type ByteRange, contentTypeOf, isSafeKey, type MediaObject, type MediaStore } from "./store";

export class LocalMediaStore implements MediaStore {
  readonly kind = "local" as const;
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    if (!isSafeKey(key)) throw new Error(`unsafe media key: ${key}`);
    return join(this.root, key);
  }

  async head(key: string): Promise<MediaObject | undefined> {
    const info = await stat(this.pathOf(key)).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return {
      size: info.size,
      // Keys are immutable, so size and write time identify the bytes.
      etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
      lastModified: info.mtimeMs,
      contentType: contentTypeOf(key),
    };
  }

  async get(key: string, range?: ByteRange) {
    const object = await this.head(key);
    if (!object) return undefined;
    const stream = createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
    return { object, body: Readable.toWeb(stream) as ReadableStream<Uint8Array> };
  }

  async putFile(key: string, file: string): Promise<void> {
    await this.write(key, (tmp) => copyFile(file, tmp));
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    await this.write(key, (tmp) => writeFile(tmp, bytes));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private async write(key: string, fill: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.pathOf(key);
    if (await this.head(key)) return;
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    await fill(tmp);
    await rename(tmp, target);
  }
}
