/**
 * Writing a NewReleaseMessage into the catalog, inside the ingest's one transaction: labels and releases, then each
 * track in release order (its row, its place in the release, its parties and rights controllers, its search entry),
 * then the deals (replaced as a whole when the message has a DealList), the ingest record, and a version bump for
 * tracks the releases no longer contain. Returns every track whose edge state changed, for the publisher.
 */
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
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
} from "../db/schema";
import type { LadderResult } from "../transcode/ladder";
import type { DealModel, ErnMessage, PartyModel, ReleaseModel, SoundRecordingModel } from "./ddex/ern";
import { artistIdOf, labelIdOf, releaseIdOf, trackIdOf } from "./model";
import { indexTrack } from "./search-index";
import { normalize } from "./search-terms";

/** The packaged ladder of each SoundRecording, by its reference. */
export type PackagedLadders = Map<string, { result: LadderResult; base: string; sha256: string }>;

/** What the writing steps share for one message: the transaction, the message, and the artists written so far. */
interface Writer {
  db: Database;
  message: ErnMessage;
  party(ref: string): PartyModel;
  /** The artist id of a party, writing the artist the first time it is met. */
  ensureArtist(ref: string): Promise<string>;
}

function writerFor(db: Database, message: ErnMessage): Writer {
  const party = (ref: string): PartyModel => message.parties.get(ref)!;
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
  return { db, message, party, ensureArtist };
}

/** Writes a NewReleaseMessage; runs inside the ingest transaction. Returns every track whose edge state changed. */
export async function writeRelease(db: Database, message: ErnMessage, ladders: PackagedLadders): Promise<string[]> {
  const writer = writerFor(db, message);
  const main = message.releases.find((r) => r.kind === "main");
  // Without a main Release, each TrackRelease stands as a release of its own.
  const standalone: ReleaseModel[] = main ? [main] : message.releases;
  const releaseIdByRef = new Map<string, string>();
  for (const r of message.releases) releaseIdByRef.set(r.ref, releaseIdOf((main ?? r).key));

  const releaseIds: string[] = [];
  for (const release of standalone) releaseIds.push(await writeReleaseRow(writer, release));
  // Tracks these releases had before: one dropped from the track list loses this release's deals and must be
  // published again too.
  const before = await tracksOf(db, releaseIds);
  const { trackIds, trackIdByRef } = await writeTracks(writer, standalone, main, ladders);

  if (message.deals) {
    await db.delete(catalogDeals).where(inArray(catalogDeals.releaseId, releaseIds));
    const written = new Set(standalone.map((r) => r.ref));
    for (const deal of message.deals) await writeDeal(db, deal, message, written, releaseIdByRef, trackIdByRef);
  }
  await recordIngest(
    db,
    message,
    message.releases.map((r) => r.key),
    trackIds,
  );
  const dropped = before.filter((id) => !trackIds.includes(id));
  if (dropped.length > 0) await bumpTracks(db, dropped);
  return [...new Set([...trackIds, ...dropped])];
}

/** The release row (and its label); returns the release id. */
async function writeReleaseRow({ db, message, party }: Writer, release: ReleaseModel): Promise<string> {
  const labelRef = release.labelRefs[0];
  let labelId: string | null = null;
  if (labelRef) {
    const name = party(labelRef).name;
    labelId = labelIdOf(name);
    await db.insert(catalogLabels).values({ id: labelId, name }).onConflictDoNothing();
  }
  const id = releaseIdOf(release.key);
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
    // 3.8 takes a release down with TakeDown deals; otherwise a new message puts it back up.
    takedownAt: message.takedownAt ?? null,
    updatedAt: Date.now(),
  };
  await db
    .insert(catalogReleases)
    .values({ id, ...values })
    .onConflictDoUpdate({ target: catalogReleases.id, set: values });
  return id;
}

/** Track ids of these releases as the catalog holds them now. */
export async function tracksOf(db: Database, releaseIds: string[]): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: catalogReleaseTracks.trackId })
    .from(catalogReleaseTracks)
    .where(inArray(catalogReleaseTracks.releaseId, releaseIds));
  return rows.map((r) => r.id);
}

/** Every release's track list replaced by the message's, each track written in order. */
async function writeTracks(
  writer: Writer,
  standalone: ReleaseModel[],
  main: ReleaseModel | undefined,
  ladders: PackagedLadders,
): Promise<{ trackIds: string[]; trackIdByRef: Map<string, string> }> {
  const { db, message } = writer;
  const recordings = new Map(message.recordings.map((r) => [r.ref, r]));
  const trackIds: string[] = [];
  const trackIdByRef = new Map<string, string>();
  for (const release of standalone) {
    const releaseId = releaseIdOf(release.key);
    const refs = main ? main.recordingRefs : release.recordingRefs;
    await db.delete(catalogReleaseTracks).where(eq(catalogReleaseTracks.releaseId, releaseId));
    for (const [position, ref] of refs.entries()) {
      const recording = recordings.get(ref)!;
      const id = await writeTrack(writer, { release, releaseId, position, recording, ladder: ladders.get(ref)! });
      trackIdByRef.set(ref, id);
      trackIds.push(id);
    }
  }
  return { trackIds, trackIdByRef };
}

