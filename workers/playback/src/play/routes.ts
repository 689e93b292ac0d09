/**
 * The play routes: the master playlist (listener access token) and the media playlists (playback token), with CORS
 * for players on other origins (hls.js in a web page) and Accept-CH so Chromium sends the network hints the start
 * rendition uses. The Cloudflare pathway's segments (`cdn/`), steering manifests (`steering/`) and ad segments
 * (`ads/`) register their own routes.
 */
import { edgeAuth } from "@cadence/shared/edge";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { playerCors } from "../core/player-cors";
import { ACCEPT_CH } from "./ladder";
import { masterPlaylist } from "./master";
import { mediaPlaylist } from "./media";

export function playRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/v1/play/*", playerCors());
  app.use("/v1/play/*", async (c, next) => {
    c.res.headers.set("accept-ch", ACCEPT_CH);
    await next();
  });
  app.get("/v1/play/:trackId/master.m3u8", edgeAuth({ scopes: ["listener"], allowQueryToken: true }), masterPlaylist);
  app.get("/v1/play/:sessionId/:rendition/:playlist{[a-z]+\\.m3u8}", mediaPlaylist);
  return app;
}
