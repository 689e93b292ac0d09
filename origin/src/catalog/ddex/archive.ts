/**
 * Uploaded deliveries: the HTTP ingest endpoint takes a zip of the delivery folder. The request body is streamed to
 * a temporary file (capped), then unzipped entry by entry with fflate's streaming Unzip straight to disk, so audio
 * is never held in memory. Entry names that would leave the folder (absolute, `..`, backslashes: "zip slip") are
 * refused, and so are archives that expand past the size or entry-count caps (zip bombs).
 */
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { Unzip, UnzipInflate } from "fflate";
import type { DeliveryIssueCode } from "./issues";

export interface ArchiveLimits {
  maxExpandedBytes: number;
  maxEntries: number;
}

export class ArchiveRejected extends Error {
  constructor(
    readonly code: Extract<DeliveryIssueCode, `archive-${string}`>,
    message: string,
  ) {
    super(message);
    this.name = "ArchiveRejected";
  }
}

export function safeEntryPath(root: string, name: string): string {
  if (name.includes("\\") || name.includes("\0") || name.startsWith("/") || /^[a-z]:/i.test(name)) {
    throw new ArchiveRejected("archive-unsafe-path", `Archive entry "${name}" has an absolute or Windows path.`);
  }
  if (name.split("/").includes("..")) {
    throw new ArchiveRejected("archive-unsafe-path", `Archive entry "${name}" points outside the delivery ("..").`);
  }
  const target = resolve(root, name);
  if (!target.startsWith(root + sep)) {
    throw new ArchiveRejected("archive-unsafe-path", `Archive entry "${name}" points outside the delivery.`);
  }
  return target;
}

/** Extracts a zip file into `dest` (an empty folder). A single top-level folder in the archive is unwrapped. */
export async function extractZip(zipFile: string, dest: string, limits: ArchiveLimits): Promise<string> {
  const root = resolve(dest);
  let expanded = 0;
  let entries = 0;
  let failure: Error | undefined;
  const open = new Set<number>();
  const unzip = new Unzip((file) => {
    if (failure) return;
    try {
      entries += 1;
      if (entries > limits.maxEntries) {
        throw new ArchiveRejected(
          "archive-too-many-entries",
          `The archive has more than ${limits.maxEntries} entries.`,
        );
      }
      const target = safeEntryPath(root, file.name);
      if (file.name.endsWith("/")) {
        mkdirSync(target, { recursive: true });
        return;
      }
      mkdirSync(dirname(target), { recursive: true });
      const fd = openSync(target, "wx");
      open.add(fd);
      file.ondata = (err, chunk, final) => {
        if (failure) return;
        try {
          if (err) throw new ArchiveRejected("archive-corrupt", `Archive entry "${file.name}": ${err.message}`);
          expanded += chunk.length;
          if (expanded > limits.maxExpandedBytes) {
            throw new ArchiveRejected(
              "archive-too-large",
              `The archive expands past ${limits.maxExpandedBytes} bytes.`,
            );
          }
          writeSync(fd, chunk);
          if (final) {
            closeSync(fd);
            open.delete(fd);
          }
        } catch (e) {
          failure = e as Error;
        }
      };
      file.start();
    } catch (e) {
      failure = e as Error;
    }
  });
  unzip.register(UnzipInflate);
  try {
    for await (const chunk of createReadStream(zipFile, { highWaterMark: 1 << 20 })) {
      unzip.push(chunk as Uint8Array);
      if (failure) break;
    }
    if (!failure) unzip.push(new Uint8Array(0), true);
  } catch (e) {
    failure ??= new ArchiveRejected("archive-corrupt", `The archive is not a readable zip: ${(e as Error).message}`);
  } finally {
    for (const fd of open) closeSync(fd);
  }
  if (failure) throw failure;
  if (entries === 0) throw new ArchiveRejected("archive-empty", "The archive is empty or not a zip file.");
  return unwrap(root);
}

/** Archives made by zipping a folder hold that folder: the delivery is inside it. */
async function unwrap(root: string): Promise<string> {
  const items = await readdir(root, { withFileTypes: true });
  const only = items[0];
  if (items.length === 1 && only?.isDirectory()) return join(root, only.name);
  return root;
}
