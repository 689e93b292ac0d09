/**
 * The benchmark's events: enriched events as the edge would queue them, deterministic from a sequence number, in the
 * real mix (60 % plays, 10 % ad beacons, 30 % QoE samples) over 50,000 listeners; most played seconds ago, one in
 * fifty an offline play up to 20 days late.
 */
import type { EnrichedEvent } from "@cadence/shared/events/message";

const COUNTRIES = ["US", "DE", "GB", "FR", "BR", "SE", "JP"];
const TIERS = ["free", "premium", "hifi"] as const;
const CDNS = ["cloudflare", "akamai", "cloudfront"] as const;

export function benchEvents(message: number, count: number): EnrichedEvent[] {
  const now = Date.now();
  const out: EnrichedEvent[] = [];
  for (let k = 0; k < count; k++) {
    const i = message * count + k;
    const user = (i * 7919) % 50_000;
    const edge = {
      user_id: `acc_bench_${user}`,
      tier: TIERS[user % 3] as (typeof TIERS)[number],
      account_country: COUNTRIES[user % 7] as string,
      country: COUNTRIES[user % 7] as string,
      colo: "FRA",
      asn: 3320,
      received_at: now,
      request_id: `req_${message}`,
      flags: [],
      source: "client" as const,
    };
    const base = {
      event_id: crypto.randomUUID(),
      session_id: `ses_bench_${Math.floor(i / 5)}`,
      client_ts: new Date(now - (i % 50 === 0 ? (i * 104_729) % (20 * 86_400_000) : (i * 37) % 10_000)).toISOString(),
      edge,
    };
    const kind = i % 10;
    if (kind < 6) {
      out.push({ ...base, type: "play_progress", track_id: `trk_${i % 2000}`, ms_played: (i * 31) % 240_000 });
    } else if (kind === 6) {
      out.push({
        ...base,
        type: "ad_impression",
        ad_serving_id: `srv_${i}`,
        campaign_id: "cmp_bench",
        creative_id: "crv_1",
      });
    } else {
      out.push({
        ...base,
        type: "qoe_segment",
        cdn: CDNS[i % 3] as (typeof CDNS)[number],
        rendition: "aac-256",
        bytes: 192_000,
        ttfb_ms: 30,
        download_ms: 90,
      });
    }
  }
  return out;
}
