/**
 * Ops control of multi-CDN steering: `/v1/ops/steering` on the api worker (ops scope; a listener gets 403).
 *
 * Read the config, change one part of it (weights, prices, commits, thresholds, failover order, a region's
 * overrides), read the live picture per region (scores with their parts, shares, measured quality, health, cost) and
 * read the audit log. Each change is validated as a whole config (clear 400s), written to Redis with a
 * compare-and-set on its version (409 if someone else changed it since it was read; `If-Match: "<version>"` makes
 * the caller's own read the precondition, 412 if stale), then appended to the origin's audit log with who, when and
 * the old and new value; if the audit log cannot take it the change is rolled back (503). The edge reads the config
 * through a 5 s per-isolate cache, so a change reaches new sessions within 10 s.
 */

import { CDN_IDS } from "@cadence/shared/cdn/cdn-id";
import { edgeAuth, redisFor } from "@cadence/shared/edge";
import { parseWith, readJson } from "@cadence/shared/http";
import { Problem, problems } from "@cadence/shared/problem";
import {
  commitsSchema,
  DEFAULT_THRESHOLDS,
  failoverOrderSchema,
  pricesSchema,
  regionOverrideSchema,
  type SteeringConfig,
  steeringConfigSchema,
  thresholdsSchema,
  weightsSchema,
} from "@cadence/shared/steering/config";
import { measureCdn, parseRegionHash } from "@cadence/shared/steering/measurements";
import { isContinent, isCountry, isRegionKey } from "@cadence/shared/steering/regions";
import { steer } from "@cadence/shared/steering/steer";
import {
  measuredRegions,
  readSteeringConfig,
  readSteeringView,
  steeringKeys,
  writeSteeringConfig,
} from "@cadence/shared/steering/store";
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../context";
import { appendAudit, listAudit } from "./audit";

type Section = "weights" | "prices" | "commits" | "thresholds" | "failoverOrder" | "regions";

const regionParam = z.string().refine(isRegionKey, {
  error: "must be an ISO 3166-1 alpha-2 country (e.g. DE), a continent (AF AN AS EU NA OC SA) or `default`",
});

export function steeringOpsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/v1/ops/steering", edgeAuth({ scopes: ["ops"] }));
  app.use("/v1/ops/steering/*", edgeAuth({ scopes: ["ops"] }));

  app.get("/v1/ops/steering", async (c) => {
    const config = await readConfigOr503(c);
    c.header("etag", `"${config.version}"`);
    c.header("cache-control", "no-store");
    return c.json(config);
  });

  app.put("/v1/ops/steering/weights", async (c) => {
    const weights = await readJson(c, weightsSchema);
    return change(c, "steering.weights.replace", "weights", (config) => ({ ...config, weights }));
  });

  app.put("/v1/ops/steering/prices", async (c) => {
    const { prices } = await readJson(c, z.object({ prices: pricesSchema }).strict());
    return change(c, "steering.prices.replace", "prices", (config) => ({ ...config, prices }));
  });

  app.put("/v1/ops/steering/commits", async (c) => {
    const { commits } = await readJson(c, z.object({ commits: commitsSchema }).strict());
    return change(c, "steering.commits.replace", "commits", (config) => ({ ...config, commits }));
  });

  app.patch("/v1/ops/steering/thresholds", async (c) => {
    const patch = await readJson(
      c,
      thresholdsSchema.partial().refine((p) => Object.keys(p).length > 0, { error: "name at least one threshold" }),
    );
    return change(c, "steering.thresholds.update", "thresholds", (config) => ({
      ...config,
      thresholds: { ...DEFAULT_THRESHOLDS, ...config.thresholds, ...patch },
    }));
  });

  app.put("/v1/ops/steering/failover-order", async (c) => {
    const { order } = await readJson(c, z.object({ order: failoverOrderSchema }).strict());
    return change(c, "steering.failover-order.replace", "failoverOrder", (config) => ({
      ...config,
      failoverOrder: order,
    }));
  });

  app.put("/v1/ops/steering/regions/:region", async (c) => {
    const region = parseWith(regionParam, c.req.param("region"), "path.region");
    const override = await readJson(c, regionOverrideSchema);
    return change(c, "steering.region.replace", "regions", (config) => ({
      ...config,
      regions: { ...config.regions, [region]: override },
    }));
  });

  app.delete("/v1/ops/steering/regions/:region", async (c) => {
    const region = parseWith(regionParam, c.req.param("region"), "path.region");
    return change(c, "steering.region.delete", "regions", (config) => {
      if (!config.regions[region]) throw problems.notFound(`Region ${region} has no overrides.`);
      const { [region]: _removed, ...regions } = config.regions;
      return { ...config, regions };
    });
  });

  /** Scores, shares, measured quality, health and cost for one client region, as steering sees them now. */
  app.get("/v1/ops/steering/state", async (c) => {
    const query = parseWith(
      z.object({
        country: z.string().refine(isCountry, { error: "must be an ISO 3166-1 alpha-2 country, e.g. DE" }),
        continent: z.string().refine(isContinent, { error: "must be one of AF AN AS EU NA OC SA" }),
      }),
      c.req.query(),
      "query",
    );
    const now = Date.now();
    let view: Awaited<ReturnType<typeof readSteeringView>>;
    try {
      view = await readSteeringView(redisFor(c.env), query, now);
    } catch (err) {
      throw problems.unavailable("steering-state-unavailable", `Steering state cannot be read: ${String(err)}`);
    }
    const decision = steer({ sessionId: "ops-preview", region: query, now, view });
    c.header("cache-control", "no-store");
    return c.json({
      region: decision.region,
      mode: decision.mode,
      config_version: decision.configVersion,
      ttl_seconds: decision.ttlSeconds,
      shares: Object.fromEntries(decision.scores.map((s) => [s.cdn, s.sharePercent])),
      scores: decision.scores,
      probes: view.probes,
      usage: view.usage,
    });
  });

  /** Measured quality per region x CDN, for every region with measurements. */
  app.get("/v1/ops/steering/quality", async (c) => {
    const now = Date.now();
    const redis = redisFor(c.env);
    let regions: Array<{ region: string; cdns: Record<string, unknown> }>;
    try {
      const config = await readSteeringConfig(redis);
      const labels = await measuredRegions(redis);
      const p = redis.pipeline();
      for (const label of labels) {
        const [level, code] = label.split(":") as ["country" | "continent", string];
        p.hgetall(steeringKeys.quality(level, code));
      }
      const hashes = labels.length > 0 ? ((await p.exec()) as Array<Record<string, unknown> | null>) : [];
      regions = labels.map((region, i) => {
        const series = parseRegionHash(hashes[i], now);
        return {
          region,
          cdns: Object.fromEntries(CDN_IDS.map((cdn) => [cdn, measureCdn(series[cdn], now, config.thresholds)])),
        };
      });
    } catch (err) {
      throw problems.unavailable("steering-state-unavailable", `Steering state cannot be read: ${String(err)}`);
    }
    c.header("cache-control", "no-store");
    return c.json({
      at: now,
      regions: regions.filter((r) => Object.values(r.cdns).some((m) => (m as { samples: number }).samples > 0)),
    });
  });

  app.get("/v1/ops/steering/audit", (c) => listAudit(c.env, new URL(c.req.url).searchParams, c.var.requestId));

  return app;
}

