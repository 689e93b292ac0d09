/**
 * Ranking: eligible campaigns in decision order. Priority tiers in order (sponsorship, standard, house); inside a tier
 * by eCPM, highest first; campaigns with equal eCPM are ordered by a weighted lottery, so traffic spreads between
 * them in proportion to their weights instead of the same one always winning.
 *
 * The index is built once per published version (sorted by tier and eCPM), so a decision walks it from the top and
 * stops as soon as it has enough candidates: with thousands of campaigns the common case touches few of them.
 */
import { type EdgeCampaign, type EdgeCreative, PRIORITY_TIERS } from "./model";
import { type Ineligibility, ineligibility, type ListenerContext, localTime } from "./targeting";

export interface CampaignIndex {
  version: number;
  /** By tier, then eCPM descending. */
  ordered: EdgeCampaign[];
  byId: Map<string, EdgeCampaign>;
}

const tierRank = (c: EdgeCampaign) => PRIORITY_TIERS.indexOf(c.priority);

/** eCPM in minor units; every campaign is bought on CPM, so it is the CPM itself. */
export const ecpm = (c: EdgeCampaign): number => c.cpmMinor;

export function buildIndex(campaigns: Iterable<EdgeCampaign>, version: number): CampaignIndex {
  const ordered = [...campaigns].sort(
    (a, b) => tierRank(a) - tierRank(b) || ecpm(b) - ecpm(a) || (a.id < b.id ? -1 : 1),
  );
  return { version, ordered, byId: new Map(ordered.map((c) => [c.id, c])) };
}

export interface Candidate {
  campaign: EdgeCampaign;
  creative: EdgeCreative;
}

export interface RankOptions {
  /** Room in the break for one ad. */
  maxDurationMs: number;
  /** Stop after this many candidates. */
  limit: number;
  random?: () => number;
  /** Campaigns known to be out of budget for now (skipped without asking Redis). */
  exhausted?: (campaignId: string) => boolean;
  /** Called with each ineligible campaign and why (tests, diagnostics). */
  onIneligible?: (campaign: EdgeCampaign, reason: Ineligibility) => void;
}

export function rankCandidates(
  index: CampaignIndex,
  listener: ListenerContext,
  now: number,
  options: RankOptions,
): Candidate[] {
  const random = options.random ?? Math.random;
  const local = localTime(now, listener.timeZone);
  const out: Candidate[] = [];
  const ordered = index.ordered;
  let i = 0;
  while (i < ordered.length && out.length < options.limit) {
    // One run of campaigns sharing tier and eCPM.
    const first = ordered[i] as EdgeCampaign;
    let j = i;
    const group: Array<{ campaign: EdgeCampaign; key: number }> = [];
    while (j < ordered.length) {
      const c = ordered[j] as EdgeCampaign;
      if (c.priority !== first.priority || ecpm(c) !== ecpm(first)) break;
      j++;
      let reason = ineligibility(c, listener, now, local, options.maxDurationMs);
      if (!reason && options.exhausted?.(c.id)) reason = "exhausted";
      if (reason) {
        options.onIneligible?.(c, reason);
        continue;
      }
      // Efraimidis-Spirakis: sorting by U^(1/w) descending is a weighted draw without replacement.
      group.push({ campaign: c, key: random() ** (1 / Math.max(1, c.weight)) });
    }
    if (group.length > 1) group.sort((a, b) => b.key - a.key);
    for (const { campaign } of group) {
      if (out.length >= options.limit) break;
      out.push({ campaign, creative: pickCreative(campaign, options.maxDurationMs, random) });
    }
    i = j;
  }
  return out;
}

/** A creative that fits, chosen evenly among those that do (eligibility guarantees one exists). */
function pickCreative(campaign: EdgeCampaign, maxDurationMs: number, random: () => number): EdgeCreative {
  const fitting = campaign.creatives.filter((c) => c.durationMs <= maxDurationMs);
  return fitting[Math.floor(random() * fitting.length)] ?? (fitting[0] as EdgeCreative);
}
