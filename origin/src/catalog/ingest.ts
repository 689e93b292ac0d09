/**
 * Ingestion of one delivery, start to finish: validate the message and its files (every problem reported at once),
 * refuse messages older than what the catalog already holds for a release, transcode each recording into the ladder
 * (bounded pool, skipped for audio already packaged), then write the whole delivery in ONE database transaction, and
 * finally publish the affected tracks to edge state.
 *
 * A delivery that fails validation writes nothing anywhere. A failure after transcoding rolls the transaction back;
 * the packaged audio it leaves in the media store is content-addressed, invisible to listeners, and re-used by the
 * next attempt instead of being transcoded again.
 *
 * The steps live beside this file: the report (ingest-report.ts) and the write (write-release.ts).
 */
import type { Logger } from "@cadence/shared/log";
import { and, eq, inArray, notInArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { catalogIngests, catalogReleases, catalogReleaseTracks, catalogTracks } from "../db/schema";
import { type Binaries, FfmpegMissing, probeSource, type SourceInfo } from "../transcode/ffmpeg";
import type { LadderResult } from "../transcode/ladder";
import { mediaBaseOf, type Packaged, type Packager } from "../transcode/packager";
import { type DeliveryFile, inspectDelivery } from "./ddex/delivery";
import type { ErnMessage, SoundRecordingModel } from "./ddex/ern";
import type { Issue } from "./ddex/issues";
import { describe, type IngestReport, type IngestStatus, rejectedReport } from "./ingest-report";
import { releaseIdOf, tiersOf, trackIdOf } from "./model";
import type { EdgePublisher } from "./publish";
import { bumpTracks, recordIngest, tracksOf, writeRelease } from "./write-release";

export type { IngestReport, IngestStatus } from "./ingest-report";

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

type Sources = Map<string, { file: DeliveryFile; info: SourceInfo }>;
/** Each recording's packaged ladder, by SoundRecording reference. */
type Ladders = Map<string, Packaged & { sha256: string; sharesAudioWith?: string; notStreamed?: true }>;

export async function ingestDelivery(
  deps: IngestDeps,
  folder: string,
  onProgress: (p: IngestProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<IngestReport> {
  const started = Date.now();
  const report = rejectedReport();
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
    ...(message.updateIndicator ? { updateIndicator: message.updateIndicator } : {}),
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
    // The same MessageId again is "unchanged" only when what it delivers is what the catalog holds.
    const differs = await redeliveryDiffers(deps.db, message, inspected.files, already.trackIds);
    if (differs.length > 0) {
      report.errors.push(...differs);
      return finish("rejected");
    }
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
  const sources = await probeSources(deps, message, inspected.files, report, signal);
  report.ms.validate = Date.now() - started;
  if (report.errors.length > 0) return finish("rejected");

  const transcodeStarted = Date.now();
  const ladders = await packageRecordings(deps, message, sources, report, onProgress, signal);
  report.ms.transcode = Date.now() - transcodeStarted;
  signal?.throwIfAborted();

  const commitStarted = Date.now();
  const trackIds = await commit(deps.db, message, ladders, report);
  if (!trackIds) return finish("stale");
  report.ms.commit = Date.now() - commitStarted;

  report.published = (await deps.publisher.publish(trackIds)).published;
  await describe(deps, report, trackIds, message, ladders);
  return finish("ingested");
}

/**
 * A re-delivery of a message already applied, compared with what it stored: each recording's audio (SHA-256 of the
 * delivered file against the track's stored source hash) and its track list. Any difference is refused, never
 * answered "unchanged" and never applied over the stored audio: a MessageId names one message, so a correction is a
 * new message (new MessageId, later MessageCreatedDateTime), which the ordering rules then apply.
 */
async function redeliveryDiffers(
  db: Database,
  message: ErnMessage,
  files: Map<string, DeliveryFile>,
  storedTrackIds: string[],
): Promise<Issue[]> {
  const issues: Issue[] = [];
  const ids = message.recordings.map((r) => trackIdOf(r.isrc));
  const rows =
    ids.length === 0
      ? []
      : await db
          .select({ id: catalogTracks.id, sha256: catalogTracks.sourceSha256 })
          .from(catalogTracks)
          .where(inArray(catalogTracks.id, ids));
  const stored = new Map(rows.map((r) => [r.id, r.sha256]));
  const fix =
    "Nothing was changed. Send a correction as a new message (a new MessageId and a later MessageCreatedDateTime).";
  for (const recording of message.recordings) {
    const id = trackIdOf(recording.isrc);
    const file = files.get(recording.ref);
    if (!storedTrackIds.includes(id)) {
      issues.push({
        path: `${recording.path}`,
        code: "redelivery-differs",
        message: `Message ${message.messageId} was ingested before without ISRC ${recording.isrc}; the same MessageId now delivers it. ${fix}`,
      });
    } else if (file && stored.get(id) !== undefined && stored.get(id) !== file.sha256) {
      issues.push({
        path: recording.file?.path ?? recording.path,
        code: "redelivery-differs",
        message: `Message ${message.messageId} was ingested before with other audio for ISRC ${recording.isrc} (SHA-256 ${stored.get(id)}); ${recording.file?.uri} is now ${file.sha256}. ${fix}`,
      });
    }
  }
  return issues;
}

/** ffprobe of every recording's file: unreadable audio is an error, a duration off by more than 2 s a warning. */
async function probeSources(
  deps: IngestDeps,
  message: ErnMessage,
  files: Map<string, DeliveryFile>,
  report: IngestReport,
  signal?: AbortSignal,
): Promise<Sources> {
  const sources: Sources = new Map();
  for (const recording of message.recordings) {
    const file = files.get(recording.ref);
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
      // ffprobe's own words name this server's folders; the sender needs the file and what is wrong with it.
      deps.logger.info("unreadable audio in a delivery", { uri: recording.file?.uri, err: String(err) });
      report.errors.push({
        path: recording.file?.path ?? recording.path,
        code: "audio-unreadable",
        message: `${recording.file?.uri} is not audio that can be decoded; send it as WAV or FLAC.`,
      });
    }
  }
  return sources;
}

/** Every recording packaged into the ladder (in parallel, bounded by the packager's pool), progress per track. */
async function packageRecordings(
  deps: IngestDeps,
  message: ErnMessage,
  sources: Sources,
  report: IngestReport,
  onProgress: (p: IngestProgress) => void,
  signal?: AbortSignal,
): Promise<Ladders> {
  let done = 0;
  const ladders: Ladders = new Map();
  // Recordings that share one file (two ISRCs, one audio) share one ladder: the first is the one transcoded.
  const streams = await streamedRecordings(deps.db, message);
  const firstBySha = new Map<string, SoundRecordingModel>();
  for (const r of message.recordings) {
    const sha = sources.get(r.ref)!.file.sha256;
    if (streams.has(r.ref) && !firstBySha.has(sha)) firstBySha.set(sha, r);
  }
  await Promise.all(
    message.recordings.map(async (recording) => {
      const source = sources.get(recording.ref)!;
      if (!streams.has(recording.ref)) {
        // Nothing to play: no transcode. A ladder made for an earlier message is kept in use.
        ladders.set(recording.ref, await unpackaged(deps.packager, source));
        report.warnings.push({
          path: recording.path,
          code: "not-streamed",
          message: `No deal in this message lets listeners stream ${recording.isrc} ("${recording.title}"), so it was not transcoded: there is nothing to play. It is transcoded when a deal grants streaming.`,
        });
        done += 1;
        onProgress({ done, total: message.recordings.length, track: recording.title, transcoded: false });
        return;
      }
      const packaged = await deps.packager.package(source.file.absPath, source.file.sha256, signal, source.info);
      const first = firstBySha.get(source.file.sha256)!;
      const shared = first !== recording;
      ladders.set(recording.ref, {
        ...packaged,
        transcoded: packaged.transcoded && !shared,
        ...(shared ? { sharesAudioWith: trackIdOf(first.isrc) } : {}),
        sha256: source.file.sha256,
      });
      done += 1;
      onProgress({ done, total: message.recordings.length, track: recording.title, transcoded: packaged.transcoded });
    }),
  );
  return ladders;
}

/**
 * The recordings some deal of this message lets listeners stream (a tier and a stream use type), by reference. A
 * message without a DealList keeps the deals the catalog has, so all its recordings count as streamed.
 */
async function streamedRecordings(db: Database, message: ErnMessage): Promise<Set<string>> {
  const all = new Set(message.recordings.map((r) => r.ref));
  if (!message.deals) return all;
  const main = message.releases.find((r) => r.kind === "main");
  const streamed = new Set<string>();
  for (const deal of message.deals) {
    if (tiersOf(deal.commercialModels).length === 0 || !deal.useTypes.some((u) => u.endsWith("Stream"))) continue;
    for (const ref of deal.releaseRefs) {
      const release = message.releases.find((r) => r.ref === ref);
      for (const r of release?.recordingRefs ?? []) streamed.add(r);
      if (release === main) for (const r of main?.recordingRefs ?? []) streamed.add(r);
    }
  }
  // A track that is also on another release of the catalog may stream through that release's deals: packaged.
  const rest = message.recordings.filter((r) => !streamed.has(r.ref));
  if (rest.length > 0) {
    const ours = message.releases.map((r) => releaseIdOf(r.key));
    const elsewhere = await db
      .selectDistinct({ trackId: catalogReleaseTracks.trackId })
      .from(catalogReleaseTracks)
      .where(
        and(
          inArray(
            catalogReleaseTracks.trackId,
            rest.map((r) => trackIdOf(r.isrc)),
          ),
          notInArray(catalogReleaseTracks.releaseId, ours),
        ),
      );
    const onOtherReleases = new Set(elsewhere.map((e) => e.trackId));
    for (const r of rest) if (onOtherReleases.has(trackIdOf(r.isrc))) streamed.add(r.ref);
  }
  return streamed;
}

/** The ladder of audio that is not transcoded now: the stored one if an earlier ingest made it, else none yet. */
async function unpackaged(
  packager: Packager,
  source: { file: DeliveryFile; info: SourceInfo },
): Promise<Packaged & { sha256: string; notStreamed: true }> {
  const base = mediaBaseOf(source.file.sha256);
  const existing = await packager.existing(base);
  const { info } = source;
  const result: LadderResult = existing ?? {
    ladder: "none",
    sampleRate: info.sampleRate,
    durationSamples: info.exactSamples ?? Math.round(info.durationSeconds * info.sampleRate),
    durationMs: Math.round(info.durationSeconds * 1000),
    // Measured with the ladder, when a deal first lets the track stream.
    loudnessLufs: 0,
    truePeakDbtp: 0,
    renditions: [],
  };
  return { result, base, transcoded: false, sha256: source.file.sha256, notStreamed: true };
}

/** The write transaction; undefined (with the stale errors in the report) when a newer message won meanwhile. */
async function commit(
  db: Database,
  message: ErnMessage,
  ladders: Ladders,
  report: IngestReport,
): Promise<string[] | undefined> {
  return db
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
    const ids = await tracksOf(tx as unknown as Database, [release.id]);
    if (ids.length > 0) await bumpTracks(tx as unknown as Database, ids);
    await recordIngest(tx as unknown as Database, message, [key], ids);
    return ids;
  });
  report.published = (await deps.publisher.publish(trackIds)).published;
  await describe(deps, report, trackIds, message);
  return finish("ingested");
}
