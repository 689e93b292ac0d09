/**
 * CORS for the routes players call from web pages on other origins (hls.js fetching playlists, segments and
 * steering manifests): GET/HEAD from anywhere, the request headers a player sends (and the development-only
 * territory overrides), and the response headers a player or its debugging UI reads. One definition, so the play,
 * Cloudflare-pathway and steering routes answer preflights alike.
 */
import { cors } from "hono/cors";

export function playerCors() {
  return cors({
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
}
