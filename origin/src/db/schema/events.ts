/**
 * The events store: every stored event's id in one ledger (the final dedupe guard across all event types), plays, ad
 * events and QoE samples in their own tables indexed for the counts and reports that read them, failed events with
 * their reason, qualified streams derived from plays, and the bookkeeping that makes landing idempotent and
 * checkable (landed batches, dead letters).
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per stored event, whatever its type: `event_id` is the unique key that makes ingest idempotent. */
export const eventLedger = sqliteTable(
  "event_ledger",
  {
    eventId: text("event_id").primaryKey(),
    type: text("type").notNull(),
    sessionId: text("session_id").notNull(),
    userId: text("user_id"),
    /** The queue message it arrived in, and the edge request that accepted it. */
    batchId: text("batch_id").notNull(),
    requestId: text("request_id").notNull(),
    clientTs: integer("client_ts", { mode: "number" }).notNull(),
    receivedAt: integer("received_at", { mode: "number" }).notNull(),
    storedAt: integer("stored_at", { mode: "number" }).notNull(),
  },
  (t) => [index("event_ledger_type").on(t.type), index("event_ledger_batch").on(t.batchId)],
);

const edgeColumns = {
  userId: text("user_id"),
  tier: text("tier"),
  accountCountry: text("account_country"),
  country: text("country"),
  colo: text("colo"),
  asn: integer("asn", { mode: "number" }),
  clientTs: integer("client_ts", { mode: "number" }).notNull(),
  receivedAt: integer("received_at", { mode: "number" }).notNull(),
  /** Comma-separated edge flags (session-unknown, session-user-mismatch, track-not-in-session). */
  flags: text("flags").notNull().default(""),
};

/** play_start, play_progress, play_end, skip, seek. */
export const plays = sqliteTable(
  "plays",
  {
    eventId: text("event_id").primaryKey(),
    type: text("type").notNull(),
    sessionId: text("session_id").notNull(),
    trackId: text("track_id").notNull(),
    deviceId: text("device_id"),
    msPlayed: integer("ms_played", { mode: "number" }),
    positionMs: integer("position_ms", { mode: "number" }),
    endReason: text("end_reason"),
    fromMs: integer("from_ms", { mode: "number" }),
    toMs: integer("to_ms", { mode: "number" }),
    /** 1 when a flag keeps this play from counting as a stream. */
    disqualified: integer("disqualified", { mode: "number" }).notNull().default(0),
    ...edgeColumns,
  },
  (t) => [
    index("plays_session").on(t.sessionId),
    index("plays_track_time").on(t.trackId, t.clientTs),
    index("plays_user_time").on(t.userId, t.clientTs),
  ],
);

/** VAST tracking events. */
export const adEvents = sqliteTable(
  "ad_events",
  {
    eventId: text("event_id").primaryKey(),
    /** VAST spelling: impression, start, firstQuartile, midpoint, thirdQuartile, complete, skip, notUsed. */
    vastEvent: text("vast_event").notNull(),
    sessionId: text("session_id").notNull(),
    adServingId: text("ad_serving_id").notNull(),
    campaignId: text("campaign_id").notNull(),
    creativeId: text("creative_id").notNull(),
    adId: text("ad_id"),
    trackId: text("track_id"),
    offsetMs: integer("offset_ms", { mode: "number" }),
    ...edgeColumns,
  },
  (t) => [
    index("ad_events_campaign_time").on(t.campaignId, t.vastEvent, t.clientTs),
    index("ad_events_serving").on(t.adServingId),
    index("ad_events_creative_time").on(t.creativeId, t.clientTs),
  ],
);

/** One segment download as a player measured it, per CDN pathway. */
export const qoeSamples = sqliteTable(
  "qoe_samples",
  {
    eventId: text("event_id").primaryKey(),
    sessionId: text("session_id").notNull(),
    trackId: text("track_id"),
    cdn: text("cdn").notNull(),
    rendition: text("rendition").notNull(),
    segment: text("segment"),
    bytes: integer("bytes", { mode: "number" }).notNull(),
    ttfbMs: integer("ttfb_ms", { mode: "number" }).notNull(),
    downloadMs: integer("download_ms", { mode: "number" }).notNull(),
    httpStatus: integer("http_status", { mode: "number" }),
    error: text("error"),
    ...edgeColumns,
  },
  (t) => [index("qoe_samples_cdn_country_time").on(t.cdn, t.country, t.clientTs)],
);

/** Events refused at the edge, kept with their reason (never silently dropped). */
export const failedEvents = sqliteTable(
  "failed_events",
  {
    failureId: text("failure_id").primaryKey(),
    eventId: text("event_id"),
    type: text("type"),
    reason: text("reason").notNull(),
    detail: text("detail").notNull(),
    raw: text("raw").notNull(),
    userId: text("user_id"),
    requestId: text("request_id").notNull(),
    batchId: text("batch_id").notNull(),
    receivedAt: integer("received_at", { mode: "number" }).notNull(),
    storedAt: integer("stored_at", { mode: "number" }).notNull(),
  },
  (t) => [index("failed_events_reason").on(t.reason, t.receivedAt), index("failed_events_event").on(t.eventId)],
);

/** One per playback session whose listened time reached 30 s, on the (UTC) day the play started. */
export const qualifiedStreams = sqliteTable(
  "qualified_streams",
  {
    sessionId: text("session_id").primaryKey(),
    trackId: text("track_id").notNull(),
    userId: text("user_id"),
    /** YYYY-MM-DD (UTC) of the session's earliest play event. */
    playDay: text("play_day").notNull(),
    msPlayed: integer("ms_played", { mode: "number" }).notNull(),
    qualifiedAt: integer("qualified_at", { mode: "number" }).notNull(),
  },
  (t) => [index("qualified_streams_track_day").on(t.trackId, t.playDay), index("qualified_streams_day").on(t.playDay)],
);

/** Queue messages that have landed: a redelivered or replayed message finds its batch here and changes nothing. */
export const landedBatches = sqliteTable("landed_batches", {
  batchId: text("batch_id").primaryKey(),
  /** Events and failed events the message carried. */
  events: integer("events", { mode: "number" }).notNull(),
  failures: integer("failures", { mode: "number" }).notNull(),
  /** Of its events: newly stored, and already stored from another request (caught by the unique key). */
  inserted: integer("inserted", { mode: "number" }).notNull(),
  duplicates: integer("duplicates", { mode: "number" }).notNull(),
  attempts: integer("attempts", { mode: "number" }).notNull(),
  landedAt: integer("landed_at", { mode: "number" }).notNull(),
});

/** Messages the queue gave up on after its retry limit, kept whole so they can be replayed. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    batchId: text("batch_id").primaryKey(),
    messageId: text("message_id").notNull(),
    /** The message body exactly as it was queued. */
    body: text("body").notNull(),
    events: integer("events", { mode: "number" }).notNull(),
    failures: integer("failures", { mode: "number" }).notNull(),
    attempts: integer("attempts", { mode: "number" }).notNull(),
    deadAt: integer("dead_at", { mode: "number" }).notNull(),
    /** How often this batch died (a replayed batch can die again). */
    deadCount: integer("dead_count", { mode: "number" }).notNull().default(1),
    replayedAt: integer("replayed_at", { mode: "number" }),
    replayCount: integer("replay_count", { mode: "number" }).notNull().default(0),
  },
  (t) => [index("dead_letters_replayed").on(t.replayedAt, t.deadAt)],
);
