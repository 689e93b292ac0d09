/**
 * Earned plays in today's store (libSQL): the small integration of the pure rules in
 * `shared/src/events/earned-play.ts`. On each landing, the play events' session snapshots and served-media counts go
 * into `play_sessions` (first mint facts win, served counts only grow), then every session the landing touched is
 * judged: its plays aggregated, the account's and device's day read (indexed queries), the verdict written to
 * `stream_verdicts`, and `qualified_streams` kept equal to the qualified and cleared verdicts. An ops decision
 * (cleared, confirmed) sticks when a session is judged again; only the reasons are refreshed.
 */
import {
  type ActivityAround,
  judgeEarnedPlay,
  type MintedSession,
  type ReportedPlay,
} from "@cadence/shared/events/earned-play";
import type { EnrichedEvent } from "@cadence/shared/events/message";
import { isPlayEvent } from "@cadence/shared/events/schema";
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

const DAY_MS = 86_400_000;

/** Stores what the edge knew about each play's session (mint facts and served media). */
export async function recordPlaySessions(tx: Tx, events: EnrichedEvent[]): Promise<void> {
  const rows: Array<Record<string, string | number | null>> = [];
  for (const e of events) {
    if (!isPlayEvent(e)) continue;
    const s = e.edge.session ?? null;
    rows.push({
      session_id: e.session_id,
      minted_sub: s?.sub ?? null,
      minted_track_id: s?.track_id ?? null,
      minted_device_id: s?.device_id ?? null,
      created_at: s?.created_at ?? null,
      expires_at: s?.expires_at ?? null,
      ended_at: s?.ended_at ?? null,
      served_playlists: e.edge.served?.playlists ?? 0,
      served_bytes: e.edge.served?.bytes ?? 0,
      served_requests: e.edge.served?.requests ?? 0,
    });
  }
  if (rows.length === 0) return;
  await tx.run(sql`
    INSERT INTO play_sessions (session_id, minted_sub, minted_track_id, minted_device_id, created_at, expires_at,
                               ended_at, served_playlists, served_bytes, served_requests)
    SELECT value->>'session_id', value->>'minted_sub', value->>'minted_track_id', value->>'minted_device_id',
           value->>'created_at', value->>'expires_at', value->>'ended_at',
           value->>'served_playlists', value->>'served_bytes', value->>'served_requests'
    FROM json_each(${JSON.stringify(rows)}) WHERE true
    ON CONFLICT (session_id) DO UPDATE SET
      minted_sub = coalesce(play_sessions.minted_sub, excluded.minted_sub),
      minted_track_id = coalesce(play_sessions.minted_track_id, excluded.minted_track_id),
      minted_device_id = coalesce(play_sessions.minted_device_id, excluded.minted_device_id),
      created_at = coalesce(play_sessions.created_at, excluded.created_at),
      expires_at = coalesce(play_sessions.expires_at, excluded.expires_at),
      ended_at = coalesce(play_sessions.ended_at, excluded.ended_at),
      served_playlists = max(play_sessions.served_playlists, excluded.served_playlists),
      served_bytes = max(play_sessions.served_bytes, excluded.served_bytes),
      served_requests = max(play_sessions.served_requests, excluded.served_requests)
  `);
}

interface SessionRow {
  session_id: string;
  users: string | null;
  tracks: string | null;
  devices: string | null;
  ms_played: number;
  first_ts: number;
  last_ts: number;
  last_received: number;
  minted_sub: string | null;
  minted_track_id: string | null;
  minted_device_id: string | null;
  created_at: number | null;
  expires_at: number | null;
  ended_at: number | null;
  served_playlists: number | null;
  served_bytes: number | null;
  served_requests: number | null;
  account_listen_ms: number;
  accounts_on_device: number;
  same_track_sessions: number;
}

const SEP = "\u001f";
const list = (v: string | null) => (v ? [...new Set(v.split(SEP).filter(Boolean))] : []);

