/**
 * The advertiser side of the ad system in libSQL: campaigns and creatives, owned by an advertiser (the `advertisers`
 * table, identity.ts). This is the system of record; the edge decides from the compact copy the publisher puts
 * in Redis (shared/src/ads/model.ts), and delivery counters live in Redis (shared/src/ads/delivery.ts).
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

const now = () => sql`(unixepoch('subsec') * 1000)`;

export const adCampaigns = sqliteTable(
  "ad_campaigns",
  {
    id: text("id").primaryKey(),
    advertiserId: text("advertiser_id").notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: ["active", "paused"] }).notNull(),
    flightStart: integer("flight_start", { mode: "number" }).notNull(),
    flightEnd: integer("flight_end", { mode: "number" }).notNull(),
    totalBudgetMinor: integer("total_budget_minor", { mode: "number" }).notNull(),
    dailyBudgetMinor: integer("daily_budget_minor", { mode: "number" }),
    cpmMinor: integer("cpm_minor", { mode: "number" }).notNull(),
    priority: text("priority", { enum: ["sponsorship", "standard", "house"] }).notNull(),
    weight: integer("weight", { mode: "number" }).notNull(),
    pacing: text("pacing", { enum: ["even", "front_loaded", "asap"] }).notNull(),
    /** JSON: shared/src/ads/model.ts Targeting. */
    targeting: text("targeting", { mode: "json" }).notNull(),
    /** JSON: FrequencyCap[]. */
    frequencyCaps: text("frequency_caps", { mode: "json" }).notNull(),
    category: text("category"),
    advertiserDomain: text("advertiser_domain").notNull(),
    /** JSON: creative ids in rotation. */
    creativeIds: text("creative_ids", { mode: "json" }).notNull(),
    version: integer("version", { mode: "number" }).notNull().default(1),
    createdAt: integer("created_at", { mode: "number" }).notNull().default(now()),
    updatedAt: integer("updated_at", { mode: "number" }).notNull().default(now()),
  },
  (t) => [index("ad_campaigns_advertiser").on(t.advertiserId)],
);

export const adCreatives = sqliteTable(
  "ad_creatives",
  {
    id: text("id").primaryKey(),
    advertiserId: text("advertiser_id").notNull(),
    name: text("name").notNull(),
    /** Ad-ID style identifier, unique in our registry. */
    universalAdId: text("universal_ad_id").notNull().unique(),
    durationMs: integer("duration_ms", { mode: "number" }).notNull(),
    /** Measured on the delivered file, before normalisation. */
    sourceLoudnessCentiLufs: integer("source_loudness_centi_lufs", { mode: "number" }).notNull(),
    /** After normalisation (hundredths of LU / dB, to keep integers). */
    loudnessCentiLufs: integer("loudness_centi_lufs", { mode: "number" }).notNull(),
    truePeakCentiDbtp: integer("true_peak_centi_dbtp", { mode: "number" }).notNull(),
    /** Media-store folder of the packaged files. */
    mediaPath: text("media_path").notNull(),
    /** JSON: the packaged files (shared/src/ads/model.ts EdgeCreative minus ids). */
    media: text("media", { mode: "json" }).notNull(),
    sourceSha256: text("source_sha256").notNull(),
    createdAt: integer("created_at", { mode: "number" }).notNull().default(now()),
  },
  (t) => [index("ad_creatives_advertiser").on(t.advertiserId)],
);
