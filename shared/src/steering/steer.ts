/**
 * The steering decision: a pure, deterministic function from what the edge knows (ops config, measurements per
 * region x CDN, probe health, month-to-date volumes) and a session id to the ranked pathways for that session, with
 * every CDN's score and the parts it is made of, so ops can ask "why Akamai for DE".
 *
 * Filter chain, in order: exclusions; health (availability below threshold or failed probes take a CDN out, it comes
 * back through a trial share after the hysteresis window); quality from the country, else its continent, else none;
 * the stabilisation band (CDNs within X% or X ms of the fastest count as equally fast, so cost decides and traffic
 * does not flap); cost (list price, or the commit's marginal price); score = cost weight x cost part + quality weight
 * x quality part; shares from scores (near-ties split, every eligible CDN keeps an exploration share); and the
 * session's first pathway by weighted rendezvous hashing on its id. With no measurements anywhere the failover
 * order decides. Ops overrides per region: pin, drain, exclude, fixed shares.
 */
import { CDN_IDS, type CdnId } from "../cdn/cdn-id";
import type { RegionOverride, SteeringConfig } from "./config";
import { type CdnCost, cdnCost, type MonthUsage } from "./cost";
import { rendezvousPick } from "./hashing";
import { type CdnMeasure, type Health, measureCdn, type RegionSeries } from "./measurements";
import { type ProbeState, probeSaysDown } from "./probes";
import { type ClientRegion, countryKey, isContinent, isCountry, regionChain } from "./regions";

/** Everything the edge reads from Redis for one client region. */
export interface SteeringView {
  config: SteeringConfig;
  country: RegionSeries;
  continent: RegionSeries;
  probes: Partial<Record<CdnId, ProbeState>>;
  usage: MonthUsage;
}

export interface SteerInput {
  sessionId: string;
  region: ClientRegion;
  now: number;
  view: SteeringView;
  /** The pathway the player says it is on (`_HLS_pathway`), if any. */
  currentPathway?: CdnId;
}

/** Penalty (as a fraction slower than the best) assumed for a CDN with no measurements while others have some. */
export const UNMEASURED_LATENCY_PART = 0.5;
/** How much the latency part grows with the square of the gap to the fastest. */
const LATENCY_CURVE = 2;
/** Errors weigh this much: 1% of failed fetches counts like being 5% slower. */
const ERROR_FACTOR = 5;
/** Softness of the split between near-equal scores: a score this much worse gets 1/e of the traffic. */
const SHARE_TEMPERATURE = 0.02;

export type PathwayStatus = "eligible" | "trial" | "drained" | "down" | "excluded";
export type SteeringMode = "scored" | "fixed-shares" | "pinned" | "failover-order" | "all-down";

export interface PathwayScore {
  cdn: CdnId;
  status: PathwayStatus;
  /** Percent of new sessions that start here. */
  sharePercent: number;
  /** Lower is better; absent when the CDN is not eligible. */
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
  health: Health & { probe?: ProbeState["status"] };
  cost: CdnCost;
  reasons: string[];
}

export interface SteeringDecision {
  /** Best first: what PATHWAY-PRIORITY lists. */
  pathways: CdnId[];
  mode: SteeringMode;
  region: { country: string; continent: string; chain: string[] };
  scores: PathwayScore[];
  ttlSeconds: number;
  configVersion: number;
}

function overrideFor(config: SteeringConfig, region: ClientRegion): RegionOverride {
  const continent = isContinent(region.continent) ? config.regions[region.continent] : undefined;
  const country = isCountry(region.country) ? config.regions[countryKey(region.country)] : undefined;
  return { ...continent, ...country };
}

