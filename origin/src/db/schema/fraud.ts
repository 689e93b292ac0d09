/**
 * Earned plays: what the origin learned about each playback session it received play events for (the session as the
 * playback worker minted it, snapshot by the edge from Redis, and the largest served-media counts seen), and the
 * verdict on each session whose listening reached the qualifying time: qualified, or flagged with its reasons until
 * ops clear or confirm it. `qualified_streams` holds exactly the qualified and cleared ones.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per session seen in play events; minted_* stay null for a session no edge ever found in Redis. */
export const playSessions = sqliteTable(
  "play_sessions",
  {
    sessionId: text("session_id").primaryKey(),
    mintedSub: text("minted_sub"),
    mintedTrackId: text("minted_track_id"),
    mintedDeviceId: text("minted_device_id"),
    createdAt: integer("created_at", { mode: "number" }),
    expiresAt: integer("expires_at", { mode: "number" }),
    endedAt: integer("ended_at", { mode: "number" }),
    servedPlaylists: integer("served_playlists", { mode: "number" }).notNull().default(0),
    servedBytes: integer("served_bytes", { mode: "number" }).notNull().default(0),
    servedRequests: integer("served_requests", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    index("play_sessions_device_time").on(t.mintedDeviceId, t.createdAt),
    index("play_sessions_sub_track_time").on(t.mintedSub, t.mintedTrackId, t.createdAt),
  ],
);

/** The verdict per session that reached 30 s: `qualified`, `flagged` (reasons), or ops' `cleared` / `confirmed`. */
export const streamVerdicts = sqliteTable(
  "stream_verdicts",
  {
    sessionId: text("session_id").primaryKey(),
    userId: text("user_id"),
    trackId: text("track_id").notNull(),
    deviceId: text("device_id"),
    playDay: text("play_day").notNull(),
    msPlayed: integer("ms_played", { mode: "number" }).notNull(),
    status: text("status", { enum: ["qualified", "flagged", "cleared", "confirmed"] }).notNull(),
    /** Comma-separated FRAUD_REASONS (empty when qualified). */
    reasons: text("reasons").notNull().default(""),
    judgedAt: integer("judged_at", { mode: "number" }).notNull(),
    reviewedBy: text("reviewed_by"),
    reviewedAt: integer("reviewed_at", { mode: "number" }),
    note: text("note"),
  },
  (t) => [
    index("stream_verdicts_status_day").on(t.status, t.playDay),
    index("stream_verdicts_user").on(t.userId, t.playDay),
  ],
);
