/**
 * The catalog for apps, at the edge: tracks, releases, artists and search are read from the origin and kept in the
 * colo's Cache API, so a popular page or query reaches the origin once per catalog change, not once per listener.
 * Cache keys carry the catalog generation (a Redis counter the origin bumps on every publish, read at most every few
 * seconds per isolate), so an ingest or takedown shows within seconds without purging anything.
 *
 * Auth: any listener (or ops) token; catalog data is not secret but is a licensed asset, so anonymous scraping is not
 * offered. Track detail adds `playable` for the caller (account country and tier, now), decided by the same
 * `isPlayable` the playback worker applies. `POST /v1/ops/catalog/deliveries` (ops scope) streams a delivery zip to
 * the origin's ingester and returns its report; `POST /v1/ops/catalog/batches` does the same for a zip of many.
 */
import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { isPlayable } from "@cadence/shared/catalog/availability";
import { type Availability, CATALOG_GENERATION_KEY } from "@cadence/shared/catalog/edge-track";
import { edgeAuth, redisFor } from "@cadence/shared/edge";
import { problems } from "@cadence/shared/problem";
import { serviceFetch, stripServiceToken } from "@cadence/shared/trust/service-call";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { apiSettings } from "../settings";

const CACHE_HOST = "https://catalog-cache.cadence.internal";
/** How long the colo keeps an answer (within one catalog generation), and how long a client may. */
const EDGE_TTL_SECONDS = 300;
const CLIENT_TTL_SECONDS = 30;
const GENERATION_TTL_MS = 5_000;
/** A delivery is transcoded (the whole ladder, by ffmpeg) before the origin answers with its report. */
const INGEST_TIMEOUT_MS = 300_000;
/** A batch answers once every delivery in it is done. */
const BATCH_TIMEOUT_MS = 2 * 60 * 60_000;

let generation: { value: string; until: number } | undefined;

async function catalogGeneration(c: Context<AppEnv>): Promise<string> {
  const now = Date.now();
  if (generation && generation.until > now) return generation.value;
  try {
    const value = String((await redisFor(c.env).get<number | string>(CATALOG_GENERATION_KEY)) ?? 0);
    generation = { value, until: now + GENERATION_TTL_MS };
  } catch {
    // Edge state unreachable: keep serving with the last known generation (or a short-lived one of our own).
    generation = { value: generation?.value ?? `t${Math.floor(now / 60_000)}`, until: now + GENERATION_TTL_MS };
  }
  return generation.value;
}

/** GET from the origin through the colo cache. Only 200s are cached; errors pass through as they are. */
async function cachedFromOrigin(c: Context<AppEnv>): Promise<{ response: Response; hit: boolean }> {
  const url = new URL(c.req.url);
  const params = [...url.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b));
  const query = new URLSearchParams(params).toString();
  const key = new Request(`${CACHE_HOST}/${await catalogGeneration(c)}${url.pathname}${query ? `?${query}` : ""}`);
  const cache = caches.default;
  const hit = await cache.match(key);
  if (hit) return { response: hit, hit: true };
  let origin: Response;
  try {
    origin = await serviceFetch(apiSettings(c.env).origin, `${url.pathname}${query ? `?${query}` : ""}`, {
      headers: { accept: "application/json" },
      requestId: c.var.requestId,
    });
  } catch (err) {
    c.var.log.error("origin unreachable", { err });
    throw problems.unavailable("origin-unavailable", "The catalog is unreachable; try again shortly.");
  }
  if (origin.status !== 200) return { response: origin, hit: false };
  const stored = new Response(origin.body, {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": `public, max-age=${EDGE_TTL_SECONDS}` },
  });
  c.executionCtx.waitUntil(cache.put(key, stored.clone()));
  return { response: stored, hit: false };
}

function toClient(response: Response, hit: boolean, body?: unknown): Response {
  const headers = stripServiceToken(new Headers(response.headers));
  if (response.ok) headers.set("cache-control", `private, max-age=${CLIENT_TTL_SECONDS}`);
  headers.set("x-cache", hit ? "HIT" : "MISS");
  if (body !== undefined) return new Response(JSON.stringify(body), { status: response.status, headers });
  return new Response(response.body, { status: response.status, headers });
}

export function catalogRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const listener = edgeAuth({ scopes: ["listener", "ops"] });
  app.use("/v1/catalog/*", listener);
  app.use("/v1/search", listener);

  const passThrough = async (c: Context<AppEnv>) => {
    const { response, hit } = await cachedFromOrigin(c);
    return toClient(response, hit);
  };
  app.get("/v1/catalog/tracks", passThrough);
  app.get("/v1/catalog/releases", passThrough);
  app.get("/v1/catalog/releases/:id", passThrough);
  app.get("/v1/catalog/artists", passThrough);
  app.get("/v1/catalog/artists/:id", passThrough);
  app.get("/v1/search", passThrough);

  app.get("/v1/catalog/tracks/:id", async (c) => {
    const { response, hit } = await cachedFromOrigin(c);
    if (response.status !== 200) return toClient(response, hit);
    const track = (await response.json()) as { availability: Availability };
    const claims = (c.var as Partial<AuthVariables>).claims!;
    const playable = isPlayable(track, claims.country, claims.tier, Date.now());
    return toClient(response, hit, { ...track, playable: { country: claims.country, tier: claims.tier, ...playable } });
  });

  // One delivery, or a batch (a zip of delivery folders): streamed to the origin's ingester as they come.
  for (const path of ["/v1/ops/catalog/deliveries", "/v1/ops/catalog/batches"] as const) {
    app.post(path, edgeAuth({ scopes: ["ops"] }), async (c) => {
      const body = c.req.raw.body;
      if (!body) throw problems.badRequest("Upload the delivery folder (or the batch of them) as a zip in the body.");
      const headers = new Headers({ "content-type": c.req.header("content-type") ?? "application/octet-stream" });
      const length = c.req.header("content-length");
      if (length) headers.set("content-length", length);
      let response: Response;
      try {
        response = await serviceFetch(apiSettings(c.env).origin, path, {
          method: "POST",
          headers,
          body,
          requestId: c.var.requestId,
          timeoutMs: path.endsWith("batches") ? BATCH_TIMEOUT_MS : INGEST_TIMEOUT_MS,
        });
      } catch (err) {
        c.var.log.error("origin unreachable", { err });
        throw problems.unavailable("origin-unavailable", "The catalog ingester is unreachable; try again shortly.");
      }
      // This colo sees its own ingest at once; others within the generation's few seconds.
      if (response.status === 201 || path.endsWith("batches")) generation = undefined;
      const out = new Response(response.body, response);
      stripServiceToken(out.headers);
      return out;
    });
  }
  return app;
}
