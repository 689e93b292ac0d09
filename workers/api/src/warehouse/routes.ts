/**
 * Ops routes over the warehouse (ops scope):
 * - `GET /v1/ops/dashboard?from&to&country&granularity`: the leadership dashboard, computed by the origin from the
 *   warehouse and cached at the edge for a minute (one cache entry per query string; `x-cache: hit|miss`);
 * - `POST /v1/ops/history/backfill?first_line&source`: one NDJSON chunk of historical events into the warehouse
 *   (`npm run backfill` sends files through here chunk by chunk).
 */
import { edgeAuth } from "@cadence/shared/edge";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { forwardToOrigin } from "../origin-proxy";

const DASHBOARD_TTL_SECONDS = 60;

export function warehouseOpsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/v1/ops/dashboard", edgeAuth({ scopes: ["ops"] }));
  app.use("/v1/ops/history/*", edgeAuth({ scopes: ["ops"] }));

  app.get("/v1/ops/dashboard", async (c) => {
    const url = new URL(c.req.url);
    url.searchParams.sort();
    // The key carries no credentials: every ops caller sees the same dashboard for the same query.
    const key = new Request(`https://dashboard.cache${url.pathname}?${url.searchParams}`);
    const cache = (caches as unknown as { default: Cache }).default;
    const hit = await cache.match(key);
    if (hit) {
      const out = new Response(hit.body, hit);
      out.headers.set("x-cache", "hit");
      return out;
    }
    const res = await forwardToOrigin(c, "/v1/internal/ops/dashboard");
    if (!res.ok) return res;
    const body = await res.arrayBuffer();
    const headers = new Headers({
      "content-type": "application/json",
      "cache-control": `private, max-age=${DASHBOARD_TTL_SECONDS}`,
    });
    const stored = new Response(body, {
      headers: { "content-type": "application/json", "cache-control": `public, s-maxage=${DASHBOARD_TTL_SECONDS}` },
    });
    c.executionCtx.waitUntil(cache.put(key, stored));
    headers.set("x-cache", "miss");
    return new Response(body, { headers });
  });

  app.post("/v1/ops/history/backfill", (c) => forwardToOrigin(c, "/v1/internal/history/backfill"));
  return app;
}
