/**
 * The catalog's tables: labels, artists, releases, tracks (sound recordings) and their renditions, deals as
 * delivered, the rights data the royalty engine will need (rights controllers with shares, contributors with roles,
 * ISRC/ISWC/UPC), the messages ingested (for ordering re-deliveries), and the search vocabulary.
 *
 * The full-text index itself (`catalog_search`, an FTS5 trigram table) is a virtual table that drizzle cannot model;
 * it is created by the hand-written `catalog-search` migration and used through raw SQL in catalog/search-index.ts
 * (upkeep) and catalog/search.ts (queries).
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = () => sql`(unixepoch('subsec') * 1000)`;

export const catalogLabels = sqliteTable("catalog_labels", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at", { mode: "number" }).notNull().default(now()),
});

export const catalogArtists = sqliteTable("catalog_artists", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  isni: text("isni"),
  createdAt: integer("created_at", { mode: "number" }).notNull().default(now()),
});

export const catalogReleases = sqliteTable(
  "catalog_releases",
  {
    id: text("id").primaryKey(),
    /** Identity across messages: `icpn:<upc>`, `grid:<grid>` or `pid:<namespace>:<id>`. */
    key: text("key").notNull(),
    icpn: text("icpn"),
    grid: text("grid"),
    title: text("title").notNull(),
    displayArtist: text("display_artist").notNull(),
    releaseType: text("release_type"),
    labelId: text("label_id").references(() => catalogLabels.id),
    genres: text("genres", { mode: "json" }).$type<string[]>().notNull(),
    releaseDate: text("release_date"),
    /** The newest message applied to this release: older ones are refused. */
    messageId: text("message_id").notNull(),
    messageSender: text("message_sender").notNull(),
    messageCreatedAt: integer("message_created_at", { mode: "number" }).notNull(),
    /** Set by a purge (or takedown) message: availability ends from this time. */
    takedownAt: integer("takedown_at", { mode: "number" }),
    updatedAt: integer("updated_at", { mode: "number" }).notNull().default(now()),
  },
  (t) => [uniqueIndex("catalog_releases_key").on(t.key)],
);

export const catalogTracks = sqliteTable(
  "catalog_tracks",
  {
    id: text("id").primaryKey(),
    /** Stable integer id for the full-text index (FTS5 rowid). */
    docid: integer("docid", { mode: "number" }).notNull(),
    isrc: text("isrc").notNull(),
    title: text("title").notNull(),
    displayArtist: text("display_artist").notNull(),
    /** Normalised title and artist (catalog/search-terms.ts `normalize`), indexed for exact and prefix matches without FTS. */
    titleNorm: text("title_norm").notNull().default(""),
    artistNorm: text("artist_norm").notNull().default(""),
    artistId: text("artist_id").references(() => catalogArtists.id),
    releaseId: text("release_id")
      .notNull()
      .references(() => catalogReleases.id),
    iswcs: text("iswcs", { mode: "json" }).$type<string[]>().notNull(),
    parentalWarning: text("parental_warning"),
    durationMs: integer("duration_ms", { mode: "number" }).notNull(),
    durationSamples: integer("duration_samples", { mode: "number" }).notNull(),
    sampleRate: integer("sample_rate", { mode: "number" }).notNull(),
    loudnessLufs: real("loudness_lufs").notNull(),
    truePeakDbtp: real("true_peak_dbtp").notNull(),
    /** SHA-256 of the delivered audio; with the ladder version it is the media-store prefix. */
    sourceSha256: text("source_sha256").notNull(),
    mediaBase: text("media_base").notNull(),
    /** Plays over the recent window once the events pipeline feeds it; seeds search ranking. */
    popularity: integer("popularity", { mode: "number" }).notNull().default(0),
    /** Increases on every change; `publishedVersion` is what edge state (Redis) has. */
    version: integer("version", { mode: "number" }).notNull().default(1),
    publishedVersion: integer("published_version", { mode: "number" }).notNull().default(0),
    createdAt: integer("created_at", { mode: "number" }).notNull().default(now()),
    updatedAt: integer("updated_at", { mode: "number" }).notNull().default(now()),
  },
  (t) => [
    uniqueIndex("catalog_tracks_isrc").on(t.isrc),
    uniqueIndex("catalog_tracks_docid").on(t.docid),
    index("catalog_tracks_release").on(t.releaseId),
    index("catalog_tracks_unpublished").on(t.publishedVersion),
    index("catalog_tracks_title_norm").on(t.titleNorm),
    index("catalog_tracks_artist_norm").on(t.artistNorm),
  ],
);

