/**
 * Qualified streams as royalties count them: one per playback session whose listened time reaches 30 s, on the UTC day
 * the play started, however late or out of order its events arrive; flagged plays never count (what makes a play
 * earned: earned-plays.test.ts). A bad window:
 * qualified-streams.errors.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  DAY,
  type EventsStats,
  eventually,
  iso,
  listener,
  originStats,
  play,
  playbackSession,
  postEvents,
  serveMedia,
  uuid,
} from "./helpers";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("qualified streams", () => {
  it("counts one stream per session that reached 30 s, on the day the play started", async () => {
    const { token, sub } = await listener("hifi@demo.test");
    const track = `trk-qs-${uuid()}`;
    const now = Date.now();
    // A day boundary five days ago: the play starts 10 s before midnight, the qualifying event is after it.
    const midnight = Date.parse(`${day(now - 5 * DAY)}T00:00:00.000Z`) + DAY;
    const tenDaysAgo = now - 10 * DAY;

    // Minted long enough ago for the listening it reports (more than the session lasted is never a stream).
    const today = await playbackSession(sub, track, { createdAt: now - 100_000, expiresAt: now + 600_000 });
    const short = await playbackSession(sub, track);
    // Minted ten days ago; its record is read when its events sync (the test keeps it in Redis that long).
    const offline = await playbackSession(sub, track, {
      createdAt: tenDaysAgo - 1000,
      expiresAt: tenDaysAgo + 600_000,
    });
    const acrossMidnight = await playbackSession(sub, track, {
      createdAt: midnight - 20_000,
      expiresAt: midnight + 600_000,
    });
    const wrongTrack = await playbackSession(sub, "trk-something-else");
    for (const s of [today, short, offline, acrossMidnight, wrongTrack]) await serveMedia(s.id, 120);

    const events = [
      // Qualifies today, with several events past 30 s: still one stream.
      play("play_start", today.id, track),
      play("play_progress", today.id, track, { ms_played: 15_000 }),
      play("play_progress", today.id, track, { ms_played: 30_000 }),
      play("play_end", today.id, track, { ms_played: 95_000, end_reason: "completed" }),
      // 29.999 s: not a stream.
      play("play_start", short.id, track),
      play("play_end", short.id, track, { ms_played: 29_999, end_reason: "skip_forward" }),
      // An offline play synced ten days later counts on the day it was played.
      play("play_start", offline.id, track, { client_ts: iso(tenDaysAgo) }),
      play("play_end", offline.id, track, {
        ms_played: 45_000,
        end_reason: "completed",
        client_ts: iso(tenDaysAgo + 45_000),
      }),
      // The qualifying event arrives first; the start (before midnight) arrives in a later request.
      play("play_progress", acrossMidnight.id, track, { ms_played: 31_000, client_ts: iso(midnight + 21_000) }),
      // A play for a track its session was not issued for never counts.
      play("play_end", wrongTrack.id, track, { ms_played: 200_000, end_reason: "completed" }),
    ];
    expect((await postEvents(token, events)).status).toBe(200);
    const late = play("play_start", acrossMidnight.id, track, { client_ts: iso(midnight - 10_000) });

    const query = `?track_id=${track}&from=${day(now - 12 * DAY)}&to=${day(now)}`;
    const streamsOf = (stats: EventsStats) =>
      Object.fromEntries(stats.qualified_streams.by_track_day.map((r) => [r.day, r.streams]));
    const first = await eventually(async () => {
      const stats = await originStats(query);
      return stats.qualified_streams.total === 3 ? stats : undefined;
    }, "three qualified streams");
    expect(streamsOf(first)).toEqual({ [day(now)]: 1, [day(tenDaysAgo)]: 1, [day(midnight)]: 1 });

    expect((await postEvents(token, [late])).status).toBe(200);
    const moved = await eventually(async () => {
      const stats = await originStats(query);
      return streamsOf(stats)[day(midnight - 10_000)] === 1 ? stats : undefined;
    }, "the stream to move to the day its play started");
    expect(moved.qualified_streams.total).toBe(3);
    expect(streamsOf(moved)).toEqual({ [day(now)]: 1, [day(tenDaysAgo)]: 1, [day(midnight - 10_000)]: 1 });
  }, 60_000);
});
