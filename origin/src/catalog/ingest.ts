/**
 * Ingestion of one delivery, start to finish: validate the message and its files (every problem reported at once),
 * refuse messages older than what the catalog already holds for a release, transcode each recording into the ladder
 * (bounded pool, skipped for audio already packaged), then write the whole delivery in ONE database transaction, and
 * finally publish the affected tracks to edge state.
 *
 * A delivery that fails validation writes nothing anywhere. A failure after transcoding rolls the transaction back;
 * the packaged audio it leaves in the media store is content-addressed, invisible to listeners, and re-used by the
 * next attempt instead of being transcoded again.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "@cadence/shared/log";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { type DeliveryFile, inspectDelivery } from "./ddex/delivery";
import type { DealModel, ErnMessage, Issue, PartyModel, ReleaseModel } from "./ddex/ern";
import { artistIdOf, labelIdOf, releaseIdOf, trackIdOf } from "./model";
import type { EdgePublisher } from "./publish";
import {
  catalogArtists,
  catalogDeals,
  catalogIngests,
  catalogLabels,
  catalogReleases,
  catalogReleaseTracks,
  catalogRightsControllers,
  catalogTrackParties,
  catalogTracks,
} from "./schema";
import { indexTrack, normalize } from "./search";
import { type Binaries, FfmpegMissing, type LadderResult, probeSource, type SourceInfo } from "./transcode/ladder";
import type { Packager } from "./transcode/packager";

export type IngestStatus = "ingested" | "unchanged" | "rejected" | "stale";

export interface IngestReport {
  status: IngestStatus;
  message?: { id: string; sender: string; kind: string; createdAt: string; ernVersion: string };
  releases: Array<{ id: string; key: string; title: string; tracks: number; takedownAt?: string }>;
  tracks: Array<{
    id: string;
    isrc: string;
    title: string;
    artist: string;
    durationMs: number;
    loudnessLufs: number;
    truePeakDbtp: number;
    transcoded: boolean;
    renditions: Array<{ id: string; codec: string; bandwidth: number; averageBandwidth: number; segments: number }>;
  }>;
  errors: Issue[];
  warnings: Issue[];
  published: number;
  ms: { validate: number; transcode: number; commit: number; total: number };
}

export interface IngestDeps {
  db: Database;
  packager: Packager;
  publisher: EdgePublisher;
  bin: Binaries;
  logger: Logger;
}

export interface IngestProgress {
  done: number;
  total: number;
  track: string;
  transcoded: boolean;
}

const emptyReport = (): IngestReport => ({
  status: "rejected",
  releases: [],
  tracks: [],
  errors: [],
  warnings: [],
  published: 0,
  ms: { validate: 0, transcode: 0, commit: 0, total: 0 },
});

export async function ingestDelivery(
  deps: IngestDeps,
  folder: string,
  onProgress: (p: IngestProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<IngestReport> {
  const started = Date.now();
  const report = emptyReport();
  const finish = (status: IngestStatus) => {
    report.status = status;
    report.ms.total = Date.now() - started;
    return report;
  };

  const inspected = await inspectDelivery(folder);
  report.warnings.push(...inspected.warnings);
  report.errors.push(...inspected.issues);
  const message = inspected.message;
  if (!message) return finish("rejected");
  report.message = {
    id: message.messageId,
    sender: message.sender.partyId,
    kind: message.kind,
    createdAt: new Date(message.createdAt).toISOString(),
    ernVersion: message.version,
  };
  if (message.isTest) {
    report.warnings.push({
      path: "/MessageHeader/MessageControlType",
      code: "test-message",
      message: "This is a TestMessage; it is ingested like a LiveMessage here.",
    });
  }

  const [already] = await deps.db
    .select()
    .from(catalogIngests)
    .where(and(eq(catalogIngests.sender, message.sender.partyId), eq(catalogIngests.messageId, message.messageId)));
  if (already) {
    await describe(deps, report, already.trackIds, message);
    report.ms.validate = Date.now() - started;
    return finish("unchanged");
  }

  const stale = await staleReleases(deps.db, message);
  if (stale.length > 0) {
    report.errors.push(...stale);
    return finish("stale");
  }

  if (message.kind === "PurgeReleaseMessage") return purge(deps, message, report, started, finish);

  // Every file must be audio ffmpeg can decode before anything is transcoded or written.
  const sources = new Map<string, { file: DeliveryFile; info: SourceInfo }>();
  for (const recording of message.recordings) {
    const file = inspected.files.get(recording.ref);
    if (!file) continue;
    try {
      const info = await probeSource(deps.bin, file.absPath, signal);
      sources.set(recording.ref, { file, info });
      const actualMs = Math.round(info.durationSeconds * 1000);
      if (Math.abs(actualMs - recording.durationMs) > 2000) {
        report.warnings.push({
          path: `${recording.path}/Duration`,
          code: "duration-mismatch",
          message: `Duration says ${recording.durationMs / 1000} s; the audio lasts ${actualMs / 1000} s. The measured duration is used.`,
        });
      }
    } catch (err) {
      if (err instanceof FfmpegMissing || signal?.aborted) throw err;
      report.errors.push({
        path: recording.file?.path ?? recording.path,
        code: "audio-unreadable",
        message: `${recording.file?.uri}: not audio that can be decoded (${err instanceof Error ? err.message : err}).`,
      });
    }
  }
  report.ms.validate = Date.now() - started;
  if (report.errors.length > 0) return finish("rejected");

  const transcodeStarted = Date.now();
  let done = 0;
  const ladders = new Map<string, { result: LadderResult; base: string; transcoded: boolean; sha256: string }>();
  await Promise.all(
    message.recordings.map(async (recording) => {
      const source = sources.get(recording.ref)!;
      const packaged = await deps.packager.package(source.file.absPath, source.file.sha256, signal, source.info);
      ladders.set(recording.ref, { ...packaged, sha256: source.file.sha256 });
      done += 1;
      onProgress({ done, total: message.recordings.length, track: recording.title, transcoded: packaged.transcoded });
    }),
  );
  report.ms.transcode = Date.now() - transcodeStarted;
  signal?.throwIfAborted();

  const commitStarted = Date.now();
  const trackIds = await deps.db
    .transaction(async (tx) => {
      // Checked again inside the write transaction: a concurrent ingest of a newer message must still win.
      const lateStale = await staleReleases(tx as unknown as Database, message);
      if (lateStale.length > 0) throw new StaleDelivery(lateStale);
      return writeRelease(tx as unknown as Database, message, ladders);
    })
    .catch((err: unknown) => {
      if (err instanceof StaleDelivery) {
        report.errors.push(...err.issues);
        return undefined;
      }
      throw err;
    });
  if (!trackIds) return finish("stale");
  report.ms.commit = Date.now() - commitStarted;

  report.published = (await deps.publisher.publish(trackIds)).published;
  await describe(deps, report, trackIds, message, ladders);
  return finish("ingested");
}

class StaleDelivery extends Error {
  constructor(readonly issues: Issue[]) {
    super("stale delivery");
  }
}

/** Releases in this message that the catalog already holds from a message at least as new. */
async function staleReleases(db: Database, message: ErnMessage): Promise<Issue[]> {
  const keys =
    message.kind === "PurgeReleaseMessage" ? [message.purgedReleaseKey!] : message.releases.map((r) => r.key);
  if (keys.length === 0) return [];
  const existing = await db
    .select({
      key: catalogReleases.key,
      messageId: catalogReleases.messageId,
      createdAt: catalogReleases.messageCreatedAt,
    })
    .from(catalogReleases)
    .where(inArray(catalogReleases.key, keys));
  return existing
    .filter((e) => e.createdAt >= message.createdAt)
    .map((e) => ({
      path: "/MessageHeader/MessageCreatedDateTime",
      code: "stale-message",
      message: `Release ${e.key} was last updated by message ${e.messageId} created ${new Date(e.createdAt).toISOString()}; this message (created ${new Date(message.createdAt).toISOString()}) is not newer and is refused.`,
    }));
}