export const catalogReleaseTracks = sqliteTable(
  "catalog_release_tracks",
  {
    releaseId: text("release_id")
      .notNull()
      .references(() => catalogReleases.id),
    trackId: text("track_id")
      .notNull()
      .references(() => catalogTracks.id),
    position: integer("position", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.releaseId, t.trackId] }), index("catalog_release_tracks_track").on(t.trackId)],
);

/** Display artists and contributors of a track, with their roles (MainArtist, FeaturedArtist, Composer, ...). */
export const catalogTrackParties = sqliteTable(
  "catalog_track_parties",
  {
    trackId: text("track_id")
      .notNull()
      .references(() => catalogTracks.id),
    artistId: text("artist_id")
      .notNull()
      .references(() => catalogArtists.id),
    role: text("role").notNull(),
    position: integer("position", { mode: "number" }).notNull(),
  },
  (t) => [index("catalog_track_parties_track").on(t.trackId), index("catalog_track_parties_artist").on(t.artistId)],
);

/** Who controls the rights in a recording and their share, in basis points (10000 = 100%), for royalties. */
export const catalogRightsControllers = sqliteTable(
  "catalog_rights_controllers",
  {
    trackId: text("track_id")
      .notNull()
      .references(() => catalogTracks.id),
    partyName: text("party_name").notNull(),
    /** ISNI, DPID or `<namespace>:<proprietary id>` when the message gives one. */
    partyId: text("party_id"),
    roles: text("roles", { mode: "json" }).$type<string[]>().notNull(),
    shareBasisPoints: integer("share_basis_points", { mode: "number" }),
  },
  (t) => [index("catalog_rights_controllers_track").on(t.trackId)],
);

/** Deals as delivered, one row per DealTerms x ValidityPeriod; `trackId` set for a TrackRelease's deal. */
export const catalogDeals = sqliteTable(
  "catalog_deals",
  {
    id: integer("id", { mode: "number" }).primaryKey({ autoIncrement: true }),
    releaseId: text("release_id")
      .notNull()
      .references(() => catalogReleases.id),
    trackId: text("track_id").references(() => catalogTracks.id),
    territories: text("territories", { mode: "json" }).$type<string[]>().notNull(),
    excluded: text("excluded", { mode: "json" }).$type<string[]>().notNull(),
    startAt: integer("start_at", { mode: "number" }),
    endAt: integer("end_at", { mode: "number" }),
    commercialModels: text("commercial_models", { mode: "json" }).$type<string[]>().notNull(),
    useTypes: text("use_types", { mode: "json" }).$type<string[]>().notNull(),
  },
  (t) => [index("catalog_deals_release").on(t.releaseId)],
);

/** Messages applied, for idempotence (the same message again changes nothing) and for the ingest report. */
export const catalogIngests = sqliteTable(
  "catalog_ingests",
  {
    id: text("id").primaryKey(),
    messageId: text("message_id").notNull(),
    sender: text("sender").notNull(),
    kind: text("kind").notNull(),
    messageCreatedAt: integer("message_created_at", { mode: "number" }).notNull(),
    releaseKeys: text("release_keys", { mode: "json" }).$type<string[]>().notNull(),
    trackIds: text("track_ids", { mode: "json" }).$type<string[]>().notNull(),
    receivedAt: integer("received_at", { mode: "number" }).notNull().default(now()),
  },
  (t) => [uniqueIndex("catalog_ingests_message").on(t.sender, t.messageId)],
);

/** Search vocabulary: every word of the indexed titles and names, with how many tracks use it. */
export const catalogSearchTerms = sqliteTable("catalog_search_terms", {
  term: text("term").primaryKey(),
  docs: integer("docs", { mode: "number" }).notNull(),
});

/** SymSpell deletion index: each term under itself and its 1- and 2-deletions, for typo-tolerant lookups. */
export const catalogSearchDeletes = sqliteTable(
  "catalog_search_deletes",
  {
    variant: text("variant").notNull(),
    term: text("term").notNull(),
  },
  (t) => [primaryKey({ columns: [t.variant, t.term] })],
);
