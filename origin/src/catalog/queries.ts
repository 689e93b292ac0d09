/**
 * The catalog as apps read it: tracks, releases and artists with cursor pagination (keyset on the id, so pages stay
 * stable while the catalog grows), and a track's detail with its renditions and availability. The answers carry no
 * caller-specific data, so the edge can cache them for everyone.
 */
import type { Availability } from "@cadence/shared/catalog/edge-track";
import { asc, eq, gt, inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import {
  catalogArtists,
  catalogLabels,
  catalogReleases,
  catalogReleaseTracks,
  catalogTrackParties,
  catalogTracks,
} from "../db/schema";
import type { Packager } from "../transcode/packager";
import { edgeTrackOf } from "./publish";

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export const encodeCursor = (after: string) => Buffer.from(JSON.stringify({ after })).toString("base64url");

/** The id a cursor continues after, or undefined when the cursor is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { after?: unknown };
    return typeof parsed.after === "string" ? parsed.after : undefined;
  } catch {
    return undefined;
  }
}

function page<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next_cursor: rows.length > limit ? encodeCursor(items[items.length - 1]!.id) : null };
}

const trackSummary = {
  id: catalogTracks.id,
  isrc: catalogTracks.isrc,
  title: catalogTracks.title,
  artist: catalogTracks.displayArtist,
  artistId: catalogTracks.artistId,
  releaseId: catalogTracks.releaseId,
  releaseTitle: catalogReleases.title,
  durationMs: catalogTracks.durationMs,
  popularity: catalogTracks.popularity,
};

export async function listTracks(db: Database, after: string | undefined, limit: number) {
  const rows = await db
    .select(trackSummary)
    .from(catalogTracks)
    .innerJoin(catalogReleases, eq(catalogReleases.id, catalogTracks.releaseId))
    .where(after ? gt(catalogTracks.id, after) : undefined)
    .orderBy(asc(catalogTracks.id))
    .limit(limit + 1);
  return page(rows, limit);
}

export async function trackDetail(db: Database, packager: Packager, id: string) {
  const edge = await edgeTrackOf(db, packager, id);
  if (!edge) return undefined;
  const [row] = await db.select().from(catalogTracks).where(eq(catalogTracks.id, id));
  const [release] = await db
    .select({ release: catalogReleases, label: catalogLabels.name })
    .from(catalogReleases)
    .leftJoin(catalogLabels, eq(catalogLabels.id, catalogReleases.labelId))
    .where(eq(catalogReleases.id, edge.releaseId));
  const parties = await db
    .select({ id: catalogArtists.id, name: catalogArtists.name, role: catalogTrackParties.role })
    .from(catalogTrackParties)
    .innerJoin(catalogArtists, eq(catalogArtists.id, catalogTrackParties.artistId))
    .where(eq(catalogTrackParties.trackId, id))
    .orderBy(asc(catalogTrackParties.position));
  return {
    id: edge.id,
    isrc: edge.isrc,
    iswcs: row?.iswcs ?? [],
    title: edge.title,
    artist: edge.artist,
    credits: parties,
    release: release && {
      id: release.release.id,
      title: release.release.title,
      upc: release.release.icpn,
      label: release.label,
      releaseDate: release.release.releaseDate,
      genres: release.release.genres,
    },
    durationMs: edge.durationMs,
    durationSamples: edge.durationSamples,
    loudnessLufs: edge.loudnessLufs,
    truePeakDbtp: edge.truePeakDbtp,
    parentalWarning: row?.parentalWarning ?? null,
    popularity: row?.popularity ?? 0,
    renditions: edge.renditions.map((r) => ({
      id: r.id,
      codec: r.codec,
      bandwidth: r.bandwidth,
      averageBandwidth: r.averageBandwidth,
      sampleRate: r.sampleRate,
      channels: r.channels,
      targetDuration: r.targetDuration,
      segments: r.segments.length,
    })),
    availability: edge.availability satisfies Availability,
    version: edge.version,
  };
}

export async function listReleases(db: Database, after: string | undefined, limit: number) {
  const rows = await db
    .select({
      id: catalogReleases.id,
      title: catalogReleases.title,
      artist: catalogReleases.displayArtist,
      upc: catalogReleases.icpn,
      releaseDate: catalogReleases.releaseDate,
      label: catalogLabels.name,
      genres: catalogReleases.genres,
    })
    .from(catalogReleases)
    .leftJoin(catalogLabels, eq(catalogLabels.id, catalogReleases.labelId))
    .where(after ? gt(catalogReleases.id, after) : undefined)
    .orderBy(asc(catalogReleases.id))
    .limit(limit + 1);
  return page(rows, limit);
}

export async function releaseDetail(db: Database, id: string) {
  const [release] = await db
    .select({ release: catalogReleases, label: catalogLabels.name })
    .from(catalogReleases)
    .leftJoin(catalogLabels, eq(catalogLabels.id, catalogReleases.labelId))
    .where(eq(catalogReleases.id, id));
  if (!release) return undefined;
  const tracks = await db
    .select({ position: catalogReleaseTracks.position, ...trackSummary })
    .from(catalogReleaseTracks)
    .innerJoin(catalogTracks, eq(catalogTracks.id, catalogReleaseTracks.trackId))
    .innerJoin(catalogReleases, eq(catalogReleases.id, catalogTracks.releaseId))
    .where(eq(catalogReleaseTracks.releaseId, id))
    .orderBy(asc(catalogReleaseTracks.position));
  const r = release.release;
  return {
    id: r.id,
    title: r.title,
    artist: r.displayArtist,
    upc: r.icpn,
    grid: r.grid,
    type: r.releaseType,
    label: release.label,
    releaseDate: r.releaseDate,
    genres: r.genres,
    takedownAt: r.takedownAt,
    tracks,
  };
}

export async function listArtists(db: Database, after: string | undefined, limit: number) {
  const rows = await db
    .select({ id: catalogArtists.id, name: catalogArtists.name })
    .from(catalogArtists)
    .where(after ? gt(catalogArtists.id, after) : undefined)
    .orderBy(asc(catalogArtists.id))
    .limit(limit + 1);
  return page(rows, limit);
}

export async function artistDetail(db: Database, id: string) {
  const [artist] = await db.select().from(catalogArtists).where(eq(catalogArtists.id, id));
  if (!artist) return undefined;
  const trackIds = (
    await db
      .selectDistinct({ trackId: catalogTrackParties.trackId })
      .from(catalogTrackParties)
      .where(eq(catalogTrackParties.artistId, id))
  ).map((t) => t.trackId);
  const tracks =
    trackIds.length === 0
      ? []
      : await db
          .select(trackSummary)
          .from(catalogTracks)
          .innerJoin(catalogReleases, eq(catalogReleases.id, catalogTracks.releaseId))
          .where(inArray(catalogTracks.id, trackIds))
          .orderBy(asc(catalogTracks.title));
  return { id: artist.id, name: artist.name, isni: artist.isni, tracks };
}
