/**
 * Whether a play was earned: the rules that decide if a playback session's reported listening may become a qualified
 * stream (what royalties pay). Pure functions over facts the store assembles, so the same rules run on today's libSQL
 * store and on a warehouse: the minted session as the playback worker recorded it (listener, device, track, lifetime),
 * what its play events report, what the delivery side served to it, and the listener's and device's recent activity.
 *
 * A session that reached the qualifying listened time either qualifies (no reasons) or is flagged with every reason
 * that applies; flagged sessions are kept and excluded until ops clear them (`fraud-review.ts` at the origin).
 */
import { QUALIFIED_STREAM_MS } from "./limits";

export const FRAUD_REASONS = [
  /** No session record was ever seen for it: not minted by the playback worker (or its record expired unseen). */
  "session-unknown",
  /** The play was reported by another account than the one the session was minted for. */
  "session-user-mismatch",
  /** The play names a track the session was not minted for. */
  "track-not-in-session",
  /** The play names a device the session was not minted for. */
  "device-not-in-session",
  /** More listening reported than the session lasted (mint to expiry, or to the last report). */
  "listening-exceeds-session",
  /** Too little media was served to the session for the listening it reports (no playlist, segments or bytes). */
  "media-not-served",
  /** The account reports listening around the clock (more than a person can in a day). */
  "around-the-clock",
  /** Many accounts play on one device (a device farm sharing one phone). */
  "shared-device",
  /** The account loops one track far beyond what fans do. */
  "repeat-loop",
] as const;
export type FraudReason = (typeof FRAUD_REASONS)[number];

/** The session as the playback worker minted it (snapshot the edge read from Redis). */
export interface MintedSession {
  sub: string;
  trackId: string;
  deviceId: string;
  createdAt: number;
  expiresAt: number;
  endedAt: number | null;
}

/** What a session's play events say (all of them, flagged or not). */
export interface ReportedPlay {
  /** Distinct accounts that reported plays on the session (token `sub`). */
  userIds: string[];
  trackIds: string[];
  /** Distinct `device_id`s the events named (events may omit it). */
  deviceIds: string[];
  /** Highest `ms_played` reported. */
  msPlayed: number;
  /** Latest server receive time of its events, epoch ms. */
  lastReceivedAt: number;
}

/** What the delivery side served to the session (largest snapshot seen). */
export interface ServedEvidence {
  playlists: number;
  bytes: number;
  requests: number;
}

/** Recent activity around the session, over the day before its last report. */
export interface ActivityAround {
  /** The account's reported listening over that day, all sessions, ms. */
  accountListenMs: number;
  /** Distinct accounts with sessions on the session's device. */
  accountsOnDevice: number;
  /** The account's sessions of this same track. */
  sameTrackSessions: number;
}

export interface EarnedPlayRules {
  /** Slack on session lifetimes for clocks and queueing, ms. */
  lifetimeSlackMs: number;
  /** Media served must average at least this many bits per second of reported listening. */
  minServedBitsPerSecond: number;
  /** Around the clock: more reported listening than this in a day. */
  maxAccountListenMsPerDay: number;
  /** Shared device: more distinct accounts than this on one device in a day. */
  maxAccountsPerDevicePerDay: number;
  /** Repeat loop: more sessions of one track than this per account in a day. */
  maxSameTrackSessionsPerDay: number;
}

export const DEFAULT_EARNED_PLAY_RULES: EarnedPlayRules = {
  lifetimeSlackMs: 30_000,
  // A quarter of the lowest rung (AAC 128 kbit/s): an encoder's quietest passages and a player's buffer at the end
  // still clear it; a play that fetched nothing, or a few bytes per segment, does not.
  minServedBitsPerSecond: 32_000,
  maxAccountListenMsPerDay: 20 * 3600_000,
  maxAccountsPerDevicePerDay: 3,
  maxSameTrackSessionsPerDay: 25,
};

export type EarnedPlayVerdict =
  | { status: "short"; msPlayed: number }
  | { status: "qualified"; msPlayed: number; reasons: [] }
  | { status: "flagged"; msPlayed: number; reasons: FraudReason[] };

/** The rules that need only the session's own facts (cheap; run on every landing that touches the session). */
export function sessionReasons(
  session: MintedSession | null,
  play: ReportedPlay,
  served: ServedEvidence,
  rules: EarnedPlayRules = DEFAULT_EARNED_PLAY_RULES,
): FraudReason[] {
  const reasons: FraudReason[] = [];
  if (!session) return ["session-unknown"];
  if (play.userIds.some((u) => u !== session.sub)) reasons.push("session-user-mismatch");
  if (play.trackIds.some((t) => t !== session.trackId)) reasons.push("track-not-in-session");
  if (play.deviceIds.some((d) => d !== session.deviceId)) reasons.push("device-not-in-session");
  // Listening cannot outlast the session's expiry or the moment its last report arrived. Not its `endedAt`: a session
  // displaced by the next track's (the web player mints it once the current one is fully buffered) stops getting
  // media, but its listener plays on from the buffer; what was served is checked below.
  const end = Math.min(session.expiresAt, play.lastReceivedAt);
  if (play.msPlayed > end - session.createdAt + rules.lifetimeSlackMs) reasons.push("listening-exceeds-session");
  const neededBytes = Math.floor(((play.msPlayed / 1000) * rules.minServedBitsPerSecond) / 8);
  if (served.playlists < 1 || served.requests < 1 || served.bytes < neededBytes) reasons.push("media-not-served");
  return reasons;
}

/** The implausible-pattern rules (need the account's and device's day: one indexed query each at the origin). */
export function patternReasons(
  activity: ActivityAround,
  rules: EarnedPlayRules = DEFAULT_EARNED_PLAY_RULES,
): FraudReason[] {
  const reasons: FraudReason[] = [];
  if (activity.accountListenMs > rules.maxAccountListenMsPerDay) reasons.push("around-the-clock");
  if (activity.accountsOnDevice > rules.maxAccountsPerDevicePerDay) reasons.push("shared-device");
  if (activity.sameTrackSessions > rules.maxSameTrackSessionsPerDay) reasons.push("repeat-loop");
  return reasons;
}

/** The verdict on a session: short of 30 s, qualified, or flagged with its reasons (in FRAUD_REASONS order). */
export function judgeEarnedPlay(
  session: MintedSession | null,
  play: ReportedPlay,
  served: ServedEvidence,
  activity: ActivityAround,
  rules: EarnedPlayRules = DEFAULT_EARNED_PLAY_RULES,
): EarnedPlayVerdict {
  if (play.msPlayed < QUALIFIED_STREAM_MS) return { status: "short", msPlayed: play.msPlayed };
  const found = new Set([...sessionReasons(session, play, served, rules), ...patternReasons(activity, rules)]);
  const reasons = FRAUD_REASONS.filter((r) => found.has(r));
  return reasons.length === 0
    ? { status: "qualified", msPlayed: play.msPlayed, reasons: [] }
    : { status: "flagged", msPlayed: play.msPlayed, reasons };
}
