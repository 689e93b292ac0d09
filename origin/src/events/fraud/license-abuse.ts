/**
 * The licence side of the fraud report: the abuse signals the playback worker's licence path recorded in Redis (a
 * session asking for its keys over and over, an account keying hundreds of tracks an hour or from many devices a
 * day; shared/src/drm/license-abuse.ts), for the report's days: how many of each limit, the accounts with the most,
 * and the most recent. Redis unreachable leaves this part of the report out (null) rather than failing it.
 */
import {
  LICENSE_ABUSE_KEEP,
  LICENSE_ABUSE_KEY,
  type LicenseAbuseSignal,
  type LicenseLimitHit,
} from "@cadence/shared/drm/license-abuse";
import type { Redis } from "@upstash/redis";

export interface LicenseAbuseReport {
  signals: number;
  by_limit: Record<LicenseLimitHit, number>;
  accounts: Array<{ user_id: string; signals: number; limits: Partial<Record<LicenseLimitHit, number>> }>;
  recent: Array<{ at: string; user_id: string; session_id: string; device_id: string; limit: LicenseLimitHit }>;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function licenseAbuse(
  redis: Redis,
  q: { from: string; to: string; limit: number },
): Promise<LicenseAbuseReport | null> {
  let raw: unknown[];
  try {
    raw = await redis.lrange(LICENSE_ABUSE_KEY, 0, LICENSE_ABUSE_KEEP - 1);
  } catch {
    return null;
  }
  const signals = raw
    .map((s) => (typeof s === "string" ? (JSON.parse(s) as LicenseAbuseSignal) : (s as LicenseAbuseSignal)))
    .filter((s) => typeof s?.at === "number" && dayOf(s.at) >= q.from && dayOf(s.at) <= q.to);
  const byLimit: Record<LicenseLimitHit, number> = { session: 0, tracks: 0, devices: 0 };
  const accounts = new Map<string, LicenseAbuseReport["accounts"][number]>();
  for (const s of signals) {
    byLimit[s.limit] = (byLimit[s.limit] ?? 0) + 1;
    const account = accounts.get(s.sub) ?? { user_id: s.sub, signals: 0, limits: {} };
    account.signals += 1;
    account.limits[s.limit] = (account.limits[s.limit] ?? 0) + 1;
    accounts.set(s.sub, account);
  }
  return {
    signals: signals.length,
    by_limit: byLimit,
    accounts: [...accounts.values()].sort((a, b) => b.signals - a.signals).slice(0, q.limit),
    recent: signals.slice(0, q.limit).map((s) => ({
      at: new Date(s.at).toISOString(),
      user_id: s.sub,
      session_id: s.session,
      device_id: s.device,
      limit: s.limit,
    })),
  };
}