interface TrackPlace {
  release: ReleaseModel;
  releaseId: string;
  /** 0-based position in the release. */
  position: number;
  recording: SoundRecordingModel;
  ladder: { result: LadderResult; base: string; sha256: string };
}

/** One track: its row, its place in the release, its parties, its rights controllers, its search entry. */
async function writeTrack(writer: Writer, place: TrackPlace): Promise<string> {
  const { db } = writer;
  const { release, releaseId, position, recording } = place;
  const id = trackIdOf(recording.isrc);
  const docid = await writeTrackRow(writer, id, place);
  await db.insert(catalogReleaseTracks).values({ releaseId, trackId: id, position: position + 1 });
  await writeTrackParties(writer, id, recording);
  await writeRightsControllers(writer, id, recording);
  await indexTrack(db, docid, { title: recording.title, artist: recording.displayArtist, release: release.title });
  return id;
}

/** Inserts or updates the track row (a new track gets the next search docid); returns its docid. */
async function writeTrackRow({ db, ensureArtist }: Writer, id: string, place: TrackPlace): Promise<number> {
  const { recording, ladder, releaseId } = place;
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
  if (existing) {
    await db
      .update(catalogTracks)
      .set({ ...values, version: sql`${catalogTracks.version} + 1` })
      .where(eq(catalogTracks.id, id));
    return existing.docid;
  }
  const [next] = await db.all<{ docid: number }>(sql`SELECT coalesce(max(docid), 0) + 1 AS docid FROM catalog_tracks`);
  const docid = next!.docid;
  await db.insert(catalogTracks).values({ id, docid, releaseId, ...values });
  return docid;
}

/** The track's artists, then its contributors (one row per role), in message order. */
async function writeTrackParties({ db, ensureArtist }: Writer, id: string, recording: SoundRecordingModel) {
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
}

/** Who controls the recording's rights, with shares in basis points: what the royalty engine will read. */
async function writeRightsControllers({ db, party }: Writer, id: string, recording: SoundRecordingModel) {
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
}

/**
 * One deal's rows. A deal licenses exactly the SoundRecordings its release contains: the release written as the
 * catalog's release (the main one, or a standalone TrackRelease) covers its own track list; any other release (a
 * TrackRelease, a single inside an album's message) licenses its own recordings track by track; a release without
 * recordings licenses nothing (the reader has warned) and never falls back to the album's tracks.
 */
async function writeDeal(
  db: Database,
  deal: DealModel,
  message: ErnMessage,
  written: ReadonlySet<string>,
  releaseIdByRef: Map<string, string>,
  trackIdByRef: Map<string, string>,
): Promise<void> {
  for (const ref of deal.releaseRefs) {
    const release = message.releases.find((r) => r.ref === ref)!;
    if (release.recordingRefs.length === 0) continue;
    const trackIds = written.has(ref)
      ? [null]
      : release.recordingRefs.flatMap((r) => {
          const id = trackIdByRef.get(r);
          return id ? [id] : [];
        });
    for (const trackId of trackIds) {
      await db.insert(catalogDeals).values({
        releaseId: releaseIdByRef.get(ref)!,
        trackId,
        territories: deal.territories,
        excluded: deal.excluded,
        startAt: deal.start ?? null,
        endAt: deal.end ?? null,
        commercialModels: deal.commercialModels,
        useTypes: deal.useTypes,
      });
    }
  }
}

/** Remembers the message as ingested (a re-delivery of it is then "unchanged"). */
export async function recordIngest(
  db: Database,
  message: ErnMessage,
  releaseKeys: string[],
  trackIds: string[],
): Promise<void> {
  await db.insert(catalogIngests).values({
    id: randomUUID(),
    messageId: message.messageId,
    sender: message.sender.partyId,
    kind: message.kind,
    messageCreatedAt: message.createdAt,
    releaseKeys,
    trackIds,
  });
}

/** A new version of these tracks, so the publisher sends them to the edge again. */
export async function bumpTracks(db: Database, trackIds: string[]): Promise<void> {
  await db
    .update(catalogTracks)
    .set({ version: sql`${catalogTracks.version} + 1`, updatedAt: Date.now() })
    .where(inArray(catalogTracks.id, trackIds));
}