async function purge(
  deps: IngestDeps,
  message: ErnMessage,
  report: IngestReport,
  started: number,
  finish: (s: IngestStatus) => IngestReport,
): Promise<IngestReport> {
  const key = message.purgedReleaseKey!;
  const [release] = await deps.db.select().from(catalogReleases).where(eq(catalogReleases.key, key));
  if (!release) {
    report.errors.push({
      path: "/PurgeReleaseMessage/PurgedRelease/ReleaseId",
      code: "unknown-release",
      message: `No release ${key} is in the catalog, so there is nothing to purge.`,
    });
    return finish("rejected");
  }
  report.ms.validate = Date.now() - started;
  const trackIds = await deps.db.transaction(async (tx) => {
    await tx
      .update(catalogReleases)
      .set({
        takedownAt: message.createdAt,
        messageId: message.messageId,
        messageSender: message.sender.partyId,
        messageCreatedAt: message.createdAt,
        updatedAt: Date.now(),
      })
      .where(eq(catalogReleases.id, release.id));
    const ids = await bumpReleaseTracks(tx as unknown as Database, [release.id]);
    await tx.insert(catalogIngests).values({
      id: randomUUID(),
      messageId: message.messageId,
      sender: message.sender.partyId,
      kind: message.kind,
      messageCreatedAt: message.createdAt,
      releaseKeys: [key],
      trackIds: ids,
    });
    return ids;
  });
  report.published = (await deps.publisher.publish(trackIds)).published;
  await describe(deps, report, trackIds, message);
  return finish("ingested");
}

