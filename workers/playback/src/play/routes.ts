/**
 * The playback routes: master and media playlists and the Cloudflare pathway's segments, with CORS for players on
 * other origins (hls.js in a web page) and Accept-CH so Chromium sends the network hints the start rendition uses.
 */
import { edgeAuth } from "@cadence/shared/edge";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { cloudflareSegment } from "../cdn/cloudflare-pathway";
import type { AppEnv } from "../context";
import { ACCEPT_CH } from "./ladder";
import { masterPlaylist } from "./master";
import { mediaPlaylist } from "./media";

export function playRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const corsHeaders = cors({
    origin: "*",
    allowMethods: ["GET", "HEAD", "OPTIONS"],
    allowHeaders: ["authorization", "range", "x-cadence-country", "x-cadence-continent"],
    exposeHeaders: [
      "content-length",
      "content-range",
      "x-cdn",
      "x-request-id",
      "x-playback-session",
      "cf-cache-status",
    ],
    maxAge: 600,
  });
  app.use("/v1/play/*", corsHeaders);
  app.use("/v1/cdn/*", corsHeaders);
  // Content-steering manifests are fetched by the same players (steeringRoutes registers the handler).
  app.use("/v1/steering/*", corsHeaders);
  app.use("/v1/play/*", async (c, next) => {
    c.res.headers.set("accept-ch", ACCEPT_CH);
    await next();
  });
  app.get("/v1/play/:trackId/master.m3u8", edgeAuth({ scopes: ["listener"], allowQueryToken: true }), masterPlaylist);
  app.get("/v1/play/:sessionId/:rendition/:playlist{[a-z]+\\.m3u8}", mediaPlaylist);
  app.on(["GET", "HEAD"], "/v1/cdn/cloudflare/*", cloudflareSegment);
  return app;
}