/** Judges the sessions and keeps `stream_verdicts` and `qualified_streams` in step. */
export async function judgeSessions(tx: Tx, sessionIds: string[], now: number): Promise<void> {
  if (sessionIds.length === 0) return;
  // One statement: each session's plays, its mint facts, and the day around it (the account's listening, accounts on
  // the minted device, the account's sessions of the track), each through an index.
  const rows = await tx.all<SessionRow>(sql`
    WITH agg AS (
      SELECT session_id,
             group_concat(DISTINCT user_id) AS users_raw,
             group_concat(DISTINCT track_id) AS tracks_raw,
             group_concat(DISTINCT device_id) AS devices_raw,
             max(coalesce(ms_played, 0)) AS ms_played, min(client_ts) AS first_ts, max(client_ts) AS last_ts,
             max(received_at) AS last_received
      FROM plays WHERE session_id IN (SELECT value FROM json_each(${JSON.stringify(sessionIds)}))
      GROUP BY session_id
    )
    SELECT agg.session_id,
           replace(agg.users_raw, ',', ${SEP}) AS users, replace(agg.tracks_raw, ',', ${SEP}) AS tracks,
           replace(agg.devices_raw, ',', ${SEP}) AS devices,
           agg.ms_played, agg.first_ts, agg.last_ts, agg.last_received,
           ps.minted_sub, ps.minted_track_id, ps.minted_device_id, ps.created_at, ps.expires_at, ps.ended_at,
           ps.served_playlists, ps.served_bytes, ps.served_requests,
           coalesce((SELECT sum(m) FROM (
              SELECT max(coalesce(p.ms_played, 0)) AS m FROM plays p
              WHERE p.user_id = coalesce(ps.minted_sub, agg.users_raw)
                AND p.client_ts > agg.last_ts - ${DAY_MS} AND p.client_ts <= agg.last_ts
              GROUP BY p.session_id)), 0) AS account_listen_ms,
           (SELECT count(DISTINCT o.minted_sub) FROM play_sessions o
              WHERE o.minted_device_id = ps.minted_device_id
                AND o.created_at > agg.last_ts - ${DAY_MS} AND o.created_at <= agg.last_ts) AS accounts_on_device,
           (SELECT count(*) FROM play_sessions o
              WHERE o.minted_sub = ps.minted_sub AND o.minted_track_id = ps.minted_track_id
                AND o.created_at > agg.last_ts - ${DAY_MS} AND o.created_at <= agg.last_ts) AS same_track_sessions
    FROM agg LEFT JOIN play_sessions ps ON ps.session_id = agg.session_id
  `);

  const verdicts: Array<Record<string, string | number | null>> = [];
  for (const r of rows) {
    const session: MintedSession | null =
      r.minted_sub && r.minted_track_id && r.minted_device_id && r.created_at !== null && r.expires_at !== null
        ? {
            sub: r.minted_sub,
            trackId: r.minted_track_id,
            deviceId: r.minted_device_id,
            createdAt: Number(r.created_at),
            expiresAt: Number(r.expires_at),
            endedAt: r.ended_at === null ? null : Number(r.ended_at),
          }
        : null;
    const play: ReportedPlay = {
      userIds: list(r.users),
      trackIds: list(r.tracks),
      deviceIds: list(r.devices),
      msPlayed: Number(r.ms_played),
      lastReceivedAt: Number(r.last_received),
    };
    const activity: ActivityAround = {
      accountListenMs: Number(r.account_listen_ms),
      accountsOnDevice: Number(r.accounts_on_device ?? 0),
      sameTrackSessions: Number(r.same_track_sessions ?? 0),
    };
    const verdict = judgeEarnedPlay(
      session,
      play,
      {
        playlists: Number(r.served_playlists ?? 0),
        bytes: Number(r.served_bytes ?? 0),
        requests: Number(r.served_requests ?? 0),
      },
      activity,
    );
    if (verdict.status === "short") continue;
    verdicts.push({
      session_id: r.session_id,
      user_id: session?.sub ?? play.userIds[0] ?? null,
      track_id: session?.trackId ?? play.trackIds[0] ?? "",
      device_id: session?.deviceId ?? play.deviceIds[0] ?? null,
      play_day: new Date(Number(r.first_ts)).toISOString().slice(0, 10),
      ms_played: verdict.msPlayed,
      status: verdict.status,
      reasons: verdict.reasons.join(","),
    });
  }
  if (verdicts.length === 0) return;
  const json = JSON.stringify(verdicts);
  await tx.run(sql`
    INSERT INTO stream_verdicts (session_id, user_id, track_id, device_id, play_day, ms_played, status, reasons,
                                 judged_at)
    SELECT value->>'session_id', value->>'user_id', value->>'track_id', value->>'device_id', value->>'play_day',
           value->>'ms_played', value->>'status', value->>'reasons', ${now}
    FROM json_each(${json}) WHERE true
    ON CONFLICT (session_id) DO UPDATE SET
      user_id = excluded.user_id, track_id = excluded.track_id, device_id = excluded.device_id,
      play_day = excluded.play_day, ms_played = excluded.ms_played, reasons = excluded.reasons,
      judged_at = excluded.judged_at,
      status = CASE WHEN stream_verdicts.status IN ('cleared', 'confirmed') THEN stream_verdicts.status
                    ELSE excluded.status END
  `);
  await syncQualifiedStreams(
    tx,
    verdicts.map((v) => String(v.session_id)),
    now,
  );
}

/** `qualified_streams` = the qualified and cleared verdicts of these sessions. */
export async function syncQualifiedStreams(tx: Tx, sessionIds: string[], now: number): Promise<void> {
  const ids = JSON.stringify(sessionIds);
  await tx.run(sql`
    DELETE FROM qualified_streams
    WHERE session_id IN (SELECT value FROM json_each(${ids}))
      AND session_id NOT IN (SELECT session_id FROM stream_verdicts WHERE status IN ('qualified', 'cleared')
                               AND session_id IN (SELECT value FROM json_each(${ids})))
  `);
  await tx.run(sql`
    INSERT INTO qualified_streams (session_id, track_id, user_id, play_day, ms_played, qualified_at)
    SELECT session_id, track_id, user_id, play_day, ms_played, ${now} FROM stream_verdicts
    WHERE session_id IN (SELECT value FROM json_each(${ids})) AND status IN ('qualified', 'cleared')
    ON CONFLICT (session_id) DO UPDATE SET
      track_id = excluded.track_id, user_id = excluded.user_id, play_day = excluded.play_day,
      ms_played = excluded.ms_played
  `);
}
