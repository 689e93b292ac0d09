/**
 * Mapping between the rows in libSQL, the advertiser API's JSON, and the compact record the edge decides from.
 */
import type { DeviceType, EdgeCampaign, EdgeCreative, FrequencyCap, Targeting } from "@cadence/shared/ads/model";
import type { adCampaigns, adCreatives } from "../db/schema";

export type CampaignRow = typeof adCampaigns.$inferSelect;
export type CreativeRow = typeof adCreatives.$inferSelect;

/** What the packager stored about a creative's files. */
export type CreativeMedia = Pick<EdgeCreative, "mediaFiles" | "mezzanine" | "hls">;

export const UNIVERSAL_AD_ID_REGISTRY = "cadence.example";
export const CURRENCY = "USD";

const iso = (ms: number) => new Date(ms).toISOString();

export function campaignJson(row: CampaignRow) {
  const t = row.targeting as Targeting;
  return {
    id: row.id,
    advertiser_id: row.advertiserId,
    name: row.name,
    status: row.status,
    flight_start: iso(row.flightStart),
    flight_end: iso(row.flightEnd),
    currency: CURRENCY,
    total_budget_minor: row.totalBudgetMinor,
    daily_budget_minor: row.dailyBudgetMinor,
    cpm_minor: row.cpmMinor,
    priority: row.priority,
    weight: row.weight,
    pacing: row.pacing,
    targeting: {
      countries: t.countries,
      tiers: t.tiers,
      genres: t.genres,
      dayparts: t.dayparts.map((d) => ({ days: d.days, start_hour: d.startHour, end_hour: d.endHour })),
      device_types: t.deviceTypes,
    },
    frequency_caps: (row.frequencyCaps as FrequencyCap[]).map((f) => ({
      count: f.count,
      window_seconds: f.windowSeconds,
    })),
    category: row.category,
    advertiser_domain: row.advertiserDomain,
    creative_ids: row.creativeIds as string[],
    version: row.version,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

export function creativeJson(row: CreativeRow) {
  const media = row.media as CreativeMedia;
  return {
    id: row.id,
    advertiser_id: row.advertiserId,
    name: row.name,
    universal_ad_id: { id_registry: UNIVERSAL_AD_ID_REGISTRY, value: row.universalAdId },
    duration_ms: row.durationMs,
    source_loudness_lufs: row.sourceLoudnessCentiLufs / 100,
    loudness_lufs: row.loudnessCentiLufs / 100,
    true_peak_dbtp: row.truePeakCentiDbtp / 100,
    media: {
      path: row.mediaPath,
      renditions: media.mediaFiles,
      mezzanine: media.mezzanine,
      hls: { playlist: media.hls.playlist, segments: media.hls.segments.length, bandwidth: media.hls.bandwidth },
    },
    created_at: iso(row.createdAt),
  };
}

/** API targeting (snake_case) to the model's. */
export function targetingOf(input: {
  countries: string[];
  tiers: Targeting["tiers"];
  genres: string[];
  dayparts: Array<{ days: number[]; start_hour: number; end_hour: number }>;
  device_types: DeviceType[];
}): Targeting {
  return {
    countries: [...new Set(input.countries.map((c) => c.toUpperCase()))],
    tiers: [...new Set(input.tiers)],
    genres: [...new Set(input.genres.map((g) => g.trim().toLowerCase()))],
    dayparts: input.dayparts.map((d) => ({ days: [...new Set(d.days)], startHour: d.start_hour, endHour: d.end_hour })),
    deviceTypes: [...new Set(input.device_types)],
  };
}

export function edgeCreativeOf(row: CreativeRow): EdgeCreative {
  const media = row.media as CreativeMedia;
  return {
    id: row.id,
    title: row.name,
    universalAdId: row.universalAdId,
    universalAdIdRegistry: UNIVERSAL_AD_ID_REGISTRY,
    durationMs: row.durationMs,
    path: row.mediaPath,
    mediaFiles: media.mediaFiles,
    mezzanine: media.mezzanine,
    hls: media.hls,
  };
}

export function edgeCampaignOf(row: CampaignRow, creatives: CreativeRow[]): EdgeCampaign {
  const byId = new Map(creatives.map((c) => [c.id, c]));
  return {
    id: row.id,
    advertiserId: row.advertiserId,
    advertiserDomain: row.advertiserDomain,
    name: row.name,
    status: row.status,
    flightStart: row.flightStart,
    flightEnd: row.flightEnd,
    totalBudgetMinor: row.totalBudgetMinor,
    dailyBudgetMinor: row.dailyBudgetMinor,
    cpmMinor: row.cpmMinor,
    priority: row.priority,
    weight: row.weight,
    pacing: row.pacing,
    targeting: row.targeting as Targeting,
    frequencyCaps: row.frequencyCaps as FrequencyCap[],
    category: row.category,
    creatives: (row.creativeIds as string[]).flatMap((id) => {
      const c = byId.get(id);
      return c ? [edgeCreativeOf(c)] : [];
    }),
    version: row.version,
  };
}
