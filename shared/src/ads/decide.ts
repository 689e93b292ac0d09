/**
 * One ad decision, in the order the issue sets: eligible campaigns (flight, status, targeting, budget left) ranked by
 * priority tier and eCPM with weighted ties, then pacing, frequency caps, competitive separation and the budget
 * reservation, the last four checked and applied atomically in Redis (delivery.ts). The result is a pod of placed
 * ads with fresh AdServingIds; rendering it (VAST, splicing) is the caller's business.
 */
import { type DeliveryRedis, reservePod, type SkipReason } from "./delivery";
import { type BreakPosition, type EdgeCampaign, type EdgeCreative, impressionPriceMilli, MILLI, utcDay } from "./model";
import { spendCeilings } from "./pacing";
import { type CampaignIndex, rankCandidates } from "./ranking";
import type { ListenerContext } from "./targeting";

export interface BreakRequest {
  listener: ListenerContext;
  /** Playback session the break is spliced into, or a VAST-only id; recorded for the beacons' events. */
  session?: string;
  trackId?: string;
  position: BreakPosition;
  /** Total duration the break may last, ms. */
  maxDurationMs: number;
  maxAds: number;
}

export interface PlacedAd {
  adServingId: string;
  /** 1-based position in the pod. */
  sequence: number;
  campaign: EdgeCampaign;
  creative: EdgeCreative;
  priceMilli: number;
}

export interface AdPod {
  ads: PlacedAd[];
}

/**
 * Per-isolate memory of campaigns that just failed a budget or pacing guard, so the next decisions skip them
 * without a Redis round trip. Budget failures are remembered longer than pacing ones (pacing frees up continuously).
 */
export class GuardMemo {
  private readonly until = new Map<string, number>();
  constructor(
    private readonly budgetMs = 10_000,
    private readonly pacingMs = 500,
  ) {}
  note(campaignId: string, reason: SkipReason | "", now: number): void {
    if (reason === "budget" || reason === "daily-budget") this.until.set(campaignId, now + this.budgetMs);
    else if (reason === "pacing") this.until.set(campaignId, now + this.pacingMs);
  }
  blocked(campaignId: string, now: number): boolean {
    const until = this.until.get(campaignId);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(campaignId);
    return false;
  }
  clear(): void {
    this.until.clear();
  }
}

export interface DecideOptions {
  now: number;
  /** How long a served ad's budget stays reserved without an impression or notUsed. */
  reservationTtlMs: number;
  memo?: GuardMemo;
  random?: () => number;
  newId?: () => string;
  /** How many ranked candidates are sent to the reservation step (default: 4 per ad, at least 12). */
  candidateLimit?: number;
}

/** Separation keys: the advertiser (by id and domain) and the competitive category. */
export function separationKeys(campaign: EdgeCampaign): string[] {
  const keys = [`adv:${campaign.advertiserId}`, `dom:${campaign.advertiserDomain.toLowerCase()}`];
  if (campaign.category) keys.push(`cat:${campaign.category.toLowerCase()}`);
  return keys;
}

export async function decideBreak(
  index: CampaignIndex,
  request: BreakRequest,
  redis: DeliveryRedis,
  options: DecideOptions,
): Promise<AdPod> {
  const { now, memo } = options;
  if (request.maxAds < 1 || request.maxDurationMs <= 0) return { ads: [] };
  const candidates = rankCandidates(index, request.listener, now, {
    maxDurationMs: request.maxDurationMs,
    limit: options.candidateLimit ?? Math.max(12, request.maxAds * 4),
    random: options.random,
    exhausted: memo ? (id) => memo.blocked(id, now) : undefined,
  });
  if (candidates.length === 0) return { ads: [] };
  const newId = options.newId ?? (() => crypto.randomUUID());
  const podCandidates = candidates.map(({ campaign, creative }) => {
    const ceilings = spendCeilings(campaign, now);
    return {
      adServingId: newId(),
      campaignId: campaign.id,
      creativeId: creative.id,
      priceMilli: impressionPriceMilli(campaign),
      durationMs: creative.durationMs,
      dailyCeilingMilli: ceilings.daily ?? -1,
      totalCeilingMilli: ceilings.total,
      dailyBudgetMilli: campaign.dailyBudgetMinor === null ? -1 : campaign.dailyBudgetMinor * MILLI,
      totalBudgetMilli: campaign.totalBudgetMinor * MILLI,
      caps: campaign.frequencyCaps.map((cap) => ({ count: cap.count, windowMs: cap.windowSeconds * 1000 })),
      separation: separationKeys(campaign),
    };
  });
  const reservation = await reservePod(redis, {
    now,
    day: utcDay(now),
    listener: request.listener.sub,
    session: request.session ?? "",
    trackId: request.trackId ?? "",
    maxAds: request.maxAds,
    maxDurationMs: request.maxDurationMs,
    reservationTtlMs: options.reservationTtlMs,
    candidates: podCandidates,
  });
  if (memo) {
    for (const [i, reason] of reservation.reasons.entries()) memo.note(podCandidates[i]?.campaignId ?? "", reason, now);
  }
  const ads: PlacedAd[] = [];
  for (const i of reservation.picks) {
    const candidate = candidates[i];
    const pod = podCandidates[i];
    if (!candidate || !pod) continue;
    ads.push({
      adServingId: pod.adServingId,
      sequence: ads.length + 1,
      campaign: candidate.campaign,
      creative: candidate.creative,
      priceMilli: pod.priceMilli,
    });
  }
  return { ads };
}
