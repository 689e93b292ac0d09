/**
 * The media store's one interface, run against both implementations: the local folder, and S3-compatible object
 * storage (s3rver locally: the S3 REST protocol with path-style buckets, ranges and access keys; it does not
 * recompute SigV4 signatures, which aws4fetch computes as it does against R2 and S3).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EdgeTrack } from "@cadence/shared/catalog/edge-track";
import { catalogTrackKey } from "@cadence/shared/catalog/edge-track";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
// @ts-expect-error s3rver ships no types; it is used only here, as a local S3-compatible endpoint.
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LocalMediaStore } from "../../src/media/local";
import { S3MediaStore } from "../../src/media/s3";
import type { MediaStore } from "../../src/media/store";
import { isSafeKey } from "../../src/media/store";
import { buildDelivery, smallRelease, tempDir } from "../catalog/helpers";
import { freshOrigin } from "../helpers";

interface S3Server {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}

let s3: S3Server;
let endpoint: string;

beforeAll(async () => {
  s3 = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: tempDir("cadence-s3rver-"),
    configureBuckets: [{ name: "media" }],
  }) as S3Server;
  endpoint = `http://127.0.0.1:${(await s3.run()).port}`;
});
afterAll(() => s3.close());

const s3Store = (accessKeyId = "S3RVER") =>
  new S3MediaStore({
    endpoint,
    bucket: "media",
    region: "us-east-1",
    accessKeyId,
    secretAccessKey: "S3RVER",
    prefix: "cadence/",
  });

const stores: Array<[string, () => MediaStore]> = [
  ["local folder", () => new LocalMediaStore(tempDir("cadence-media-"))],
  ["S3-compatible", () => s3Store()],
];

describe.each(stores)("media store: %s", (_name, make) => {
  const text = (body: ReadableStream<Uint8Array>) => new Response(body).text();

  it("stores a file and a byte array, and reads them whole or by range", async () => {
    const store = make();
    const source = join(tempDir(), "seg.m4s");
    writeFileSync(source, "0123456789abcdef");
    await store.putFile("abc-l1/aac-128/seg-00001.m4s", source);
    await store.putBytes("abc-l1/aac-128/index.m3u8", new TextEncoder().encode("#EXTM3U\n"));
    const head = await store.head("abc-l1/aac-128/seg-00001.m4s");
    expect(head).toMatchObject({ size: 16, contentType: "audio/mp4" });
    expect(head?.etag).toBeTruthy();
    expect(await text((await store.get("abc-l1/aac-128/seg-00001.m4s"))!.body)).toBe("0123456789abcdef");
    expect(await text((await store.get("abc-l1/aac-128/seg-00001.m4s", { start: 4, end: 7 }))!.body)).toBe("4567");
    expect((await store.head("abc-l1/aac-128/index.m3u8"))?.contentType).toBe("application/vnd.apple.mpegurl");
  });

  it("keys are immutable: storing a key again keeps the first bytes", async () => {
    const store = make();
    await store.putBytes("k-l1/flac/init.mp4", new TextEncoder().encode("first"));
    await store.putBytes("k-l1/flac/init.mp4", new TextEncoder().encode("second"));
    expect(await text((await store.get("k-l1/flac/init.mp4"))!.body)).toBe("first");
  });

  it("knows nothing of keys never stored, and refuses keys that could escape", async () => {
    const store = make();
    expect(await store.head("nope-l1/aac-128/seg-00001.m4s")).toBeUndefined();
    expect(await store.get("nope-l1/aac-128/seg-00001.m4s")).toBeUndefined();
    await expect(store.putBytes("../escape.m4s", new Uint8Array(1))).rejects.toThrow(/unsafe media key/);
  });
});

describe("S3 credentials and keys", () => {
  it("an unknown access key is refused, and the store says so", async () => {
    await expect(s3Store("NOT-A-KEY").putBytes("x-l1/aac-128/a.m4s", new Uint8Array(3))).rejects.toThrow(/403/);
  });

  it("key safety rules", () => {
    expect(isSafeKey("3f2a-l1/aac-128/seg-00001.m4s")).toBe(true);
    for (const bad of ["..", "a/../b", "/abs", "a//b", "a/b c", "a\\b", ""]) expect(isSafeKey(bad), bad).toBe(false);
  });
});

describe("the origin with MEDIA_STORE=s3", () => {
  it("packages into the bucket and serves origin pulls from it", async () => {
    const origin = await freshOrigin({
      MEDIA_STORE: "s3",
      MEDIA_S3_ENDPOINT: endpoint,
      MEDIA_S3_BUCKET: "media",
      MEDIA_S3_REGION: "us-east-1",
      MEDIA_S3_ACCESS_KEY_ID: "S3RVER",
      MEDIA_S3_SECRET_ACCESS_KEY: "S3RVER",
      MEDIA_S3_PREFIX: "origin-test/",
    });
    const spec = smallRelease({ messageId: "S3-1", tracks: [{ isrc: "QZTST2600021", title: "Bucket", seconds: 6 }] });
    const report = await origin.services.catalog.ingestFolder(await buildDelivery(spec));
    expect(report.status).toBe("ingested");
    const track = await origin.services.redis.get<EdgeTrack>(catalogTrackKey("trk_qztst2600021"));
    const rendition = track!.renditions[3]!;
    const res = await origin.request(`/media/${rendition.path}/${rendition.segments[0]!.uri}`, {
      headers: { [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken, range: "bytes=0-7" },
    });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes 0-7/${rendition.segments[0]!.bytes}`);
    expect(await origin.services.catalog.store.head(`${rendition.path}/${rendition.init}`)).toBeTruthy();
    expect(origin.services.catalog.store.kind).toBe("s3");
  }, 30_000);
});
