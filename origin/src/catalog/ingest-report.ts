/**
 * The ingest report: what one delivery did (or why it was refused), returned by the ingest endpoint and printed by
 * `npm run ingest`. Errors and warnings are delivery issues (ddex/issues.ts); releases and tracks are described from
 * what the catalog holds once the delivery is written.
 */
import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { catalogReleases, catalogReleaseTracks, catalogTracks } from "../db/schema";
import type { LadderResult } from "../transcode/ladder";
import type { Packager } from "../transcode/packager";
import type { ErnMessage } from "./ddex/ern";
import type { Issue } from "./ddex/issues";
import { trackIdOf } from "./model";

export type IngestStatus = "ingested" | "unchanged" | "rejected" | "stale";

export interface IngestReport {
  status: IngestStatus;
  message?: {
    id: string;
    sender: string;
    kind: string;
    createdAt: string;
    ernVersion: string;
    /** 3.8: `OriginalMessage` or `UpdateMessage`, as delivered (ordering does not depend on it). */
    updateIndicator?: string;
  };
  releases: Array<{ id: string; key: string; title: string; tracks: number; takedownAt?: string }>;
  tracks: Array<{
    id: string;
    isrc: string;
    title: string;
    artist: string;
    durationMs: number;
    loudnessLufs: number;
    truePeakDbtp: number;
    /** True only for the ingest that ran ffmpeg for this audio; false when the ladder existed or is shared. */
    transcoded: boolean;
    /** No deal of the message lets listeners stream this track, so it was not transcoded: nothing to play. */
    notStreamed?: true;
    /** Another track of this delivery with the very same audio file: one transcode served both. */
    sharesAudioWith?: string;
    renditions: Array<{ id: string; codec: string; bandwidth: number; averageBandwidth: number; segments: number }>;
  }>;
  errors: Issue[];
  warnings: Issue[];
  published: number;
  /** ffmpeg ladder runs this ingest made (recordings sharing one file, or audio already packaged, add none). */
  transcodes: number;
  ms: { validate: number; transcode: number; commit: number; total: number };
}

/** A report of nothing done yet (rejected until a later step says otherwise), with these errors. */
export function rejectedReport(errors: Issue[] = []): IngestReport {
  return {
    status: "rejected",
    releases: [],
    tracks: [],
    errors,
    warnings: [],
    published: 0,
    transcodes: 0,
    ms: { validate: 0, transcode: 0, commit: 0, total: 0 },
  };
}

/** The ladders this ingest packaged, by SoundRecording reference (absent when nothing was transcoded). */
export type LaddersByRef = Map<
  string,
  { transcoded: boolean; result: LadderResult; sharesAudioWith?: string; notStreamed?: true }
>;

/** Fills the report's releases and tracks from what the catalog now holds. */
export async function describe(
  deps: { db: Database; packager: Packager },
  report: IngestReport,
  trackIds: string[],
  message: ErnMessage,
  ladders?: LaddersByRef,
): Promise<void> {
  report.releases.push(...(await describeReleases(deps.db, message)));
  report.transcodes = [...(ladders?.values() ?? [])].filter((l) => l.transcoded).length;
  if (trackIds.length === 0) return;
  report.tracks.push(...(await describeTracks(deps, trackIds, message, ladders)));
}

/** The releases the message names (or purges), with their current track counts. */
async function describeReleases(db: Database, message: ErnMessage): Promise<IngestReport["releases"]> {
  const keys =
    message.kind === "PurgeReleaseMessage" ? [message.purgedReleaseKey!] : message.releases.map((r) => r.key);
  const releases = await db.select().from(catalogReleases).where(inArray(catalogReleases.key, keys));
  const described: IngestReport["releases"] = [];
  for (const r of releases) {
    const count = await db
      .select({ n: sql<number>`count(*)` })
      .from(catalogReleaseTracks)
      .where(eq(catalogReleaseTracks.releaseId, r.id));
    described.push({
      id: r.id,
      key: r.key,
      title: r.title,
      tracks: count[0]?.n ?? 0,
      ...(r.takedownAt ? { takedownAt: new Date(r.takedownAt).toISOString() } : {}),
    });
  }
  return described;
}

/** The tracks, with their ladders: this ingest's when it transcoded them, else the stored manifest. */
async function describeTracks(
  deps: { db: Database; packager: Packager },
  trackIds: string[],
  message: ErnMessage,
  ladders?: LaddersByRef,
): Promise<IngestReport["tracks"]> {
  const rows = await deps.db.select().from(catalogTracks).where(inArray(catalogTracks.id, trackIds));
  const ladderByTrack = new Map(
    message.recordings.flatMap((r) => {
      const ladder = ladders?.get(r.ref);
      return ladder ? [[trackIdOf(r.isrc), ladder] as const] : [];
    }),
  );
  const described: IngestReport["tracks"] = [];
  for (const row of rows) {
    const ladder = ladderByTrack.get(row.id);
    const manifest = ladder?.result ?? (await deps.packager.existing(row.mediaBase));
    described.push({
      id: row.id,
      isrc: row.isrc,
      title: row.title,
      artist: row.displayArtist,
      durationMs: row.durationMs,
      loudnessLufs: row.loudnessLufs,
      truePeakDbtp: row.truePeakDbtp,
      transcoded: ladder?.transcoded ?? false,
      ...(ladder?.sharesAudioWith ? { sharesAudioWith: ladder.sharesAudioWith } : {}),
      ...(ladder?.notStreamed ? { notStreamed: true as const } : {}),
      renditions: (manifest?.renditions ?? []).map((r) => ({
        id: r.id,
        codec: r.codec,
        bandwidth: r.bandwidth,
        averageBandwidth: r.averageBandwidth,
        segments: r.segments.length,
      })),
    });
  }
  return described;
}
