/**
 * Batch intake: a distributor's folder of deliveries (each a sub-folder holding one ERN message and its files, or a
 * `.zip` of one) ingested together. Deliveries run in parallel so the transcode pool stays busy while others are
 * validated and hashed, but only a few at a time (twice the pool's size) so a batch of hundreds does not open
 * hundreds of files and parsers at once. Each delivery gets its own report; one that fails, even with an unexpected
 * error, is reported as such and never stops the others. Two deliveries of the same release in one batch are safe
 * in any order: the ordering rule (a message must be newer than the one applied) is checked inside each write.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@cadence/shared/log";
import { FfmpegMissing } from "../transcode/ffmpeg";
import type { IngestReport, IngestStatus } from "./ingest";
import { rejectedReport } from "./ingest-report";

export interface BatchReport {
  deliveries: number;
  counts: Record<IngestStatus, number>;
  /** One report per delivery, in the batch folder's (sorted) order; `delivery` is its folder or zip name. */
  reports: Array<{ delivery: string; report: IngestReport }>;
  ms: number;
}

export interface BatchIngester {
  ingestFolder(folder: string, onProgress?: undefined, signal?: AbortSignal): Promise<IngestReport>;
  ingestZipFile(path: string, signal?: AbortSignal): Promise<IngestReport>;
  readonly poolSize: number;
}

/** The deliveries of a batch folder: sub-folders and `.zip` files at its top level, sorted by name. */
export async function deliveriesIn(folder: string): Promise<Array<{ name: string; path: string; zip: boolean }>> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() || (e.isFile() && e.name.toLowerCase().endsWith(".zip")))
    .filter((e) => !e.name.startsWith(".") && !e.name.startsWith("__MACOSX"))
    .map((e) => ({ name: e.name, path: join(folder, e.name), zip: e.isFile() }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether a folder is a batch (no ERN message at its top level) rather than one delivery. */
export async function isBatchFolder(folder: string): Promise<boolean> {
  const entries = await readdir(folder, { withFileTypes: true });
  return !entries.some((e) => e.isFile() && e.name.toLowerCase().endsWith(".xml"));
}

export async function ingestBatch(
  ingester: BatchIngester,
  folder: string,
  logger: Logger,
  signal?: AbortSignal,
): Promise<BatchReport> {
  const started = Date.now();
  const deliveries = await deliveriesIn(folder);
  const reports: BatchReport["reports"] = deliveries.map((d) => ({ delivery: d.name, report: rejectedReport() }));
  let next = 0;
  const worker = async () => {
    while (next < deliveries.length) {
      signal?.throwIfAborted();
      const i = next++;
      const d = deliveries[i]!;
      try {
        reports[i]!.report = d.zip
          ? await ingester.ingestZipFile(d.path, signal)
          : await ingester.ingestFolder(d.path, undefined, signal);
      } catch (err) {
        // Without ffmpeg nothing in the batch can be ingested, and a cancelled batch stops: those are the batch's.
        if (err instanceof FfmpegMissing || signal?.aborted) throw err;
        logger.error("batch delivery failed", { delivery: d.name, error: String(err) });
        reports[i]!.report = rejectedReport([
          {
            path: d.name,
            code: "delivery-failed",
            message: `This delivery could not be ingested (${err instanceof Error ? err.message : String(err)}); nothing of it was written, and the rest of the batch went on. Deliver it again.`,
          },
        ]);
      }
      logger.info("batch progress", { delivery: d.name, status: reports[i]!.report.status, done: i + 1 });
    }
  };
  const parallel = Math.max(1, Math.min(deliveries.length, ingester.poolSize * 2));
  await Promise.all(Array.from({ length: parallel }, worker));
  const counts: BatchReport["counts"] = { ingested: 0, unchanged: 0, rejected: 0, stale: 0 };
  for (const r of reports) counts[r.report.status] += 1;
  return { deliveries: deliveries.length, counts, reports, ms: Date.now() - started };
}