function resolveQuality(
  country: CdnMeasure,
  continent: CdnMeasure,
  region: ClientRegion,
  minSamples: number,
): { measure?: CdnMeasure; basis: string; health: Health; reason?: string } {
  const health =
    country.health.status !== "up" ? country.health : country.samples >= minSamples ? country.health : continent.health;
  if (country.samples >= minSamples) return { measure: country, basis: `country ${region.country}`, health };
  if (continent.samples >= minSamples) {
    return {
      measure: continent,
      basis: `continent ${region.continent}`,
      health,
      reason: `${region.country} has ${country.samples.toFixed(0)} samples (< ${minSamples}): using ${region.continent}`,
    };
  }
  return { basis: "none", health, reason: `no measurements in ${region.country} or ${region.continent}` };
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The filter chain, one named stage each: which CDNs may take traffic (availability), how fast each is against the
 * fastest (stabilisation band) and what a GB costs there (cost and commit), the score that weighs the two, then the
 * shares of new sessions and the session's ranked pathways.
 */
export function steer({ sessionId, region, now, view, currentPathway }: SteerInput): SteeringDecision {
  const { config } = view;
  const chain = regionChain(region);
  const override = overrideFor(config, region);
  const scores = CDN_IDS.map((cdn) => assessAvailability(cdn, { view, region, chain, override, now }));
  const live = scores.filter((s) => s.status === "eligible" || s.status === "trial" || s.status === "drained");
  const measured = live.filter((s) => s.quality.segmentMs !== undefined);
  scoreLivePathways(live, measured, config);
  const mode = assignShares(scores, live, measured, override, config);
  const pathways = rankPathways(sessionId, scores, mode, config, currentPathway);
  return {
    pathways,
    mode,
    region: { country: region.country, continent: region.continent, chain },
    scores,
    ttlSeconds: config.thresholds.manifestTtlSeconds,
    configVersion: config.version,
  };
}

interface AssessContext {
  view: SteeringView;
  region: ClientRegion;
  chain: string[];
  override: RegionOverride;
  now: number;
}

/**
 * Stage 1, availability: the CDN's measured quality (country, else continent, else none) and its status. In order:
 * excluded by ops; down by failed probes; down by measured availability below the threshold (out until the trial
 * time); drained by ops; back on trial after the hysteresis window; else eligible. Its cost is read here too.
 */
function assessAvailability(cdn: CdnId, { view, region, chain, override, now }: AssessContext): PathwayScore {
  const { config } = view;
  const t = config.thresholds;
  const q = resolveQuality(
    measureCdn(view.country[cdn], now, t),
    measureCdn(view.continent[cdn], now, t),
    region,
    t.minSamples,
  );
  const reasons: string[] = q.reason ? [q.reason] : [];
  let status: PathwayStatus = "eligible";
  if (override.exclude?.includes(cdn)) {
    status = "excluded";
    reasons.push("excluded by ops for this region");
  } else if (probeSaysDown(view.probes[cdn], now)) {
    status = "down";
    reasons.push(`synthetic probes fail since ${new Date(view.probes[cdn]?.since ?? now).toISOString()}`);
  } else if (q.health.status === "down") {
    status = "down";
    reasons.push(
      `availability below ${t.availabilityPercent}%: out until ${new Date(q.health.trialAt ?? now).toISOString()}`,
    );
  } else if (override.drain?.includes(cdn)) {
    status = "drained";
    reasons.push("drained by ops: no new traffic, listed last for failover");
  } else if (q.health.status === "trial") {
    status = "trial";
    reasons.push(`back on trial after the hysteresis window (${t.trialSharePercent}% of sessions)`);
  }
  return {
    cdn,
    status,
    sharePercent: 0,
    parts: { cost: 0, latency: 0, errors: 0 },
    quality: {
      basis: q.basis,
      samples: round(q.measure?.samples ?? 0, 1),
      ttfbMs: q.measure?.ttfbMs === undefined ? undefined : round(q.measure.ttfbMs, 1),
      throughputBps: q.measure?.throughputBps === undefined ? undefined : Math.round(q.measure.throughputBps),
      segmentMs: q.measure?.segmentMs === undefined ? undefined : round(q.measure.segmentMs, 1),
      availability: q.measure?.availability === undefined ? undefined : round(q.measure.availability),
    },
    health: { ...q.health, probe: view.probes[cdn]?.status },
    cost: cdnCost(config, cdn, chain, view.usage, now),
    reasons,
  };
}

/**
 * Stage 2, the stabilisation band: the latency part of one CDN against the fastest measured one. Inside the band
 * (within `bandPercent` or `bandMs` of the fastest) it is 0, so cost decides and traffic does not flap; beyond it
 * the part grows with the square of the gap; an unmeasured CDN, while others are measured, gets a fixed penalty.
 */
function latencyPart(
  ms: number | undefined,
  best: number,
  anyMeasured: boolean,
  t: SteeringConfig["thresholds"],
): { part: number; reason?: string } {
  if (ms === undefined) {
    if (!anyMeasured) return { part: 0 };
    return {
      part: UNMEASURED_LATENCY_PART,
      reason: `unmeasured: assumed ${pct(UNMEASURED_LATENCY_PART)} slower than the best`,
    };
  }
  if (ms <= best * (1 + t.bandPercent / 100) || ms <= best + t.bandMs) {
    return {
      part: 0,
      reason:
        ms === best
          ? `fastest (${Math.round(ms)} ms per segment)`
          : `within the stabilisation band of the fastest (${Math.round(ms)} vs ${Math.round(best)} ms): counts as equal`,
    };
  }
  // Superlinear: a little slower costs little, much slower costs a lot (rebuffering risk grows with the gap).
  const excess = (ms - best) / best;
  return {
    part: round(excess + LATENCY_CURVE * excess * excess),
    reason: `${pct((ms - best) / best)} slower than the fastest (${Math.round(ms)} vs ${Math.round(best)} ms)`,
  };
}

/**
 * Stage 3, cost and commit: the cost part is the marginal price per GB (the list price, or the commit's price at its
 * current pace: 0 while inside an under-used commit) over the dearest list price among the live CDNs.
 */
function costPart(s: PathwayScore, maxListMicrosPerGb: number): number {
  return maxListMicrosPerGb > 0 ? round(s.cost.marginalMicrosPerGb / maxListMicrosPerGb) : 0;
}

/** Score = cost weight x cost part + quality weight x (latency part + error part), for every live CDN. */
function scoreLivePathways(live: PathwayScore[], measured: PathwayScore[], config: SteeringConfig): void {
  const maxList = Math.max(0, ...live.map((s) => s.cost.listMicrosPerGb));
  const fastest = Math.min(...measured.map((s) => s.quality.segmentMs as number));
  for (const s of live) {
    s.parts.cost = costPart(s, maxList);
    if (s.cost.basis !== "list") s.reasons.push(s.cost.detail);
    const latency = latencyPart(s.quality.segmentMs, fastest, measured.length > 0, config.thresholds);
    s.parts.latency = latency.part;
    if (latency.reason) s.reasons.push(latency.reason);
    s.parts.errors = round(ERROR_FACTOR * (1 - (s.quality.availability ?? 1)));
    s.score = round(
      (config.weights.cost / 100) * s.parts.cost + (config.weights.quality / 100) * (s.parts.latency + s.parts.errors),
    );
  }
}

/**
 * Stage 4, ranking into shares of new sessions: ops' pin or fixed shares when set; with nothing measured, the
 * failover order; else from the scores (near-ties split softly, trials get their share, every eligible CDN keeps the
 * exploration share). Only drained CDNs left: they share the traffic rather than nobody. Shares are rounded last.
 */
function assignShares(
  scores: PathwayScore[],
  live: PathwayScore[],
  measured: PathwayScore[],
  override: RegionOverride,
  config: SteeringConfig,
): SteeringMode {
  const starters = live.filter((s) => s.status !== "drained");
  const pinned = override.pin ? starters.find((s) => s.cdn === override.pin && s.status === "eligible") : undefined;
  let mode: SteeringMode;
  if (starters.length === 0) {
    mode = live.length > 0 ? "scored" : "all-down";
    for (const s of live) s.sharePercent = 100 / live.length;
  } else if (pinned) {
    mode = "pinned";
    pinned.sharePercent = 100;
    pinned.reasons.push("pinned by ops for this region");
  } else if (override.shares) {
    mode = "fixed-shares";
    const total = starters.reduce((sum, s) => sum + (override.shares?.[s.cdn] ?? 0), 0);
    for (const s of starters) {
      s.sharePercent = total > 0 ? ((override.shares[s.cdn] ?? 0) / total) * 100 : 100 / starters.length;
    }
  } else if (measured.length === 0) {
    mode = "failover-order";
    // Nothing measured yet: everyone starts on the first in the order. Exploration starts once that CDN has data
    // (scored mode gives unmeasured CDNs their exploration share).
    const first = failoverOrder(config, starters)[0];
    if (first) {
      first.sharePercent = 100;
      first.reasons.push("no measurements yet: first in the failover order");
    }
  } else {
    mode = "scored";
    sharesFromScores(starters, config.thresholds);
  }
  for (const s of scores) s.sharePercent = round(s.sharePercent, 2);
  return mode;
}

/** Trials get their fixed share; the rest is split by a soft-min over scores, each keeping the exploration floor. */
function sharesFromScores(starters: PathwayScore[], t: SteeringConfig["thresholds"]): void {
  const trials = starters.filter((s) => s.status === "trial");
  const regulars = starters.filter((s) => s.status === "eligible");
  for (const s of trials) s.sharePercent = t.trialSharePercent;
  const rest = Math.max(0, 100 - t.trialSharePercent * trials.length);
  if (regulars.length > 0) {
    const floor = Math.min(t.exploreSharePercent, rest / regulars.length);
    const top = Math.min(...regulars.map((s) => s.score as number));
    const soft = regulars.map((s) => Math.exp(-((s.score as number) - top) / SHARE_TEMPERATURE));
    const softTotal = soft.reduce((a, b) => a + b, 0);
    regulars.forEach((s, i) => {
      s.sharePercent = floor + ((soft[i] as number) / softTotal) * (rest - floor * regulars.length);
    });
  }
  const total = starters.reduce((sum, s) => sum + s.sharePercent, 0);
  for (const s of starters) s.sharePercent = (s.sharePercent / total) * 100;
}

function failoverOrder<T extends { cdn: CdnId }>(config: SteeringConfig, items: T[]): T[] {
  const position = (cdn: CdnId) => {
    const i = config.failoverOrder.indexOf(cdn);
    return i === -1 ? config.failoverOrder.length + CDN_IDS.indexOf(cdn) : i;
  };
  return [...items].sort((a, b) => position(a.cdn) - position(b.cdn));
}

/**
 * The session's first pathway by rendezvous hashing over the shares; then the other starters best score first;
 * then drained ones; then, if fewer than two are listed, down ones as a last resort so the player can fail over.
 * A trial takes its share from sessions that are not already playing well elsewhere: a session on a healthy pathway
 * is not moved onto a CDN that just came back.
 */
function rankPathways(
  sessionId: string,
  scores: PathwayScore[],
  mode: SteeringMode,
  config: SteeringConfig,
  currentPathway: CdnId | undefined,
): CdnId[] {
  const byScore = (a: PathwayScore, b: PathwayScore) =>
    (a.score ?? Number.POSITIVE_INFINITY) - (b.score ?? Number.POSITIVE_INFINITY) ||
    config.failoverOrder.indexOf(a.cdn) - config.failoverOrder.indexOf(b.cdn);
  const weights = Object.fromEntries(scores.map((s) => [s.cdn, s.sharePercent]));
  let first = rendezvousPick(sessionId, weights);
  const status = (cdn: CdnId | undefined) => scores.find((s) => s.cdn === cdn)?.status;
  if (status(first) === "trial" && status(currentPathway) === "eligible") first = currentPathway;
  const starters = scores.filter((s) => s.cdn !== first && (s.status === "eligible" || s.status === "trial"));
  const ordered = mode === "failover-order" ? failoverOrder(config, starters) : starters.sort(byScore);
  const list: CdnId[] = first ? [first] : [];
  list.push(...ordered.map((s) => s.cdn));
  list.push(
    ...scores
      .filter((s) => s.status === "drained" && s.cdn !== first)
      .sort(byScore)
      .map((s) => s.cdn),
  );
  const down = failoverOrder(
    config,
    scores.filter((s) => s.status === "down"),
  );
  // Nothing live: list every CDN not excluded (something must be tried). One live: add a backup.
  for (const s of list.length === 0 ? down : down.slice(0, list.length < 2 ? 1 : 0)) {
    list.push(s.cdn);
    s.reasons.push("listed as a last resort so the player has a pathway to fail over to");
  }
  return list;
}
