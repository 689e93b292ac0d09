/**
 * Pacing: how much a campaign may have spent by now, so a daily budget lasts the whole day (even), is spent early
 * on purpose (front-loaded), or as fast as traffic allows (asap). The plan is recomputed at every decision from
 * what was actually delivered, so a slow morning is caught up later instead of being lost.
 *
 * With a daily budget the plan runs over the UTC day (clipped to the flight); without one, over the whole flight
 * against the total budget. The total budget is always a hard cap. All amounts are milli-minor units.
 */
import { DAY_MS, type EdgeCampaign, impressionPriceMilli, MILLI, type PacingMode, utcDayStart } from "./model";

/** Share of the budget the plan allows once `elapsed` (0..1) of the period has passed. */
export function planShare(mode: PacingMode, elapsed: number): number {
  const f = Math.min(1, Math.max(0, elapsed));
  switch (mode) {
    case "even":
      return f;
    case "front_loaded":
      return 1 - (1 - f) * (1 - f); // three quarters of the budget in the first half
    case "asap":
      return 1;
  }
}

export interface SpendCeilings {
  /** Most the day's spend (with open reservations) may reach now; null without a daily budget. */
  daily: number | null;
  /** Most the campaign's total spend (with open reservations) may reach now. */
  total: number;
}

/** The current period of the plan and how far into it `now` is. */
export function pacingPeriod(campaign: EdgeCampaign, now: number): { start: number; end: number; elapsed: number } {
  const start =
    campaign.dailyBudgetMinor !== null ? Math.max(utcDayStart(now), campaign.flightStart) : campaign.flightStart;
  const end =
    campaign.dailyBudgetMinor !== null ? Math.min(utcDayStart(now) + DAY_MS, campaign.flightEnd) : campaign.flightEnd;
  const elapsed = end > start ? (now - start) / (end - start) : 1;
  return { start, end, elapsed: Math.min(1, Math.max(0, elapsed)) };
}

/**
 * The ceilings at `now`. The plan is allowed a little headroom (one impression, or 0.5% of the budget) so the first
 * impressions of a period can serve and rounding never starves a campaign; it is never allowed past the budget.
 */
export function spendCeilings(campaign: EdgeCampaign, now: number): SpendCeilings {
  const totalBudget = campaign.totalBudgetMinor * MILLI;
  const price = impressionPriceMilli(campaign);
  const { elapsed } = pacingPeriod(campaign, now);
  const share = planShare(campaign.pacing, elapsed);
  if (campaign.dailyBudgetMinor !== null) {
    const dailyBudget = campaign.dailyBudgetMinor * MILLI;
    const headroom = Math.max(price, Math.floor(dailyBudget / 200));
    return { daily: Math.min(dailyBudget, Math.floor(dailyBudget * share) + headroom), total: totalBudget };
  }
  const headroom = Math.max(price, Math.floor(totalBudget / 200));
  return { daily: null, total: Math.min(totalBudget, Math.floor(totalBudget * share) + headroom) };
}

export type PacingStatus = "ahead" | "on_track" | "behind";

/**
 * Delivered against the plan for the elapsed share of the period: more than 10% over is ahead, more than 10% under
 * is behind. `spentMilli` is the spend of the period (the day with a daily budget, the flight without).
 */
export function pacingStatus(campaign: EdgeCampaign, spentMilli: number, at: number): PacingStatus {
  const budget = (campaign.dailyBudgetMinor ?? campaign.totalBudgetMinor) * MILLI;
  const planned = budget * planShare(campaign.pacing, pacingPeriod(campaign, at).elapsed);
  const slack = Math.max(impressionPriceMilli(campaign), budget / 200);
  if (spentMilli > planned * 1.1 + slack) return "ahead";
  if (spentMilli < planned * 0.9 - slack) return "behind";
  return "on_track";
}
