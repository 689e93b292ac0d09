/**
 * What ops control in steering, as one versioned document kept in Redis and changed only through the ops API (every
 * change audited at the origin): the weight of cost against quality, thresholds (availability, hysteresis,
 * stabilisation band, sample counts, shares for exploration and trials, manifest TTL), the failover order used
 * without data, prices per GB by region, commit tiers per CDN, and per-region overrides (pin, drain, exclude, fixed
 * shares). The zod schemas here are the one validation both the ops API and the benchmark's world files use.
 */
import { z } from "zod";
import { CDN_IDS, type CdnId } from "../cdn/cdn-id";
import { decimalToMicros } from "./money";
import { DEFAULT_REGION, isRegionKey } from "./regions";

export interface SteeringThresholds {
  /** A CDN whose measured availability in a region falls below this is out (NS1's default is 90%). */
  availabilityPercent: number;
  /** How long a CDN that went out stays out before it gets a trial share again. */
  hysteresisSeconds: number;
  /** Stabilisation band: CDNs within this % or these ms of the best segment time count as equally fast. */
  bandPercent: number;
  bandMs: number;
  /** Decayed samples a region needs before its own measurements count (else the continent's, else none). */
  minSamples: number;
  /** Half-life of the time-decayed averages. */
  halfLifeSeconds: number;
  /** Traffic every eligible CDN keeps so it stays measured. */
  exploreSharePercent: number;
  /** Traffic a CDN coming back after the hysteresis window gets until its trial samples decide. */
  trialSharePercent: number;
  /** TTL of steering manifests: how soon players ask again. */
  manifestTtlSeconds: number;
}

export interface CommitTier {
  /** Committed volume per calendar month (UTC), in GB (10^9 bytes). */
  volumeGb: number;
  /** Price per GB inside the commit (paid whether used or not), decimal string. */
  pricePerGb: string;
  /** Price per GB above the commit, decimal string. */
  burstPricePerGb: string;
}

export interface RegionOverride {
  /** Every session in the region starts on this CDN while it is healthy. */
  pin?: CdnId;
  /** No new traffic; still listed last so players can fail over to it. */
  drain?: CdnId[];
  /** Never listed in the region. */
  exclude?: CdnId[];
  /** Fixed traffic shares in percent (adding up to 100) instead of the scored ones. */
  shares?: Partial<Record<CdnId, number>>;
}

export interface SteeringConfig {
  /** Increments on every change; the ops API writes only over the version it read. */
  version: number;
  /** Epoch ms of the last change. */
  updatedAt: number;
  /** Integer percentages adding up to 100. */
  weights: { cost: number; quality: number };
  thresholds: SteeringThresholds;
  /** The order used where no CDN has measurements yet. */
  failoverOrder: CdnId[];
  /** Price per GB by region key (country, continent or `default`) and CDN; `default` prices every CDN. */
  prices: Record<string, Partial<Record<CdnId, string>>>;
  commits: Partial<Record<CdnId, CommitTier>>;
  /** Overrides by region key. */
  regions: Record<string, RegionOverride>;
}

export const DEFAULT_THRESHOLDS: SteeringThresholds = {
  availabilityPercent: 90,
  hysteresisSeconds: 300,
  bandPercent: 10,
  bandMs: 15,
  minSamples: 20,
  halfLifeSeconds: 120,
  exploreSharePercent: 2,
  trialSharePercent: 10,
  manifestTtlSeconds: 60,
};

/** What a fresh install steers by until ops set real contract prices. */
export const DEFAULT_STEERING_CONFIG: SteeringConfig = {
  version: 0,
  updatedAt: 0,
  weights: { cost: 30, quality: 70 },
  thresholds: DEFAULT_THRESHOLDS,
  failoverOrder: [...CDN_IDS],
  prices: { [DEFAULT_REGION]: { cloudfront: "0.020", akamai: "0.015", cloudflare: "0.010" } },
  commits: {},
  regions: {},
};

// ---- validation -------------------------------------------------------------------------------------------------

export const cdnIdSchema = z.enum(CDN_IDS, { error: `must be one of ${CDN_IDS.join(", ")}` });
const REGION_KEY_HELP =
  "must be an ISO 3166-1 alpha-2 country (e.g. DE), a continent (AF AN AS EU NA OC SA) or `default`";

