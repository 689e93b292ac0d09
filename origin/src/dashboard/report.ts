/**
 * The leadership dashboard: warehouse queries (queries.ts) combined with what prices them. CDN egress is priced at
 * each CDN's list price for the listener's country (steering's cost table in edge state, country then `default`,
 * integer micro-units per GB; commits are not amortised here); ad revenue is impressions x the campaign's CPM (minor
 * units, rounded half up per campaign and period). ARPU, churn and trial conversion need billing's revenue ledger,
 * which does not exist yet: they are answered as unavailable with that reason, never as zeros.
 */

import type { CdnId } from "@cadence/shared/cdn/cdn-id";
import { BYTES_PER_GB, listPriceMicros } from "@cadence/shared/steering/cost";
import { costMicros, microsToDecimal } from "@cadence/shared/steering/money";
import { countryKey, DEFAULT_REGION } from "@cadence/shared/steering/regions";
import { readSteeringConfig } from "@cadence/shared/steering/store";
import type { Redis } from "@upstash/redis";
import { CURRENCY } from "../ads/records";
import type { Database } from "../db/client";
import { adCampaigns } from "../db/schema";
import type { Warehouse } from "../warehouse/warehouse";
import * as q from "./queries";

export interface DashboardDeps {
  db: Database;
  redis: Redis;
  warehouse: Warehouse;
}

export async function dashboardReport(services: DashboardDeps, range: q.DashboardRange) {
  const w = services.warehouse;
  const [activity, totals, streams, egress, ads, listeners, steering, campaigns] = await Promise.all([
    q.activity(w, range),
    q.totals(w, range),
    q.qualifiedStreams(w, range),
    q.cdnEgress(w, range),
    q.adDelivery(w, range),
    q.listenersInRange(w, range),
    readSteeringConfig(services.redis),
    services.db.select({ id: adCampaigns.id, name: adCampaigns.name, cpm: adCampaigns.cpmMinor }).from(adCampaigns),
  ]);

  const streamsByPeriod = new Map<string, number>();
  for (const s of streams) streamsByPeriod.set(s.period, (streamsByPeriod.get(s.period) ?? 0) + s.qualified_streams);
  const totalStreams = streams.reduce((n, s) => n + s.qualified_streams, 0);

  let egressMicros = 0n;
  let egressBytes = 0;
  const egressRows = egress.map((e) => {
    const price = listPriceMicros(steering, e.cdn as CdnId, [countryKey(e.country), DEFAULT_REGION]);
    const cost = costMicros(e.bytes, price);
    egressMicros += cost;
    egressBytes += e.bytes;
    return {
      ...e,
      gb: round3(e.bytes / BYTES_PER_GB),
      price_per_gb: microsToDecimal(price),
      cost: microsToDecimal(Number(cost)),
    };
  });

  const cpmById = new Map(campaigns.map((c) => [c.id, c]));
  let revenueMinor = 0n;
  let impressions = 0;
  let notUsed = 0;
  const adRows = ads.map((a) => {
    const campaign = cpmById.get(a.campaign_id);
    const revenue = campaign ? (BigInt(a.impressions) * BigInt(campaign.cpm) + 500n) / 1000n : 0n;
    revenueMinor += revenue;
    impressions += a.impressions;
    notUsed += a.not_used;
    return {
      ...a,
      campaign_name: campaign?.name ?? null,
      revenue_minor: revenue.toString(),
      ...(campaign ? {} : { note: "campaign not in the ad server: no CPM to price it" }),
    };
  });

  return {
    range,
    warehouse: w.engine.name,
    currency: CURRENCY,
    summary: {
      plays: totals.reduce((n, t) => n + t.plays, 0),
      qualified_streams: totalStreams,
      active_listeners: listeners,
      cdn_egress_gb: round3(egressBytes / BYTES_PER_GB),
      cdn_cost: microsToDecimal(Number(egressMicros)),
      cdn_cost_per_1000_streams: totalStreams
        ? microsToDecimal(Number((egressMicros * 1000n) / BigInt(totalStreams)))
        : null,
      cdn_cost_per_listener: listeners ? microsToDecimal(Number(egressMicros / BigInt(listeners))) : null,
      ad_impressions: impressions,
      ad_fill_rate: impressions + notUsed ? round3(impressions / (impressions + notUsed)) : null,
      ad_revenue_minor: revenueMinor.toString(),
    },
    periods: totals.map((t) => ({ ...t, qualified_streams: streamsByPeriod.get(t.period) ?? 0 })),
    by_country_tier: mergeActivity(activity, streams),
    cdn_egress: egressRows,
    ads: adRows,
    revenue: {
      available: false,
      reason: "no revenue data yet",
      arpu: null,
      churn: null,
      trial_conversion: null,
    },
    notes: {
      ad_fill_rate: "impressions / (impressions + VAST notUsed) over the range",
      cdn_cost: "list price per GB for the listener's country (steering cost table); commits not amortised",
    },
  };
}

function mergeActivity(activity: q.ActivityRow[], streams: q.StreamsRow[]) {
  const key = (r: { period: string; country: string; tier: string }) => `${r.period}|${r.country}|${r.tier}`;
  const out = new Map<string, q.ActivityRow & { qualified_streams: number }>();
  for (const a of activity) out.set(key(a), { ...a, qualified_streams: 0 });
  for (const s of streams) {
    const row = out.get(key(s)) ?? {
      period: s.period,
      country: s.country,
      tier: s.tier,
      plays: 0,
      active_listeners: 0,
      qualified_streams: 0,
    };
    row.qualified_streams = s.qualified_streams;
    out.set(key(s), row);
  }
  return [...out.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