async function bumpReleaseTracks(db: Database, releaseIds: string[]): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: catalogReleaseTracks.trackId })
    .from(catalogReleaseTracks)
    .where(inArray(catalogReleaseTracks.releaseId, releaseIds));
  const ids = rows.map((r) => r.id);
  if (ids.length > 0) {
    await db
      .update(catalogTracks)
      .set({ version: sql`${catalogTracks.version} + 1`, updatedAt: Date.now() })
      .where(inArray(catalogTracks.id, ids));
  }
  return ids;
}

/** Writes a NewReleaseMessage; runs inside the ingest transaction. Returns every track whose edge state changed. */
async function writeRelease(
  db: Database,
  message: ErnMessage,
  ladders: Map<string, { result: LadderResult; base: string; sha256: string }>,
): Promise<string[]> {
  const recordings = new Map(message.recordings.map((r) => [r.ref, r]));
  const party = (ref: string): PartyModel => message.parties.get(ref)!;
  const main = message.releases.find((r) => r.kind === "main");
  // Without a main Release, each TrackRelease stands as a release of its own.
  const standalone: ReleaseModel[] = main ? [main] : message.releases;
  const releaseIdByRef = new Map<string, string>();
  for (const r of message.releases) releaseIdByRef.set(r.ref, releaseIdOf((main ?? r).key));

  const artistIdByRef = new Map<string, string>();
  const ensureArtist = async (ref: string) => {
    const p = party(ref);
    const id = artistIdOf(p);
    if (!artistIdByRef.has(ref)) {
      await db
        .insert(catalogArtists)
        .values({ id, name: p.name, isni: p.isni ?? null })
        .onConflictDoUpdate({ target: catalogArtists.id, set: { name: p.name } });
      artistIdByRef.set(ref, id);
    }
    return id;
  };

  const releaseIds: string[] = [];
  for (const release of standalone) {
    const labelRef = release.labelRefs[0];
    let labelId: string | null = null;
    if (labelRef) {
      const name = party(labelRef).name;
      labelId = labelIdOf(name);
      await db.insert(catalogLabels).values({ id: labelId, name }).onConflictDoNothing();
    }
    const id = releaseIdOf(release.key);
    releaseIds.push(id);
    const values = {
      key: release.key,
      icpn: release.icpn ?? null,
      grid: release.grid ?? null,
      title: release.title,
      displayArtist: release.displayArtist,
      releaseType: release.releaseType ?? null,
      labelId,
      genres: release.genres,
      releaseDate: release.releaseDate ?? null,
      messageId: message.messageId,
      messageSender: message.sender.partyId,
      messageCreatedAt: message.createdAt,
      takedownAt: null,
      updatedAt: Date.now(),
    };
    await db
      .insert(catalogReleases)
      .values({ id, ...values })
      .onConflictDoUpdate({ target: catalogReleases.id, set: values });
  }

  const trackIds: string[] = [];
  const trackIdByRef = new Map<string, string>();
  // Tracks these releases had before: one dropped from the track list loses this release's deals and must be
  // published again too.
  const before = (
    await db
      .selectDistinct({ id: catalogReleaseTracks.trackId })
      .from(catalogReleaseTracks)
      .where(inArray(catalogReleaseTracks.releaseId, releaseIds))
  ).map((r) => r.id);
  for (const release of standalone) {
    const releaseId = releaseIdOf(release.key);
    const refs = main ? main.recordingRefs : release.recordingRefs;
    await db.delete(catalogReleaseTracks).where(eq(catalogReleaseTracks.releaseId, releaseId));
    for (const [position, ref] of refs.entries()) {
      const recording = recordings.get(ref)!;
      const ladder = ladders.get(ref)!;
      const id = trackIdOf(recording.isrc);
      trackIdByRef.set(ref, id);
      trackIds.push(id);
      const mainArtist = recording.artists.find((a) => a.role === "MainArtist") ?? recording.artists[0];
      const values = {
        isrc: recording.isrc,
        title: recording.title,
        displayArtist: recording.displayArtist,
        titleNorm: normalize(recording.title),
        artistNorm: normalize(recording.displayArtist),
        artistId: mainArtist ? await ensureArtist(mainArtist.partyRef) : null,
        iswcs: recording.iswcs,
        parentalWarning: recording.parentalWarning ?? null,
        durationMs: ladder.result.durationMs,
        durationSamples: ladder.result.durationSamples,
        sampleRate: ladder.result.sampleRate,
        loudnessLufs: ladder.result.loudnessLufs,
        truePeakDbtp: ladder.result.truePeakDbtp,
        sourceSha256: ladder.sha256,
        mediaBase: ladder.base,
        updatedAt: Date.now(),
      };
      const [existing] = await db
        .select({ docid: catalogTracks.docid })
        .from(catalogTracks)
        .where(eq(catalogTracks.id, id));
      let docid = existing?.docid;
      if (existing) {
        await db
          .update(catalogTracks)
          .set({ ...values, version: sql`${catalogTracks.version} + 1` })
          .where(eq(catalogTracks.id, id));
      } else {
        const [next] = await db.all<{ docid: number }>(
          sql`SELECT coalesce(max(docid), 0) + 1 AS docid FROM catalog_tracks`,
        );
        docid = next!.docid;
        await db.insert(catalogTracks).values({ id, docid, releaseId, ...values });
      }
      await db.insert(catalogReleaseTracks).values({ releaseId, trackId: id, position: position + 1 });

      await db.delete(catalogTrackParties).where(eq(catalogTrackParties.trackId, id));
      let order = 0;
      for (const a of recording.artists) {
        await db
          .insert(catalogTrackParties)
          .values({ trackId: id, artistId: await ensureArtist(a.partyRef), role: a.role, position: order++ });
      }
      for (const c of recording.contributors) {
        for (const role of c.roles.length > 0 ? c.roles : ["Contributor"]) {
          await db
            .insert(catalogTrackParties)
            .values({ trackId: id, artistId: await ensureArtist(c.partyRef), role, position: order++ });
        }
      }
      await db.delete(catalogRightsControllers).where(eq(catalogRightsControllers.trackId, id));
      for (const rc of recording.rightsControllers) {
        const p = party(rc.partyRef);
        await db.insert(catalogRightsControllers).values({
          trackId: id,
          partyName: p.name,
          partyId: p.isni ?? p.dpid ?? p.proprietaryIds[0] ?? null,
          roles: rc.roles,
          shareBasisPoints: rc.sharePercent === undefined ? null : Math.round(rc.sharePercent * 100),
        });
      }
      await indexTrack(db, docid!, { title: recording.title, artist: recording.displayArtist, release: release.title });
    }
  }

  if (message.deals) {
    await db.delete(catalogDeals).where(inArray(catalogDeals.releaseId, releaseIds));
    for (const deal of message.deals) await writeDeal(db, deal, message, releaseIdByRef, trackIdByRef);
  }
  await db.insert(catalogIngests).values({
    id: randomUUID(),
    messageId: message.messageId,
    sender: message.sender.partyId,
    kind: message.kind,
    messageCreatedAt: message.createdAt,
    releaseKeys: message.releases.map((r) => r.key),
    trackIds,
  });
  const dropped = before.filter((id) => !trackIds.includes(id));
  if (dropped.length > 0) {
    await db
      .update(catalogTracks)
      .set({ version: sql`${catalogTracks.version} + 1`, updatedAt: Date.now() })
      .where(inArray(catalogTracks.id, dropped));
  }
  return [...new Set([...trackIds, ...dropped])];
}

