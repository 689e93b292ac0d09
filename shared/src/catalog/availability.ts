/**
 * Whether a listener may play a track here and now, decided from the track's compact availability alone (the
 * `EdgeTrack` the origin publishes to Redis), so the edge answers every play without asking the origin.
 *
 * Pure: same inputs, same answer. The reasons map to the playback worker's statuses: `territory` (451),
 * `not-yet-released` (451 until the date; the detail says when), `tier-not-licensed` (403) and `taken-down` (410).
 */
import type { Tier } from "../auth/claims";
import type { Availability, AvailabilityRule } from "./edge-track";

export type NotPlayableReason = "territory" | "not-yet-released" | "tier-not-licensed" | "taken-down";

export type Playability =
  | { ok: true }
  | {
      ok: false;
      reason: NotPlayableReason;
      /** A sentence for people: what stops the play and, where known, from or until when. */
      detail: string;
      /** Epoch ms at which the answer changes (release date), when known. */
      availableFrom?: number;
    };

/** DDEX UseTypes that license on-demand listening, which is what a play request is. */
export const ON_DEMAND_USE_TYPES = ["OnDemandStream", "Stream"] as const;

const TIER_NAMES: Record<Tier, string> = { free: "free (ad-supported)", premium: "Premium", hifi: "HiFi" };

export function ruleCoversTerritory(rule: AvailabilityRule, country: string): boolean {
  const code = country.toUpperCase();
  if (rule.excluded.includes(code)) return false;
  return rule.territories.includes("Worldwide") || rule.territories.includes(code);
}

function licensesOnDemand(rule: AvailabilityRule): boolean {
  return rule.useTypes.some((u) => (ON_DEMAND_USE_TYPES as readonly string[]).includes(u));
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Decides a play. Order of the checks: a takedown wins over everything; then the territory; then whether the licence
 * has ended everywhere it applied here; then the tier (with its own window: a tier whose deal starts later is "not
 * yet released" for that tier, not "not licensed").
 */
export function isPlayable(
  track: { availability: Availability },
  country: string,
  tier: Tier,
  at: number,
): Playability {
  const { availability } = track;
  if (availability.takedownAt !== undefined && at >= availability.takedownAt) {
    return { ok: false, reason: "taken-down", detail: `This track was taken down on ${iso(availability.takedownAt)}.` };
  }
  const here = availability.rules.filter((r) => licensesOnDemand(r) && ruleCoversTerritory(r, country));
  if (here.length === 0) {
    return { ok: false, reason: "territory", detail: `This track is not licensed for streaming in ${country}.` };
  }
  const notEnded = (r: AvailabilityRule) => r.end === undefined || at < r.end;
  const started = (r: AvailabilityRule) => r.start === undefined || r.start <= at;
  if (!here.some(notEnded)) {
    const lastEnd = Math.max(...here.map((r) => r.end ?? 0));
    return {
      ok: false,
      reason: "taken-down",
      detail: `The licence for this track in ${country} ended on ${iso(lastEnd)}.`,
    };
  }
  const forTier = here.filter((r) => r.tiers.includes(tier));
  if (forTier.some((r) => started(r) && notEnded(r))) return { ok: true };
  const upcoming = forTier.filter((r) => !started(r) && notEnded(r)).map((r) => r.start as number);
  if (upcoming.length > 0) {
    const from = Math.min(...upcoming);
    return {
      ok: false,
      reason: "not-yet-released",
      detail: `This track is released for ${TIER_NAMES[tier]} listeners in ${country} on ${iso(from)}.`,
      availableFrom: from,
    };
  }
  const licensed = [...new Set(here.filter(notEnded).flatMap((r) => r.tiers))];
  return {
    ok: false,
    reason: "tier-not-licensed",
    detail:
      licensed.length > 0
        ? `In ${country} this track is licensed for ${licensed.map((t) => TIER_NAMES[t]).join(" and ")} listeners only.`
        : `This track is not licensed for ${TIER_NAMES[tier]} listeners in ${country}.`,
  };
}
