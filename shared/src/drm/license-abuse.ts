/**
 * Licence abuse signals: what the playback worker's licence path records when a session, an account's tracks per
 * hour or its devices per day pass their limits, and what the origin's fraud report reads back. Contract between
 * the playback worker (writer: a capped Redis list, newest first) and the fraud review (reader).
 */

export const LICENSE_ABUSE_KEY = "drm:license:abuse";
/** How many signals the list keeps. */
export const LICENSE_ABUSE_KEEP = 1000;

export type LicenseLimitHit = "session" | "tracks" | "devices";

export interface LicenseAbuseSignal {
  /** Epoch ms. */
  at: number;
  sub: string;
  session: string;
  device: string;
  limit: LicenseLimitHit;
}
