/**
 * The advertiser API as the console reads it (`/v1/advertiser/...` on the api worker, answered by the origin):
 * campaigns, creatives and per-day reports. Snake_case, money in integer minor units, time in ISO 8601.
 */

export type PacingStatus = "ahead" | "on_track" | "behind";

export interface Campaign {
  id: string;
  advertiser_id: string;
  name: string;
  status: "active" | "paused";
  flight_start: string;
  flight_end: string;
  currency: string;
  total_budget_minor: number;
  daily_budget_minor: number | null;
  cpm_minor: number;
  priority: "sponsorship" | "standard" | "house";
  weight: number;
  pacing: "even" | "front_loaded" | "asap";
  targeting: {
    countries: string[];
    tiers: string[];
    genres: string[];
    dayparts: Array<{ days: number[]; start_hour: number; end_hour: number }>;
    device_types: string[];
  };
  frequency_caps: Array<{ count: number; window_seconds: number }>;
  category: string | null;
  advertiser_domain: string;
  creative_ids: string[];
  version: number;
}

export type CampaignInput = Omit<Campaign, "id" | "advertiser_id" | "currency" | "version">;

export interface Creative {
  id: string;
  advertiser_id: string;
  name: string;
  universal_ad_id: { id_registry: string; value: string };
  duration_ms: number;
  source_loudness_lufs: number;
  loudness_lufs: number;
  true_peak_dbtp: number;
  media: {
    path: string;
    renditions: Array<{ file: string; mimeType: string; codec: string; bitrateKbps: number; bytes: number }>;
  };
  created_at: string;
}

export interface ReportDay {
  date: string;
  served: number;
  impressions: number;
  starts: number;
  first_quartiles: number;
  midpoints: number;
  third_quartiles: number;
  completes: number;
  skips: number;
  spend_minor: number;
  pacing_status: PacingStatus | null;
}

export interface CampaignReport {
  campaign_id: string;
  currency: string;
  from: string;
  to: string;
  days: ReportDay[];
  totals: Omit<ReportDay, "date" | "pacing_status">;
  delivery: {
    total_budget_minor: number;
    daily_budget_minor: number | null;
    spent_minor: number;
    spent_today_minor: number;
    budget_left_minor: number;
    pacing_status: PacingStatus | null;
  };
}

export const PRIORITIES = ["sponsorship", "standard", "house"] as const;
export const PACING = ["even", "front_loaded", "asap"] as const;
export const TIERS = ["free", "premium", "hifi"] as const;
export const DEVICE_TYPES = ["mobile", "tablet", "desktop", "speaker", "car", "tv", "other"] as const;

export const PACING_LABEL: Record<PacingStatus, string> = {
  ahead: "Ahead of plan",
  on_track: "On track",
  behind: "Behind plan",
};
