/**
 * Re-packaging a catalog packaged before encryption: every clear ladder in the media store (a media base without
 * the `-aes` suffix) is read back, encrypted in a work folder under fresh per-rendition keys (encrypt-ladder.ts),
 * stored under its encrypted base (`<base>-aes`, a new immutable key, so no cache can mix clear and encrypted
 * bytes), switched over in the catalog (tracks move to the new base, their version bumps) and published to the edge;
 * only then are the clear files removed from the store. No transcoding: the audio is the same, only sealed.
 *
 * Each ladder is one step that can be repeated safely (the vault returns the same keys, stored files are not
 * rewritten, the manifest is written last), so the run stops between ladders when asked (`signal`) and resumes where
 * it stopped when run again: what is left is exactly the tracks still on a clear base.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@cadence/shared/log";
import { and, eq, inArray, not, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { catalogTracks } from "../db/schema";
import type { MediaStore } from "../media/store";
import { PLAYLIST_FILE } from "../transcode/hls-output";
import type { LadderResult } from "../transcode/ladder";
import { ENCRYPTED_BASE_SUFFIX, isEncryptedBase, storeLadder } from "../transcode/packager";
import { encryptLadder } from "./encrypt-ladder";
import type { ContentKeyVault } from "./key-vault";

export interface RepackageDeps {
  db: Database;
  store: MediaStore;
  vault: ContentKeyVault;
  /** Publishes tracks to edge state (the catalog's EdgePublisher). */
  publisher: { publish(trackIds: string[]): Promise<{ published: number; failed: number }> };
  logger: Logger;
}

export interface RepackageProgress {
  done: number;
  total: number;
  base: string;
  tracks: string[];
}

export interface RepackageOutcome {
  /** Ladders encrypted by this run, and those still clear (stopped early, or failed). */
  repackaged: number;
  remaining: number;
  failed: number;
  stopped: boolean;
}

/** Media bases that tracks still play from in the clear (demo metadata-only tracks have no media). */
export async function clearBases(db: Database): Promise<Map<string, string[]>> {
  const rows = await db
    .select({ id: catalogTracks.id, base: catalogTracks.mediaBase })
    .from(catalogTracks)
    .where(
      and(
        not(sql`${catalogTracks.mediaBase} LIKE ${`%${ENCRYPTED_BASE_SUFFIX}`}`),
        not(eq(catalogTracks.mediaBase, "metadata-only")),
      ),
    );
  const bases = new Map<string, string[]>();
  for (const row of rows) bases.set(row.base, [...(bases.get(row.base) ?? []), row.id]);
  return bases;
}

export async function repackageCatalog(
  deps: RepackageDeps,
  options: { signal?: AbortSignal; limit?: number; onProgress?: (p: RepackageProgress) => void } = {},
): Promise<RepackageOutcome> {
  const bases = [...(await clearBases(deps.db)).entries()];
  const todo = bases.slice(0, options.limit ?? bases.length);
  let repackaged = 0;
  let failed = 0;
  for (const [base, tracks] of todo) {
    if (options.signal?.aborted) break;
    try {
      await repackageLadder(deps, base, tracks);
      repackaged += 1;
      options.onProgress?.({ done: repackaged, total: bases.length, base, tracks });
    } catch (err) {
      failed += 1;
      deps.logger.warn("could not re-package a ladder; it stays clear until the next run", { base, err });
    }
  }
  return { repackaged, remaining: bases.length - repackaged, failed, stopped: options.signal?.aborted ?? false };
}

async function repackageLadder(deps: RepackageDeps, base: string, tracks: string[]): Promise<void> {
  if (isEncryptedBase(base)) return;
  const sealedBase = `${base}${ENCRYPTED_BASE_SUFFIX}`;
  const clear = await readLadder(deps.store, base);
  if (!(await deps.store.head(`${sealedBase}/ladder.json`))) {
    if (!clear) throw new Error(`the media store has no ladder at ${base}`);
    const work = await mkdtemp(join(tmpdir(), "cadence-repackage-"));
    try {
      for (const rendition of clear.renditions) {
        await mkdir(join(work, rendition.id), { recursive: true });
        for (const file of [rendition.init, ...rendition.segments.map((s) => s.uri)]) {
          const bytes = await readObject(deps.store, `${base}/${rendition.id}/${file}`);
          await writeFile(join(work, rendition.id, file), bytes);
        }
      }
      const sealed = await encryptLadder(deps.vault, sealedBase, work, clear);
      await storeLadder(deps.store, sealedBase, work, sealed);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  await deps.db
    .update(catalogTracks)
    .set({ mediaBase: sealedBase, version: sql`${catalogTracks.version} + 1`, updatedAt: Date.now() })
    .where(and(eq(catalogTracks.mediaBase, base), inArray(catalogTracks.id, tracks)));
  const published = await deps.publisher.publish(tracks);
  if (published.failed > 0) throw new Error(`${published.failed} tracks of ${base} did not reach the edge`);
  // Listeners are on the encrypted base now: the clear files go.
  if (clear) {
    for (const rendition of clear.renditions) {
      for (const file of [rendition.init, ...rendition.segments.map((s) => s.uri), PLAYLIST_FILE]) {
        await deps.store.delete(`${base}/${rendition.id}/${file}`);
      }
    }
    await deps.store.delete(`${base}/ladder.json`);
  }
}

async function readLadder(store: MediaStore, base: string): Promise<LadderResult | undefined> {
  const found = await store.get(`${base}/ladder.json`);
  if (!found) return undefined;
  return JSON.parse(await new Response(found.body).text()) as LadderResult;
}

async function readObject(store: MediaStore, key: string): Promise<Uint8Array> {
  const found = await store.get(key);
  if (!found) throw new Error(`the media store has no ${key}`);
  return new Uint8Array(await new Response(found.body).arrayBuffer());
}
