/**
 * Lifecycle webhooks for ops (edge only; the api worker's `/v1/ops/lifecycle/*` checks the ops scope):
 * - `POST /v1/internal/lifecycle/run`: find today's moments (churn risk), queue the new ones, send what is due;
 * - `GET /v1/internal/lifecycle/deliveries?status=pending|delivered|failed|all&limit=`: deliveries and failures.
 * Without `BRAZE_USERS_TRACK_URL`, `BRAZE_API_KEY` and `LIFECYCLE_WEBHOOK_SECRET` the run answers 503.
 */
import { parseWith } from "@cadence/shared/http";
import { problems } from "@cadence/shared/problem";
import { requireEdgeCaller } from "@cadence/shared/trust/edge-only";
import { Hono } from "hono";
import { z } from "zod";
import type { LifecycleSettings } from "../config";
import type { OriginEnv } from "../context";
import type { Database } from "../db/client";
import type { Warehouse } from "../warehouse/warehouse";
import { deliverDue, listDeliveries, queueMoments } from "./deliveries";
import { churnRiskMoments } from "./moments";

const listQuery = z.object({
  status: z.enum(["pending", "delivered", "failed", "all"]).default("all"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export interface LifecycleDeps {
  db: Database;
  warehouse: Warehouse;
  settings: LifecycleSettings;
}

/** One pass: queue today's moments, send what is due. Also run by the origin every few minutes. */
export async function runLifecycle({ db, warehouse, settings }: LifecycleDeps, now = Date.now()) {
  const queued = await queueMoments(db, await churnRiskMoments(db, warehouse, now), now);
  return { queued, ...(await deliverDue(db, settings, now)) };
}

export const lifecycleConfigured = (s: LifecycleSettings) =>
  Boolean(s.BRAZE_USERS_TRACK_URL && s.BRAZE_API_KEY && s.LIFECYCLE_WEBHOOK_SECRET);

export function lifecycleRoutes(deps: LifecycleDeps): Hono<OriginEnv> {
  const app = new Hono<OriginEnv>();
  app.post("/v1/internal/lifecycle/run", async (c) => {
    requireEdgeCaller(c.var.fromEdge, "Only the edge may call this endpoint.");
    if (!lifecycleConfigured(deps.settings)) {
      throw problems.unavailable(
        "lifecycle-not-configured",
        "Set BRAZE_USERS_TRACK_URL, BRAZE_API_KEY and LIFECYCLE_WEBHOOK_SECRET to send lifecycle webhooks.",
      );
    }
    return c.json(await runLifecycle(deps));
  });
  app.get("/v1/internal/lifecycle/deliveries", async (c) => {
    requireEdgeCaller(c.var.fromEdge, "Only the edge may call this endpoint.");
    const q = parseWith(listQuery, c.req.query(), "query");
    const status = q.status === "all" ? (["pending", "delivered", "failed"] as const) : ([q.status] as const);
    c.header("cache-control", "no-store");
    return c.json({ deliveries: await listDeliveries(deps.db, [...status], q.limit) });
  });
  return app;
}
