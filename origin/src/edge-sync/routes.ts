/**
 * The edge-state healer's report for ops, through the api worker (`GET /v1/ops/edge-state`): the generation marker,
 * when the last check and sweep ran, and what was republished or repaired. `POST /v1/internal/edge-state/sweep` runs a
 * sweep now and answers what it repaired. Edge only (service token).
 */
import { edgeOnly } from "@cadence/shared/trust/edge-only";
import { Hono } from "hono";
import type { OriginEnv } from "../context";
import type { EdgeStateHealer } from "./healer";

export function edgeStateRoutes(healer: EdgeStateHealer): Hono<OriginEnv> {
  const app = new Hono<OriginEnv>();
  app.use("/v1/internal/edge-state/*", edgeOnly("The edge-state report is for the edge only."));
  app.use("/v1/internal/edge-state", edgeOnly("The edge-state report is for the edge only."));
  app.get("/v1/internal/edge-state", (c) => {
    c.header("cache-control", "no-store");
    return c.json(healer.report());
  });
  app.post("/v1/internal/edge-state/sweep", async (c) => c.json(await healer.sweep()));
  app.post("/v1/internal/edge-state/check", async (c) => c.json({ republished: await healer.check() }));
  return app;
}
