/**
 * Lifecycle webhooks for ops (ops scope), read through the origin: `POST /v1/ops/lifecycle/run` finds today's moments
 * and sends what is due; `GET /v1/ops/lifecycle/deliveries?status&limit` lists deliveries and failures.
 */
import { edgeAuth } from "@cadence/shared/edge";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { forwardToOrigin } from "../origin-proxy";

export function lifecycleOpsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/v1/ops/lifecycle/*", edgeAuth({ scopes: ["ops"] }));
  app.post("/v1/ops/lifecycle/run", (c) => forwardToOrigin(c, "/v1/internal/lifecycle/run"));
  app.get("/v1/ops/lifecycle/deliveries", (c) => forwardToOrigin(c, "/v1/internal/lifecycle/deliveries"));
  return app;
}
