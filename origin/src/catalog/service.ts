/**
 * The catalog as one service of the origin: the ladder packager (on the shared media store and ffmpeg), the edge
 * publisher, and ingestion of folders and uploaded archives. Built once at start-up (services.ts) from the pieces
 * below it, and handed to the catalog's routes.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Logger } from "@cadence/shared/log";
import type { Redis } from "@upstash/redis";
import type { Database } from "../db/client";
import { encryptLadder } from "../drm/encrypt-ladder";
import type { ContentKeyVault } from "../drm/key-vault";
import type { MediaStore } from "../media/store";
import type { Binaries } from "../transcode/ffmpeg";
import { Packager, type WorkerPool } from "../transcode/packager";
import { type BatchReport, ingestBatch } from "./batch";
import { ArchiveRejected, extractZip } from "./ddex/archive";
import { type IngestProgress, type IngestReport, ingestDelivery } from "./ingest";
import { rejectedReport } from "./ingest-report";
import { EdgePublisher } from "./publish";

export interface CatalogDeps {
  db: Database;
  redis: Redis;
  store: MediaStore;
  /** The transcoding pool: at most TRANSCODE_CONCURRENCY ffmpeg runs at once. */
  pool: WorkerPool;
  bin: Binaries;
  /** Content keys: every rendition is encrypted as it is packaged (docs/drm.md). */
  vault: ContentKeyVault;
  /** Largest delivery archive accepted (INGEST_MAX_BYTES). */
  ingestMaxBytes: number;
  logger: Logger;
}

/** How many deliveries' worth of bytes (at INGEST_MAX_BYTES each) one uploaded batch may hold. */
const BATCH_MAX_DELIVERIES = 500;

export class UploadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The upload is larger than ${limit} bytes.`);
  }
}

export class Catalog {
  readonly db: Database;
  readonly store: MediaStore;
  readonly pool: WorkerPool;
  readonly packager: Packager;
  readonly publisher: EdgePublisher;
  readonly bin: Binaries;
  readonly vault: ContentKeyVault;
  private readonly ingestMaxBytes: number;
  private readonly logger: Logger;

  constructor(deps: CatalogDeps) {
    this.db = deps.db;
    this.store = deps.store;
    this.pool = deps.pool;
    this.bin = deps.bin;
    this.vault = deps.vault;
    this.ingestMaxBytes = deps.ingestMaxBytes;
    this.logger = deps.logger;
    this.packager = new Packager(this.store, this.pool, this.bin, (base, work, ladder) =>
      encryptLadder(this.vault, base, work, ladder),
    );
    this.publisher = new EdgePublisher(deps.db, deps.redis, this.packager, deps.logger, this.vault);
  }

  /** Ingests a delivery folder; progress is logged per track (and passed on) for long deliveries. */
  async ingestFolder(
    folder: string,
    onProgress?: (p: IngestProgress) => void,
    signal?: AbortSignal,
  ): Promise<IngestReport> {
    const report = await ingestDelivery(
      { db: this.db, packager: this.packager, publisher: this.publisher, bin: this.bin, logger: this.logger },
      folder,
      (p) => {
        this.logger.info("ingest progress", { done: p.done, total: p.total, track: p.track, transcoded: p.transcoded });
        onProgress?.(p);
      },
      signal,
    );
    const fields = { status: report.status, message: report.message?.id, tracks: report.tracks.length, ms: report.ms };
    if (report.status === "ingested") this.logger.info("delivery ingested", fields);
    else this.logger.info("delivery not ingested", { ...fields, errors: report.errors.length });
    return report;
  }

  /** Ingests an uploaded zip: streamed to disk under the size cap, extracted safely, ingested, cleaned up. */
  async ingestArchive(body: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<IngestReport> {
    return this.withUpload(body, this.ingestMaxBytes, (zip) => this.ingestZipFile(zip, signal));
  }

  /** Ingests a delivery zip already on disk (a batch's zipped delivery, or an upload). */
  async ingestZipFile(zip: string, signal?: AbortSignal): Promise<IngestReport> {
    const work = await mkdtemp(join(tmpdir(), "cadence-delivery-"));
    try {
      const limit = this.ingestMaxBytes;
      const folder = await extractZip(zip, join(work, "delivery"), { maxExpandedBytes: limit * 2, maxEntries: 10_000 });
      // The uploader never sees where the archive was unpacked on this server: paths are relative to the archive.
      return withoutServerPaths(await this.ingestFolder(folder, undefined, signal), [
        folder,
        await realpath(folder).catch(() => folder),
        work,
      ]);
    } catch (err) {
      if (err instanceof ArchiveRejected) {
        return rejectedReport([{ path: "archive", code: err.code, message: err.message }]);
      }
      throw err;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** The transcode pool's size: how many ffmpeg ladders run at once. */
  get poolSize(): number {
    return this.pool.size;
  }

  /** Ingests a folder of deliveries (batch.ts): in parallel within the pool, one report per delivery. */
  ingestBatchFolder(folder: string, signal?: AbortSignal): Promise<BatchReport> {
    return ingestBatch(this, folder, this.logger, signal);
  }

  /**
   * Ingests an uploaded batch: a zip whose top-level folders (or zips) are deliveries. A batch may be as large as
   * BATCH_MAX_DELIVERIES deliveries at the per-delivery cap; an archive that is itself broken is refused whole.
   */
  async ingestBatchArchive(body: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<BatchReport> {
    const limit = this.ingestMaxBytes * BATCH_MAX_DELIVERIES;
    return this.withUpload(body, limit, async (zip) => {
      const work = await mkdtemp(join(tmpdir(), "cadence-batch-"));
      try {
        const folder = await extractZip(zip, join(work, "batch"), {
          maxExpandedBytes: limit * 2,
          maxEntries: 10_000 * BATCH_MAX_DELIVERIES,
        });
        return await this.ingestBatchFolder(folder, signal);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
  }

  /** Streams an upload to a temporary zip under a size cap, runs `use` on it, and removes it. */
  private async withUpload<T>(body: ReadableStream<Uint8Array>, limit: number, use: (zip: string) => Promise<T>) {
    const work = await mkdtemp(join(tmpdir(), "cadence-upload-"));
    try {
      const zip = join(work, "upload.zip");
      let received = 0;
      const cap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          received += chunk.length;
          if (received > limit) done(new UploadTooLarge(limit));
          else done(null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(body as import("node:stream/web").ReadableStream), cap, createWriteStream(zip));
      return await use(zip);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}

/** The report with every mention of `folders` (longest first) cut out of issue paths and messages. */
function withoutServerPaths(report: IngestReport, folders: string[]): IngestReport {
  const prefixes = [...new Set(folders)].sort((a, b) => b.length - a.length);
  const clean = (text: string) => {
    let out = text;
    for (const prefix of prefixes) out = out.split(`${prefix}/`).join("").split(prefix).join("the archive");
    return out;
  };
  const issue = (i: IngestReport["errors"][number]) => ({ ...i, path: clean(i.path), message: clean(i.message) });
  return { ...report, errors: report.errors.map(issue), warnings: report.warnings.map(issue) };
}
