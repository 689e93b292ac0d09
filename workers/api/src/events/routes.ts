/**
 * `GET /v1/ops/events/stats` (ops scope): the events pipeline's counts, read through the origin, which combines the
 * edge's counters in Redis with the event store: accepted, duplicates, failed by reason, stored, in flight, qualified
 * streams per track and day, and whether `accepted = stored + in flight` holds. Query: `from`, `to` (YYYY-MM-DD, the
 * qualified-streams window; default the last 7 days), `track_id`, `limit` (track-day rows).
 */
import { edgeAuth } from "@cadence/shared/edge";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { forwardToOrigin } from "../origin-proxy";

export function eventsStatsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/v1/ops/events/*", edgeAuth({ scopes: ["ops"] }));
  app.get("/v1/ops/events/stats", (c) => forwardToOrigin(c, "/v1/internal/events/stats"));
  return app;
}
