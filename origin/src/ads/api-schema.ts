/**
 * The advertiser API's wire format (snake_case JSON) and its validation: what a campaign looks like going in and
 * coming out. Every field is checked with a message that says what to fix; money is integer minor units and time
 * is ISO 8601.
 */

import { CAMPAIGN_STATUSES, DEVICE_TYPES, PACING_MODES, PRIORITY_TIERS } from "@cadence/shared/ads/model";
import { TIERS } from "@cadence/shared/auth/claims";
import { z } from "zod";

/**
 * The largest budget one campaign may carry: 1,000,000,000 minor units (10,000,000.00). Anything above is far more
 * likely a typo (999,999,999,999.99) than a plan, and is refused rather than accepted and paced.
 */
export const MAX_BUDGET_MINOR = 1_000_000_000;

const minor = (what: string) =>
  z
    .number(`${what} must be a number`)
    .int(`${what} must be whole minor units (cents)`)
    .min(1, `${what} must be positive`);

const budget = (what: string) =>
  minor(what).max(
    MAX_BUDGET_MINOR,
    `${what} must be at most 1,000,000,000 minor units (10,000,000.00); a larger budget is almost certainly a typo`,
  );

const daypart = z
  .object({
    days: z.array(z.number().int().min(0).max(6), "days are 0 (Sunday) to 6").min(1).max(7),
    start_hour: z.number().int().min(0).max(23),
    end_hour: z.number().int().min(1).max(24),
  })
  .refine((d) => d.end_hour > d.start_hour, "end_hour must be after start_hour");

export const targetingSchema = z
  .object({
    countries: z
      .array(z.string().regex(/^[A-Za-z]{2}$/, "countries are ISO 3166-1 alpha-2 codes"))
      .max(250)
      .default([]),
    tiers: z.array(z.enum(TIERS)).max(3).default([]),
    genres: z.array(z.string().min(1).max(64)).max(100).default([]),
    dayparts: z.array(daypart).max(50).default([]),
    device_types: z.array(z.enum(DEVICE_TYPES)).max(DEVICE_TYPES.length).default([]),
  })
  .strict();

const frequencyCap = z.object({
  count: z
    .number()
    .int()
    .min(1, "count must be at least 1: a cap counts the ads one listener may hear in the window")
    .max(1000),
  window_seconds: z
    .number()
    .int()
    .min(60, "window_seconds is at least 60")
    .max(30 * 86_400, "window_seconds is at most 30 days"),
});

const isoTime = (what: string) =>
  z.iso.datetime({ offset: true, message: `${what} must be ISO 8601, e.g. 2026-12-01T00:00:00Z` });

const campaignFields = {
  name: z.string().trim().min(1).max(200),
  status: z.enum(CAMPAIGN_STATUSES),
  flight_start: isoTime("flight_start"),
  flight_end: isoTime("flight_end"),
  total_budget_minor: budget("total_budget_minor"),
  daily_budget_minor: budget("daily_budget_minor").nullable(),
  cpm_minor: minor("cpm_minor").max(1_000_000, "cpm_minor is at most 1,000,000 (10,000.00 per thousand)"),
  priority: z.enum(PRIORITY_TIERS),
  weight: z.number().int().min(1).max(100),
  pacing: z.enum(PACING_MODES),
  targeting: targetingSchema,
  frequency_caps: z.array(frequencyCap).max(5),
  category: z.string().trim().min(1).max(64).nullable(),
  advertiser_domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "advertiser_domain must be a domain such as brand.example")
    .max(253),
  creative_ids: z.array(z.string().regex(/^cr_[A-Za-z0-9]+$/, "creative ids look like cr_...")).max(20),
};

export const createCampaignSchema = z
  .object({
    ...campaignFields,
    advertiser_id: z.string().min(1).max(64).optional(),
    status: campaignFields.status.default("active"),
    daily_budget_minor: campaignFields.daily_budget_minor.default(null),
    priority: campaignFields.priority.default("standard"),
    weight: campaignFields.weight.default(1),
    pacing: campaignFields.pacing.default("even"),
    targeting: targetingSchema.default({ countries: [], tiers: ["free"], genres: [], dayparts: [], device_types: [] }),
    frequency_caps: campaignFields.frequency_caps.default([]),
    category: campaignFields.category.default(null),
    advertiser_domain: campaignFields.advertiser_domain.optional(),
    creative_ids: campaignFields.creative_ids.default([]),
  })
  .strict();

export const updateCampaignSchema = z.object(campaignFields).partial().strict();

export type CreateCampaignInput = z.infer<typeof createCampaignSchema>;
export type UpdateCampaignInput = z.infer<typeof updateCampaignSchema>;

export const reportQuerySchema = z.object({
  from: z.iso.date("from must be a date, e.g. 2026-11-01").optional(),
  to: z.iso.date("to must be a date, e.g. 2026-11-30").optional(),
});
