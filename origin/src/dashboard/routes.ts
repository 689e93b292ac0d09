/**
 * `GET /v1/internal/ops/dashboard?from&to&country&granularity` (edge only; the api worker checks the ops scope and
 * caches the answer for a minute): the leadership dashboard from the warehouse. Days are UTC `YYYY-MM-DD`, inclusive;
 * default the last 30 days by day. At most 400 days per call.
 */
import { parseWith } from "@cadence/shared/http";
import { problems } from "@cadence/shared/problem";
import { requireEdgeCaller } from "@cadence/shared/trust/edge-only";
import { Hono } from "hono";
import { z } from "zod";
import type { OriginEnv } from "../context";
import { type DashboardDeps, dashboardReport } from "./report";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day, YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "is not a calendar day");
const query = z.object({
  from: day.optional(),
  to: day.optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as DE")
    .optional(),
  granularity: z.enum(["day", "month"]).default("day"),
});
const MAX_DAYS = 400;
const DAY_MS = 86_400_000;

export function dashboardRoutes(deps: DashboardDeps): Hono<OriginEnv> {
  const app = new Hono<OriginEnv>();
  app.get("/v1/internal/ops/dashboard", async (c) => {
    requireEdgeCaller(c.var.fromEdge, "Only the edge may call this endpoint.");
    const q = parseWith(query, c.req.query(), "query");
    const to = q.to ?? new Date().toISOString().slice(0, 10);
    const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
    if (from > to) throw problems.badRequest("from must not be after to.");
    if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_DAYS) {
      throw problems.badRequest(`A dashboard covers at most ${MAX_DAYS} days; narrow from/to.`);
    }
    try {
      return c.json(await dashboardReport(deps, { from, to, country: q.country, granularity: q.granularity }));
    } catch (err) {
      c.var.log.warn("dashboard query failed", { err: String(err) });
      throw problems.unavailable("warehouse-unavailable", "The warehouse did not answer; try again shortly.");
    }
  });
  return app;
}
