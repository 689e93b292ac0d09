/**
 * How delivered identifiers become catalog ids, and how DDEX deals become the compact availability rules the edge
 * decides plays with. Ids are derived from industry identifiers, so the same recording or release delivered twice,
 * by any message, lands on the same row.
 */
import { createHash } from "node:crypto";
import type { Tier } from "@cadence/shared/auth/claims";
import type { Availability, AvailabilityRule } from "@cadence/shared/catalog/edge-track";

const short = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 16);

export const trackIdOf = (isrc: string) => `trk_${isrc.toLowerCase()}`;
export const releaseIdOf = (key: string) =>
  key.startsWith("icpn:")
    ? `rel_${key.slice(5)}`
    : key.startsWith("grid:")
      ? `rel_${key.slice(5).toLowerCase()}`
      : `rel_${short(key)}`;
export const labelIdOf = (name: string) => `lbl_${short(name.trim().toLowerCase())}`;
/** Artists are identified by ISNI when the message has one, else by name (what listeners see as one artist). */
export const artistIdOf = (party: { name: string; isni?: string }) =>
  party.isni ? `art_isni${party.isni.replace(/\s/g, "")}` : `art_${short(party.name.trim().toLowerCase())}`;

/** Which tiers a DDEX commercial model licenses. Models that are not streaming (PayAsYouGo: downloads) license none. */
export function tiersOf(commercialModels: string[]): Tier[] {
  const tiers = new Set<Tier>();
  for (const model of commercialModels) {
    if (model === "SubscriptionModel") {
      tiers.add("premium");
      tiers.add("hifi");
    } else if (model === "AdvertisementSupportedModel") tiers.add("free");
    else if (model === "FreeOfChargeModel") {
      tiers.add("free");
      tiers.add("premium");
      tiers.add("hifi");
    }
  }
  return [...tiers].sort();
}

export interface DealRow {
  territories: string[];
  excluded: string[];
  startAt: number | null;
  endAt: number | null;
  commercialModels: string[];
  useTypes: string[];
}

const STREAM_USE = (useType: string) => useType.endsWith("Stream");

/**
 * Deals as rules, compacted for the hot path: deals that license no streaming or no tier are dropped, and deals that
 * differ only by territory are merged (an official message's hundreds of per-country deals become a handful of rules).
 */
export function availabilityOf(deals: DealRow[], takedownAt: number | null): Availability {
  const merged = new Map<string, AvailabilityRule>();
  for (const deal of deals) {
    const tiers = tiersOf(deal.commercialModels);
    const useTypes = [...new Set(deal.useTypes.filter(STREAM_USE))].sort();
    if (tiers.length === 0 || useTypes.length === 0) continue;
    const excluded = [...deal.excluded].sort();
    const key = JSON.stringify([deal.startAt, deal.endAt, tiers, useTypes, excluded]);
    const rule = merged.get(key);
    if (rule) {
      for (const t of deal.territories) if (!rule.territories.includes(t)) rule.territories.push(t);
    } else {
      merged.set(key, {
        territories: [...deal.territories],
        excluded,
        ...(deal.startAt === null ? {} : { start: deal.startAt }),
        ...(deal.endAt === null ? {} : { end: deal.endAt }),
        tiers,
        useTypes,
      });
    }
  }
  const rules = [...merged.values()];
  for (const rule of rules) {
    rule.territories = rule.territories.includes("Worldwide") ? ["Worldwide"] : rule.territories.sort();
  }
  // When every deal has ended, the track is taken down from the last end.
  const ends = rules.map((r) => r.end);
  const allEnd = rules.length > 0 && ends.every((e) => e !== undefined) ? Math.max(...(ends as number[])) : undefined;
  const candidates = [takedownAt ?? undefined, allEnd].filter((v): v is number => v !== undefined);
  return { rules, ...(candidates.length > 0 ? { takedownAt: Math.min(...candidates) } : {}) };
}