async function readConfigOr503(c: Context<AppEnv>): Promise<SteeringConfig> {
  try {
    return await readSteeringConfig(redisFor(c.env));
  } catch (err) {
    throw problems.unavailable("steering-state-unavailable", `Steering config cannot be read: ${String(err)}`);
  }
}

async function change(
  c: Context<AppEnv>,
  action: string,
  section: Section,
  mutate: (config: SteeringConfig) => SteeringConfig,
): Promise<Response> {
  const claims = c.var.claims;
  if (!claims) throw new Problem("insufficient-scope", "This endpoint needs the ops scope.");
  const redis = redisFor(c.env);
  const current = await readConfigOr503(c);
  const ifMatch = c.req.header("if-match");
  if (ifMatch !== undefined && ifMatch.replace(/^W\//, "").replace(/"/g, "") !== String(current.version)) {
    throw new Problem(
      "precondition-failed",
      `The steering config is at version ${current.version}; re-read it and retry.`,
      { extensions: { current_version: current.version } },
    );
  }
  const candidate = { ...mutate(current), version: current.version + 1, updatedAt: Date.now() };
  const next = parseWith(steeringConfigSchema, candidate, "config") as SteeringConfig;

  const written = await writeSteeringConfig(redis, next, current.version).catch((err: unknown) => {
    throw problems.unavailable("steering-state-unavailable", `Steering config cannot be written: ${String(err)}`);
  });
  if (!written.ok) {
    throw new Problem(
      "conflict",
      `The steering config changed meanwhile (now version ${written.currentVersion}); re-read it and retry.`,
    );
  }
  let auditId: string;
  try {
    auditId = await appendAudit(c.env, {
      actor: { sub: claims.sub, ...(claims.email ? { email: claims.email } : {}) },
      action,
      entity: "steering-config",
      entityVersion: next.version,
      old: current[section],
      new: next[section],
      requestId: c.var.requestId,
    });
  } catch (err) {
    // Not audited, not applied: put the previous config back (only if nobody wrote over ours since).
    const rollback = await writeSteeringConfig(redis, current, next.version).catch(() => ({ ok: false }) as const);
    c.var.log.error("audit append failed; change rolled back", { err, rolled_back: rollback.ok });
    throw problems.unavailable(
      "audit-log-unavailable",
      "The audit log cannot record the change right now, so it was not applied; try again shortly.",
    );
  }
  c.header("etag", `"${next.version}"`);
  c.header("cache-control", "no-store");
  return c.json({ config: next, audit_id: auditId });
}
