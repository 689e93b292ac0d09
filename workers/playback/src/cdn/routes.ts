/**
 * The Cloudflare pathway's route: `GET`/`HEAD /v1/cdn/cloudflare/*` (segments under this worker's own HMAC token),
 * with the players' CORS, since hls.js fetches these segments from a web page on another origin.
 */
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { playerCors } from "../core/player-cors";
import { CLOUDFLARE_PATHWAY_PREFIX } from "../signing/segment-urls";
import { cloudflareSegment } from "./cloudflare-pathway";

export function cdnRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/v1/cdn/*", playerCors());
  app.on(["GET", "HEAD"], `${CLOUDFLARE_PATHWAY_PREFIX}/*`, cloudflareSegment);
  return app;
}
