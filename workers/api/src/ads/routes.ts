/**
 * The advertiser API (`/v1/advertiser/...`): campaigns, creatives and reports, answered by the origin, which owns
 * them. The token is checked here first (advertiser or ops scope), so strangers never reach the origin; the origin
 * checks it again and enforces which advertiser's objects the caller may see and change.
 */
import { edgeAuth } from "@cadence/shared/edge";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { forwardToOrigin } from "../origin-proxy";

export function adsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/v1/advertiser/*", edgeAuth({ scopes: ["advertiser", "ops"] }));
  app.on(["GET", "POST", "PATCH"], "/v1/advertiser/*", (c) => forwardToOrigin(c));
  return app;
}
