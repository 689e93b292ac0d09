/**
 * What the pages served from `public/` (player, ops and advertiser consoles) need from the api worker beyond the
 * product APIs: where the other workers are for a browser (`GET /v1/web/config`, public and non-secret: the pages are
 * static, so they cannot know the deployment's hostnames), and, where local CDN stand-ins run, the ops-only knobs
 * that make one slow, flaky or down so anyone can watch steering move traffic. The stand-ins' own control endpoint
 * has no auth (it is a local process); going through here puts the ops scope in front of it, and in production,
 * where no stand-in exists, the knob routes answer 404.
 */

import type { CdnId } from "@cadence/shared/cdn/cdn-id";
import { edgeAuth } from "@cadence/shared/edge";
import { readJson } from "@cadence/shared/http";
import { Problem, problems } from "@cadence/shared/problem";
import type { WebConfig } from "@cadence/shared/web/config";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Env } from "./context";
import { apiSettings } from "./settings";

const knobsBody = z
  .object({
    latency_ms: z.number().int().min(0, "latency_ms cannot be negative").max(10_000, "latency_ms is at most 10000"),
    failure_rate: z
      .number()
      .min(0, "failure_rate is a share from 0 to 1")
      .max(1, "failure_rate is a share from 0 to 1"),
    down: z.boolean(),
  })
  .partial()
  .strict();

export function webConsoleRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/v1/web/config", (c) => {
    const settings = apiSettings(c.env);
    const body: WebConfig = {
      environment: c.env.ENVIRONMENT,
      playback_url: settings.playbackPublicUrl,
      events_url: settings.eventsPublicUrl,
      ads_url: settings.adsPublicUrl,
      cdn_stand_ins: Object.keys(settings.cdnStandIns) as CdnId[],
    };
    c.header("cache-control", "public, max-age=60");
    return c.json(body);
  });

  const opsOnly = edgeAuth({ scopes: ["ops"] });

  /** Current knobs of every stand-in (unreachable ones say so instead of failing the whole answer). */
  app.get("/v1/ops/cdn-stand-ins", opsOnly, async (c) => {
    const urls = apiSettings(c.env).cdnStandIns;
    const entries = await Promise.all(
      Object.entries(urls).map(async ([cdn, url]) => {
        try {
          const res = await fetch(`${url}/__control`, { signal: AbortSignal.timeout(2000) });
          return [cdn, { reachable: res.ok, knobs: res.ok ? await res.json() : null }] as const;
        } catch {
          return [cdn, { reachable: false, knobs: null }] as const;
        }
      }),
    );
    c.header("cache-control", "no-store");
    return c.json({ stand_ins: Object.fromEntries(entries) });
  });

  /** `POST /v1/ops/cdn-stand-ins/{cdn}` with `{latency_ms?, failure_rate?, down?}`; `.../{cdn}/recover` resets it. */
  app.post("/v1/ops/cdn-stand-ins/:cdn", opsOnly, async (c) => {
    const knobs = await readJson(c, knobsBody);
    if (Object.keys(knobs).length === 0)
      throw problems.badRequest("Send at least one of latency_ms, failure_rate, down.");
    const body = { latencyMs: knobs.latency_ms, failureRate: knobs.failure_rate, down: knobs.down };
    const changed = await setKnobs(c.env, c.req.param("cdn"), "/__control", body);
    c.var.log.info("cdn stand-in knobs changed", { cdn: changed.cdn, by: c.var.claims.sub, ...body });
    return c.json(changed);
  });
  app.post("/v1/ops/cdn-stand-ins/:cdn/recover", opsOnly, async (c) => {
    const changed = await setKnobs(c.env, c.req.param("cdn"), "/__control/recover", {});
    c.var.log.info("cdn stand-in recovered", { cdn: changed.cdn, by: c.var.claims.sub });
    return c.json(changed);
  });

  return app;
}

async function setKnobs(
  env: Env,
  cdn: string,
  path: string,
  body: Record<string, unknown>,
): Promise<{ cdn: string; knobs: unknown }> {
  const urls = apiSettings(env).cdnStandIns;
  // Own keys only: a path segment like `__proto__` must not reach the object's prototype.
  const url = Object.hasOwn(urls, cdn) ? urls[cdn as CdnId] : undefined;
  if (!url) {
    const known = Object.keys(urls).join(", ") || "none here";
    throw problems.notFound(`No local stand-in for "${cdn}"; knobs exist only in local development (${known}).`);
  }
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(2000),
    });
  } catch {
    throw new Problem("stand-in-unreachable", `The ${cdn} stand-in at ${url} does not answer; is npm start running?`);
  }
  if (!res.ok) throw new Problem("stand-in-refused", `The ${cdn} stand-in answered ${res.status}.`);
  return { cdn, knobs: await res.json() };
}
