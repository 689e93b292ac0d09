/**
 * The ops steering API as the console reads it (`/v1/ops/steering...` on the api worker): the versioned config
 * document, the live state of one client region (scores with their parts and reasons, shares, cost, usage), and the
 * audit log. Prices are decimal strings per GB, costs in micro-units; both stay exact (no floats) until displayed.
 */

export const CDNS = ["cloudfront", "akamai", "cloudflare"] as const;
export type Cdn = (typeof CDNS)[number];

export interface CommitTier {
  volumeGb: number;
  pricePerGb: string;
  burstPricePerGb: string;
}

export interface RegionOverride {
  pin?: Cdn;
  drain?: Cdn[];
  exclude?: Cdn[];
  shares?: Partial<Record<Cdn, number>>;
}

export interface SteeringConfig {
  version: number;
  updatedAt: number;
  weights: { cost: number; quality: number };
  thresholds: Record<string, number>;
  failoverOrder: Cdn[];
  prices: Record<string, Partial<Record<Cdn, string>>>;
  commits: Partial<Record<Cdn, CommitTier>>;
  regions: Record<string, RegionOverride>;
}

export interface PathwayScore {
  cdn: Cdn;
  status: "eligible" | "trial" | "drained" | "down" | "excluded";
  sharePercent: number;
  score?: number;
  parts: { cost: number; latency: number; errors: number };
  quality: {
    basis: string;
    samples: number;
    ttfbMs?: number;
    throughputBps?: number;
    segmentMs?: number;
    availability?: number;
  };
  health: { status: string; since?: number; trialAt?: number; probe?: string };
  cost: { listMicrosPerGb: number; marginalMicrosPerGb: number; basis: string; detail: string };
  reasons: string[];
}

export interface SteeringState {
  region: { country: string; continent: string; chain: string[] };
  mode: string;
  config_version: number;
  ttl_seconds: number;
  shares: Partial<Record<Cdn, number>>;
  scores: PathwayScore[];
  usage: { month: string; bytes: Partial<Record<Cdn, number>> };
}

/** Measured quality of one CDN in one region (time-decayed averages over players' reports). */
export interface CdnMeasure {
  samples: number;
  availability?: number;
  ttfbMs?: number;
  ttfbTailMs?: number;
  throughputBps?: number;
  segmentMs?: number;
}

export interface QualityAnswer {
  at: number;
  /** `country:US` or `continent:NA`, only regions with measurements. */
  regions: Array<{ region: string; cdns: Partial<Record<Cdn, CdnMeasure>> }>;
}

export interface AuditEntry {
  id: string;
  at: number;
  actor: { sub: string; email?: string };
  action: string;
  entity: string;
  entityVersion?: number;
  old: unknown;
  new: unknown;
}

/** Client regions the console offers: a country with its continent (what the edge resolves for a request). */
export const REGIONS: Array<{ country: string; continent: string; name: string }> = [
  { country: "US", continent: "NA", name: "United States" },
  { country: "CA", continent: "NA", name: "Canada" },
  { country: "DE", continent: "EU", name: "Germany" },
  { country: "GB", continent: "EU", name: "United Kingdom" },
  { country: "FR", continent: "EU", name: "France" },
  { country: "BR", continent: "SA", name: "Brazil" },
  { country: "IN", continent: "AS", name: "India" },
  { country: "JP", continent: "AS", name: "Japan" },
  { country: "AU", continent: "OC", name: "Australia" },
  { country: "ZA", continent: "AF", name: "South Africa" },
];

export const CONTINENTS = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"] as const;