async function writeDeal(
  db: Database,
  deal: DealModel,
  message: ErnMessage,
  releaseIdByRef: Map<string, string>,
  trackIdByRef: Map<string, string>,
): Promise<void> {
  for (const ref of deal.releaseRefs) {
    const release = message.releases.find((r) => r.ref === ref)!;
    const trackId = release.kind === "track" ? trackIdByRef.get(release.recordingRefs[0] ?? "") : undefined;
    await db.insert(catalogDeals).values({
      releaseId: releaseIdByRef.get(ref)!,
      trackId: trackId ?? null,
      territories: deal.territories,
      excluded: deal.excluded,
      startAt: deal.start ?? null,
      endAt: deal.end ?? null,
      commercialModels: deal.commercialModels,
      useTypes: deal.useTypes,
    });
  }
}

/** Fills the report's releases and tracks from what the catalog now holds. */
async function describe(
  deps: IngestDeps,
  report: IngestReport,
  trackIds: string[],
  message: ErnMessage,
  ladders?: Map<string, { transcoded: boolean; result: LadderResult }>,
): Promise<void> {
  const keys =
    message.kind === "PurgeReleaseMessage" ? [message.purgedReleaseKey!] : message.releases.map((r) => r.key);
  const releases = await deps.db.select().from(catalogReleases).where(inArray(catalogReleases.key, keys));
  for (const r of releases) {
    const count = await deps.db
      .select({ n: sql<number>`count(*)` })
      .from(catalogReleaseTracks)
      .where(eq(catalogReleaseTracks.releaseId, r.id));
    report.releases.push({
      id: r.id,
      key: r.key,
      title: r.title,
      tracks: count[0]?.n ?? 0,
      ...(r.takedownAt ? { takedownAt: new Date(r.takedownAt).toISOString() } : {}),
    });
  }
  if (trackIds.length === 0) return;
  const rows = await deps.db.select().from(catalogTracks).where(inArray(catalogTracks.id, trackIds));
  const ladderByTrack = new Map(
    message.recordings.flatMap((r) => {
      const ladder = ladders?.get(r.ref);
      return ladder ? [[trackIdOf(r.isrc), ladder] as const] : [];
    }),
  );
  for (const row of rows) {
    const ladder = ladderByTrack.get(row.id);
    const manifest = ladder?.result ?? (await deps.packager.existing(row.mediaBase));
    report.tracks.push({
      id: row.id,
      isrc: row.isrc,
      title: row.title,
      artist: row.displayArtist,
      durationMs: row.durationMs,
      loudnessLufs: row.loudnessLufs,
      truePeakDbtp: row.truePeakDbtp,
      transcoded: ladder?.transcoded ?? false,
      renditions: (manifest?.renditions ?? []).map((r) => ({
        id: r.id,
        codec: r.codec,
        bandwidth: r.bandwidth,
        averageBandwidth: r.averageBandwidth,
        segments: r.segments.length,
      })),
    });
  }
}
