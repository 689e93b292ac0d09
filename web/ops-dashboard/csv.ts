/**
 * The dashboard's answer (`GET /v1/ops/dashboard`) and its CSV export: one section per table (periods, by country and
 * tier, CDN egress, ads), each with a header row, RFC 4180 quoting.
 */
export interface Dashboard {
  range: { from: string; to: string; granularity: "day" | "month"; country?: string };
  warehouse: string;
  currency: string;
  summary: {
    plays: number;
    qualified_streams: number;
    active_listeners: number;
    cdn_egress_gb: number;
    cdn_cost: string;
    cdn_cost_per_1000_streams: string | null;
    cdn_cost_per_listener: string | null;
    ad_impressions: number;
    ad_fill_rate: number | null;
    ad_revenue_minor: string;
  };
  periods: Array<{ period: string; plays: number; active_listeners: number; qualified_streams: number }>;
  by_country_tier: Array<{
    period: string;
    country: string;
    tier: string;
    plays: number;
    active_listeners: number;
    qualified_streams: number;
  }>;
  cdn_egress: Array<{
    period: string;
    cdn: string;
    country: string;
    bytes: number;
    gb: number;
    price_per_gb: string;
    cost: string;
  }>;
  ads: Array<{
    period: string;
    campaign_id: string;
    campaign_name: string | null;
    impressions: number;
    completes: number;
    not_used: number;
    revenue_minor: string;
  }>;
  revenue: { available: boolean; reason: string };
}

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

function section<T extends object>(title: string, rows: T[], columns: Array<keyof T>): string[] {
  return [
    cell(title),
    columns.map((c) => cell(c)).join(","),
    ...rows.map((r) => columns.map((c) => cell(r[c])).join(",")),
    "",
  ];
}

export function dashboardCsv(d: Dashboard): string {
  return [
    ...section("periods", d.periods, ["period", "plays", "qualified_streams", "active_listeners"]),
    ...section("by_country_tier", d.by_country_tier, [
      "period",
      "country",
      "tier",
      "plays",
      "qualified_streams",
      "active_listeners",
    ]),
    ...section("cdn_egress", d.cdn_egress, ["period", "cdn", "country", "bytes", "gb", "price_per_gb", "cost"]),
    ...section("ads", d.ads, [
      "period",
      "campaign_id",
      "campaign_name",
      "impressions",
      "completes",
      "not_used",
      "revenue_minor",
    ]),
    `revenue,${cell(d.revenue.available ? "available" : d.revenue.reason)}`,
    "",
  ].join("\r\n");
}
