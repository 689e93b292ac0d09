/**
 * The simulated world the steering benchmark runs in, read from a JSON file so anyone can try steering on their own
 * regions, prices and incidents (format documented in bench/steering/README.md). Prices, commits and steering
 * settings use the same schemas as the ops API, so a world file is also a worked example of an ops configuration.
 */
import { readFileSync } from "node:fs";
import { CDN_IDS } from "@cadence/shared/cdn/cdn-id";
import {
  commitsSchema,
  failoverOrderSchema,
  priceSchema,
  pricesSchema,
  thresholdsSchema,
  weightsSchema,
} from "@cadence/shared/steering/config";
import { isContinent, isCountry, isRegionKey } from "@cadence/shared/steering/regions";
import { z } from "zod";

const cdn = z.enum(CDN_IDS);
/** [median, 95th percentile] of a log-normal distribution. */
const ttfb = z.tuple([z.number().positive(), z.number().positive()]).refine(([m, p]) => p >= m, {
  error: "p95 must be >= median",
});
/** [median, 5th percentile] of a log-normal distribution. */
const mbps = z.tuple([z.number().positive(), z.number().positive()]).refine(([m, p]) => p <= m, {
  error: "p5 must be <= median",
});
const cdnQuality = z.object({ ttfbMs: ttfb, mbps, errorPercent: z.number().min(0).max(100).default(0.1) }).strict();

const region = z
  .object({
    country: z.string().refine(isCountry, { error: "must be an ISO 3166-1 alpha-2 country" }),
    continent: z.string().refine(isContinent, { error: "must be one of AF AN AS EU NA OC SA" }),
    /** Concurrent sessions (kept constant: an ending session is replaced by a new one). */
    sessions: z.number().int().min(1),
    /** Median downstream bandwidth of clients' own access networks (caps every CDN). */
    clientMbps: z.number().positive().default(25),
    cdns: z.object({ cloudfront: cdnQuality, akamai: cdnQuality, cloudflare: cdnQuality }).strict(),
  })
  .strict();

const event = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("outage"),
      atMinute: z.number().min(0),
      minutes: z.number().positive(),
      cdn,
      country: z.string(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("degrade"),
      atMinute: z.number().min(0),
      minutes: z.number().positive(),
      cdn,
      country: z.string(),
      /** Reached linearly over `minutes`, then held. */
      ttfbFactor: z.number().min(1),
      mbpsFactor: z.number().positive().max(1).default(1),
    })
    .strict(),
  z
    .object({
      kind: z.literal("price"),
      atMinute: z.number().min(0),
      cdn,
      region: z.string().refine(isRegionKey, { error: "must be a country, a continent or default" }),
      pricePerGb: priceSchema,
    })
    .strict(),
  z.object({ kind: z.literal("commit-usage"), atMinute: z.number().min(0), cdn, usedGb: z.number().min(0) }).strict(),
]);

export const worldSchema = z
  .object({
    name: z.string(),
    /** Simulated start (ISO 8601): its place in the month drives commit pacing. */
    start: z.iso.datetime(),
    durationMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60),
    seed: z.number().int().default(1),
    segmentSeconds: z.number().positive().default(6),
    bitrateKbps: z.number().positive().default(256),
    /** Session length range, minutes (uniform). */
    sessionMinutes: z.tuple([z.number().positive(), z.number().positive()]).default([3, 12]),
    /** How late QoE samples reach steering (events pipeline). */
    qoeDelaySeconds: z.number().min(0).default(10),
    /** Per-isolate cache of the edge's view. */
    edgeCacheSeconds: z.number().min(0).default(5),
    /** Where the cron probes run from (a country of the world) and how often. */
    probe: z.object({ country: z.string(), everySeconds: z.number().int().min(10).default(60) }).strict(),
    regions: z.array(region).min(1),
    prices: pricesSchema,
    commits: commitsSchema.default({}),
    /** Month-to-date GB per CDN at the start. */
    usedGbAtStart: z.partialRecord(cdn, z.number().min(0)).default({}),
    /** Steering settings for this world (defaults otherwise). */
    steering: z
      .object({
        weights: weightsSchema.optional(),
        thresholds: thresholdsSchema.partial().optional(),
        failoverOrder: failoverOrderSchema.optional(),
      })
      .strict()
      .default({}),
    events: z.array(event).default([]),
  })
  .strict();

export type World = z.infer<typeof worldSchema>;
export type WorldEvent = World["events"][number];
export type WorldRegion = World["regions"][number];

export function loadWorld(path: string): World {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read world ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = worldSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
    throw new Error(`world ${path} is not valid:\n${lines}`);
  }
  const countries = new Set(parsed.data.regions.map((r) => r.country));
  for (const e of parsed.data.events) {
    if ((e.kind === "outage" || e.kind === "degrade") && !countries.has(e.country)) {
      throw new Error(`world ${path}: event ${e.kind} names country ${e.country}, which has no region`);
    }
  }
  if (!countries.has(parsed.data.probe.country)) throw new Error(`world ${path}: probe.country has no region`);
  return parsed.data;
}
