/**
 * Synthetic health of each CDN pathway, from the playback worker's cron probes. Probes run from one place, so they
 * catch a CDN that is down everywhere; regional outages are caught by players' error rates (measurements.ts). A
 * failed probe run (each run already retries once) takes the CDN out; it comes back only after the hysteresis window
 * and two good runs in a row. A probe state older than `PROBE_STALE_MS` is ignored (the cron may not be running).
 */
import { CDN_IDS, type CdnId } from "../cdn/cdn-id";

export const PROBE_STALE_MS = 5 * 60_000;
export const PROBE_OK_RUNS_TO_RECOVER = 2;

export interface ProbeState {
  status: "up" | "down";
  /** Epoch ms of the last status change. */
  since: number;
  /** Epoch ms of the last run. */
  lastAt: number;
  okStreak: number;
  ttfbMs?: number;
  error?: string;
}

export interface ProbeResult {
  ok: boolean;
  at: number;
  ttfbMs?: number;
  error?: string;
}

export function nextProbeState(prev: ProbeState | undefined, result: ProbeResult, hysteresisMs: number): ProbeState {
  const base = { lastAt: result.at, ttfbMs: result.ttfbMs, error: result.error };
  if (!prev || prev.status === "up") {
    if (result.ok)
      return { status: "up", since: prev?.since ?? result.at, okStreak: (prev?.okStreak ?? 0) + 1, ...base };
    return { status: "down", since: result.at, okStreak: 0, ...base };
  }
  if (!result.ok) return { status: "down", since: prev.since, okStreak: 0, ...base };
  const okStreak = prev.okStreak + 1;
  if (okStreak >= PROBE_OK_RUNS_TO_RECOVER && result.at >= prev.since + hysteresisMs) {
    return { status: "up", since: result.at, okStreak, ...base };
  }
  return { status: "down", since: prev.since, okStreak, ...base };
}

/** Whether the probes say the CDN is down now (a stale probe says nothing). */
export function probeSaysDown(state: ProbeState | undefined, now: number): boolean {
  return state?.status === "down" && now - state.lastAt <= PROBE_STALE_MS;
}

export function parseProbeStates(hash: Record<string, unknown> | null | undefined): Partial<Record<CdnId, ProbeState>> {
  const out: Partial<Record<CdnId, ProbeState>> = {};
  for (const [cdn, raw] of Object.entries(hash ?? {})) {
    const value = typeof raw === "string" ? safeJson(raw) : raw;
    // Only known CDN ids become keys (a stored `__proto__` field would otherwise set the prototype).
    if (!(CDN_IDS as readonly string[]).includes(cdn)) continue;
    if (value && typeof value === "object" && "status" in value && "lastAt" in value) {
      out[cdn as CdnId] = value as ProbeState;
    }
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
