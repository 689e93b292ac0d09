/**
 * The earned-play rules on their own: a session that reached 30 s qualifies only if it was minted for the listener,
 * device and track that report it, its listening fits the session's lifetime, media was served for it, and the
 * account and device show no implausible pattern; otherwise it is flagged with every reason that applies.
 */
import { describe, expect, it } from "vitest";
import {
  type ActivityAround,
  judgeEarnedPlay,
  type MintedSession,
  type ReportedPlay,
  type ServedEvidence,
} from "../../src/events/earned-play";

const T0 = Date.parse("2026-11-20T12:00:00Z");
const session: MintedSession = {
  sub: "u-1",
  trackId: "trk-1",
  deviceId: "dev-1",
  createdAt: T0,
  expiresAt: T0 + 800_000,
  endedAt: null,
};
const play: ReportedPlay = {
  userIds: ["u-1"],
  trackIds: ["trk-1"],
  deviceIds: ["dev-1"],
  msPlayed: 180_000,
  lastReceivedAt: T0 + 185_000,
};
// 180 s of AAC 128 kbit/s is 2.88 MB.
const served: ServedEvidence = { playlists: 1, bytes: 2_900_000, requests: 31 };
const quiet: ActivityAround = { accountListenMs: 3 * 3600_000, accountsOnDevice: 1, sameTrackSessions: 2 };

describe("an earned play", () => {
  it("qualifies when minted for this listener, device and track, within its lifetime and served", () => {
    expect(judgeEarnedPlay(session, play, served, quiet)).toEqual({
      status: "qualified",
      msPlayed: 180_000,
      reasons: [],
    });
  });

  it("qualifies when displaced by the next track's session after it was fully served (played from the buffer)", () => {
    const displaced = { ...session, endedAt: T0 + 20_000 };
    expect(judgeEarnedPlay(displaced, play, served, quiet).status).toBe("qualified");
  });

  it("under 30 s is not a stream at all", () => {
    expect(judgeEarnedPlay(null, { ...play, msPlayed: 29_999 }, served, quiet).status).toBe("short");
  });
});

describe("a play that was not earned is flagged with its reasons", () => {
  const reasonsOf = (...args: Parameters<typeof judgeEarnedPlay>) => {
    const v = judgeEarnedPlay(...args);
    return v.status === "flagged" ? v.reasons : [];
  };

  it("for a session never minted", () => {
    expect(reasonsOf(null, play, served, quiet)).toEqual(["session-unknown"]);
  });

  it("for another listener's session, another track or another device", () => {
    expect(reasonsOf(session, { ...play, userIds: ["u-2"] }, served, quiet)).toEqual(["session-user-mismatch"]);
    expect(reasonsOf(session, { ...play, trackIds: ["trk-1", "trk-9"] }, served, quiet)).toEqual([
      "track-not-in-session",
    ]);
    expect(reasonsOf(session, { ...play, deviceIds: ["dev-2"] }, served, quiet)).toEqual(["device-not-in-session"]);
  });

  it("for more listening than the session lasted (past its expiry, or more than the time since it was minted)", () => {
    expect(
      reasonsOf(
        session,
        { ...play, msPlayed: 900_000, lastReceivedAt: T0 + 2 * 3600_000 },
        {
          ...served,
          bytes: 20_000_000,
        },
        quiet,
      ),
    ).toEqual(["listening-exceeds-session"]);
    expect(reasonsOf(session, { ...play, lastReceivedAt: T0 + 40_000 }, served, quiet)).toEqual([
      "listening-exceeds-session",
    ]);
  });

  it("without the media served: no playlist, no segments, or far too few bytes", () => {
    expect(reasonsOf(session, play, { ...served, playlists: 0 }, quiet)).toEqual(["media-not-served"]);
    expect(reasonsOf(session, play, { playlists: 1, bytes: 0, requests: 0 }, quiet)).toEqual(["media-not-served"]);
    expect(reasonsOf(session, play, { ...served, bytes: 300_000 }, quiet)).toEqual(["media-not-served"]);
  });

  it("for implausible patterns: around the clock, a device farm, a repeat loop", () => {
    expect(reasonsOf(session, play, served, { ...quiet, accountListenMs: 23 * 3600_000 })).toEqual([
      "around-the-clock",
    ]);
    expect(reasonsOf(session, play, served, { ...quiet, accountsOnDevice: 12 })).toEqual(["shared-device"]);
    expect(reasonsOf(session, play, served, { ...quiet, sameTrackSessions: 200 })).toEqual(["repeat-loop"]);
  });

  it("with every reason that applies, in a stable order", () => {
    expect(reasonsOf(session, { ...play, userIds: ["u-2"], trackIds: ["trk-9"] }, NOTHING, quiet)).toEqual([
      "session-user-mismatch",
      "track-not-in-session",
      "media-not-served",
    ]);
  });
});

const NOTHING: ServedEvidence = { playlists: 0, bytes: 0, requests: 0 };