/** A record keyed by region: unknown keys are reported by name (zod's own message would only say "Invalid key"). */
function byRegion<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (!isRegionKey(key)) ctx.addIssue({ code: "custom", path: [key], message: `${key} ${REGION_KEY_HELP}` });
    }
  });
}
const percent = z.number().int("must be a whole percent").min(0, "must be >= 0").max(100, "must be <= 100");
export const priceSchema = z
  .string({ error: 'must be a decimal string such as "0.0085" (never a float)' })
  .refine((v) => decimalToMicros(v) !== undefined, {
    error: 'must be a non-negative decimal string with at most 6 decimal places, e.g. "0.0085"',
  });

export const weightsSchema = z
  .object({ cost: percent, quality: percent })
  .strict()
  .refine((w) => w.cost + w.quality === 100, { error: "cost and quality must add up to 100" });

export const thresholdsSchema = z
  .object({
    availabilityPercent: z.number().min(50).max(100),
    hysteresisSeconds: z.number().int().min(30).max(600),
    bandPercent: z.number().min(0).max(100),
    bandMs: z.number().int().min(0).max(1000),
    minSamples: z.number().int().min(1).max(100_000),
    halfLifeSeconds: z.number().int().min(10).max(600),
    exploreSharePercent: z.number().min(0).max(20),
    trialSharePercent: z.number().min(1).max(50),
    manifestTtlSeconds: z.number().int().min(10).max(3600),
  })
  .strict();

export const failoverOrderSchema = z
  .array(cdnIdSchema)
  .min(1)
  .refine((order) => new Set(order).size === order.length, { error: "must not repeat a CDN" });

const regionPricesSchema = z.partialRecord(cdnIdSchema, priceSchema);
export const pricesSchema = byRegion(regionPricesSchema).refine(
  (prices) => CDN_IDS.every((cdn) => prices[DEFAULT_REGION]?.[cdn] !== undefined),
  {
    error: `\`default\` must price every CDN (${CDN_IDS.join(", ")})`,
  },
);

export const commitSchema = z
  .object({
    volumeGb: z.number().int("must be whole GB").min(1, "must be at least 1 GB"),
    pricePerGb: priceSchema,
    burstPricePerGb: priceSchema,
  })
  .strict();
export const commitsSchema = z.partialRecord(cdnIdSchema, commitSchema);

export const regionOverrideSchema = z
  .object({
    pin: cdnIdSchema.optional(),
    drain: z.array(cdnIdSchema).optional(),
    exclude: z.array(cdnIdSchema).optional(),
    shares: z
      .partialRecord(cdnIdSchema, percent)
      .refine((s) => Object.values(s).reduce((a, b) => a + (b ?? 0), 0) === 100, {
        error: "shares must add up to 100",
      })
      .optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const excluded = new Set(o.exclude ?? []);
    if (o.pin && (excluded.has(o.pin) || (o.drain ?? []).includes(o.pin))) {
      ctx.addIssue({ code: "custom", path: ["pin"], message: "cannot pin a CDN that is drained or excluded" });
    }
    if (excluded.size >= CDN_IDS.length) {
      ctx.addIssue({ code: "custom", path: ["exclude"], message: "must leave at least one CDN" });
    }
    for (const cdn of Object.keys(o.shares ?? {})) {
      if (excluded.has(cdn as CdnId)) {
        ctx.addIssue({ code: "custom", path: ["shares", cdn], message: "an excluded CDN cannot have a share" });
      }
    }
  });
export const regionsSchema = byRegion(regionOverrideSchema);

export const steeringConfigSchema = z
  .object({
    version: z.number().int().min(0),
    updatedAt: z.number().int().min(0),
    weights: weightsSchema,
    thresholds: thresholdsSchema,
    failoverOrder: failoverOrderSchema,
    prices: pricesSchema,
    commits: commitsSchema,
    regions: regionsSchema,
  })
  .strict();

/** Parses a stored config; anything unreadable falls back to the defaults rather than stopping steering. */
export function parseStoredConfig(raw: unknown): SteeringConfig | undefined {
  const value = typeof raw === "string" ? safeJson(raw) : raw;
  const parsed = steeringConfigSchema.safeParse(value);
  return parsed.success ? (parsed.data as SteeringConfig) : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
