/**
 * Edge state for the catalog: each track's `EdgeTrack` (renditions with their measured segments and bit rates, and
 * the compact availability) written to Redis at `catalogTrackKey(id)`, the set of published ids, and a generation
 * counter that edge caches of catalog answers key on. Written after every committed change; a track whose
 * `version` is ahead of its `publishedVersion` (Redis was down) is published again at the next start. Encrypted
 * renditions are published with their content key re-wrapped for the playback worker (drm/key-vault.ts), the only
 * form in which a key ever leaves the origin.
 */
import {
  CATALOG_GENERATION_KEY,
  CATALOG_TRACK_INDEX_KEY,
  catalogTrackKey,
  type EdgeTrack,
} from "@cadence/shared/catalog/edge-track";
import type { Logger } from "@cadence/shared/log";
import type { Redis } from "@upstash/redis";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { catalogDeals, catalogLabels, catalogReleases, catalogReleaseTracks, catalogTracks } from "../db/schema";
import type { ContentKeyVault } from "../drm/key-vault";
import type { Packager } from "../transcode/packager";
import { availabilityOf } from "./model";

/**
 * Builds the EdgeTrack of a track from the database and its ladder manifest; with the vault, encrypted renditions
 * carry their edge-wrapped key (for publishing), without it they carry none (for catalog answers).
 */
export async function edgeTrackOf(
  db: Database,
  packager: Packager,
  trackId: string,
  vault?: ContentKeyVault,
): Promise<EdgeTrack | undefined> {
  const [row] = await db
    .select({ track: catalogTracks, release: catalogReleases, label: catalogLabels.name })
    .from(catalogTracks)
    .innerJoin(catalogReleases, eq(catalogReleases.id, catalogTracks.releaseId))
    .leftJoin(catalogLabels, eq(catalogLabels.id, catalogReleases.labelId))
    .where(eq(catalogTracks.id, trackId));
  if (!row) return undefined;
  const ladder = await packager.existing(row.track.mediaBase);
  const { track, release } = await availabilityInputs(db, trackId);
  const availability = availabilityOf(track, release);
  // A track no deal lets anyone stream is not transcoded (ingest.ts); it is published with no renditions.
  if (!ladder && availability.rules.length > 0) {
    throw new Error(`the media store has no ladder for ${trackId} (${row.track.mediaBase})`);
  }
  return {
    id: row.track.id,
    isrc: row.track.isrc,
    title: row.track.title,
    artist: row.track.displayArtist,
    releaseId: row.release.id,
    releaseTitle: row.release.title,
    ...(row.label ? { label: row.label } : {}),
    genres: row.release.genres,
    durationMs: row.track.durationMs,
    durationSamples: row.track.durationSamples,
    loudnessLufs: row.track.loudnessLufs,
    truePeakDbtp: row.track.truePeakDbtp,
    renditions: await Promise.all(
      (ladder?.renditions ?? []).map(async ({ encryption, ...r }) => ({
        ...r,
        path: `${row.track.mediaBase}/${r.id}`,
        ...(encryption && vault ? { encryption: await vault.edgeEncryption(encryption) } : {}),
      })),
    ),
    availability,
    version: row.track.version,
  };
}

/**
 * The deals that apply to a track: those of every release it is on (a ReleaseDeal covers the release's tracks) and
 * those of its own TrackRelease; the earliest takedown of those releases.
 */
async function availabilityInputs(db: Database, trackId: string) {
  const releaseIds = (
    await db
      .select({ releaseId: catalogReleaseTracks.releaseId })
      .from(catalogReleaseTracks)
      .where(eq(catalogReleaseTracks.trackId, trackId))
  ).map((r) => r.releaseId);
  if (releaseIds.length === 0) return { track: [], release: null };
  const deals = await db
    .select()
    .from(catalogDeals)
    .where(
      and(
        inArray(catalogDeals.releaseId, releaseIds),
        sql`(${catalogDeals.trackId} IS NULL OR ${catalogDeals.trackId} = ${trackId})`,
      ),
    );
  const takedowns = (
    await db
      .select({ takedownAt: catalogReleases.takedownAt })
      .from(catalogReleases)
      .where(inArray(catalogReleases.id, releaseIds))
  )
    .map((r) => r.takedownAt)
    .filter((t): t is number => t !== null);
  // A track on several releases stays available while any release that carries it is not taken down.
  const takedown = takedowns.length === releaseIds.length ? Math.max(...takedowns) : null;
  return { track: deals, release: takedown };
}

export class EdgePublisher {
  constructor(
    private readonly db: Database,
    private readonly redis: Redis,
    private readonly packager: Packager,
    private readonly logger: Logger,
    private readonly vault: ContentKeyVault,
  ) {}

  /** Publishes these tracks; failures are logged and left for `publishPending` (the database stays the truth). */
  async publish(trackIds: string[]): Promise<{ published: number; failed: number }> {
    let published = 0;
    let failed = 0;
    for (const id of trackIds) {
      try {
        const edge = await edgeTrackOf(this.db, this.packager, id, this.vault);
        if (!edge) continue;
        await this.redis.pipeline().set(catalogTrackKey(id), edge).sadd(CATALOG_TRACK_INDEX_KEY, id).exec();
        await this.db
          .update(catalogTracks)
          .set({ publishedVersion: edge.version })
          .where(and(eq(catalogTracks.id, id), eq(catalogTracks.version, edge.version)));
        published += 1;
      } catch (err) {
        failed += 1;
        this.logger.warn("could not publish track to edge state; will retry at next start", { track: id, err });
      }
    }
    if (published > 0) await this.redis.incr(CATALOG_GENERATION_KEY).catch(() => undefined);
    return { published, failed };
  }

  /** Publishes every track whose latest version has not reached Redis yet. */
  async publishPending(): Promise<{ published: number; failed: number }> {
    const pending = await this.db
      .select({ id: catalogTracks.id })
      .from(catalogTracks)
      .where(lt(catalogTracks.publishedVersion, catalogTracks.version));
    return this.publish(pending.map((p) => p.id));
  }
}
