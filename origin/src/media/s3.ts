/**
 * The media store on S3-compatible object storage (AWS S3, Cloudflare R2, MinIO), spoken to with SigV4-signed
 * fetches (aws4fetch) and path-style URLs (`<endpoint>/<bucket>/<prefix><key>`), which every S3-compatible service
 * accepts. Objects are written with an immutable Cache-Control so the bucket can sit directly behind a CDN.
 */
import { readFile } from "node:fs/promises";
import { AwsClient } from "aws4fetch";
import { type ByteRange, contentTypeOf, isSafeKey, type MediaObject, type MediaStore } from "./store";

export interface S3Options {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  prefix: string;
}

export class S3MediaStore implements MediaStore {
  readonly kind = "s3" as const;
  private readonly client: AwsClient;

  constructor(private readonly options: S3Options) {
    this.client = new AwsClient({
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      service: "s3",
      region: options.region,
    });
  }

  private urlOf(key: string): string {
    if (!isSafeKey(key)) throw new Error(`unsafe media key: ${key}`);
    return `${this.options.endpoint.replace(/\/$/, "")}/${this.options.bucket}/${this.options.prefix}${key}`;
  }

  private objectOf(key: string, res: Response, size: number): MediaObject {
    return {
      size,
      etag: res.headers.get("etag") ?? `"${size.toString(16)}"`,
      lastModified: Date.parse(res.headers.get("last-modified") ?? "") || 0,
      contentType: contentTypeOf(key),
    };
  }

  async head(key: string): Promise<MediaObject | undefined> {
    const res = await this.client.fetch(this.urlOf(key), { method: "HEAD" });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`S3 HEAD ${key} answered ${res.status}`);
    return this.objectOf(key, res, Number(res.headers.get("content-length") ?? 0));
  }

  async get(key: string, range?: ByteRange) {
    const headers: Record<string, string> = range ? { range: `bytes=${range.start}-${range.end}` } : {};
    const res = await this.client.fetch(this.urlOf(key), { headers });
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok || !res.body) throw new Error(`S3 GET ${key} answered ${res.status}`);
    const total = res.headers.get("content-range")?.split("/")[1];
    const size = Number(total ?? res.headers.get("content-length") ?? 0);
    return { object: this.objectOf(key, res, size), body: res.body as ReadableStream<Uint8Array> };
  }

  async putFile(key: string, file: string): Promise<void> {
    await this.putBytes(key, await readFile(file));
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    if (await this.head(key)) return;
    const res = await this.client.fetch(this.urlOf(key), {
      method: "PUT",
      body: new Uint8Array(bytes),
      headers: {
        "content-type": contentTypeOf(key),
        "cache-control": "public, max-age=31536000, immutable",
      },
    });
    if (!res.ok) throw new Error(`S3 PUT ${key} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }

  async delete(key: string): Promise<void> {
    const res = await this.client.fetch(this.urlOf(key), { method: "DELETE" });
    await res.body?.cancel();
    if (!res.ok && res.status !== 404) throw new Error(`S3 DELETE ${key} answered ${res.status}`);
  }
}
