/**
 * `GET /v1/ops/edge-state` (ops scope): the origin's edge-state healer report (the generation marker, the last check
 * and sweep, what was republished or repaired); `POST /v1/ops/edge-state/sweep` runs a drift sweep now and answers
 * what it repaired. Both read through the origin, which owns the records the edge copies come from.
 */
import { edgeAuth } from "@cadence/shared/edge";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { forwardToOrigin } from "../origin-proxy";

export function edgeStateRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/v1/ops/edge-state", edgeAuth({ scopes: ["ops"] }));
  app.use("/v1/ops/edge-state/*", edgeAuth({ scopes: ["ops"] }));
  app.get("/v1/ops/edge-state", (c) => forwardToOrigin(c, "/v1/internal/edge-state"));
  app.post("/v1/ops/edge-state/sweep", (c) => forwardToOrigin(c, "/v1/internal/edge-state/sweep"));
  return app;
}
