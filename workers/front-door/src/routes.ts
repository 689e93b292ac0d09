/**
 * Which worker owns a path. The `/v1/` API is mapped prefix by prefix, so a `/v1/` path no worker serves is answered
 * here with a 404 (and internal edge-to-edge routes, `/v1/internal/`, are never reachable from outside: workers call
 * them over their own service bindings). Everything outside `/v1/` (the web pages and their assets, `/health`) is the
 * api worker's, except `/health/<worker>`, which reaches that worker's own `/health` (so one address shows whether each
 * worker behind the door is up). A worker that adds a `/v1/` prefix adds it here too; the tests list every prefix.
 */
import type { Owner } from "./context";

/** Prefixes in match order: the first that matches wins (more specific ones first). */
export const ROUTES: ReadonlyArray<readonly [prefix: string, owner: Owner]> = [
  // playback
  ["/v1/play/", "PLAYBACK"],
  ["/v1/steering/", "PLAYBACK"],
  ["/v1/cdn/", "PLAYBACK"],
  ["/v1/license/", "PLAYBACK"],
  ["/v1/offline/", "PLAYBACK"],
  // ingest-events (its ops endpoints first: the rest of /v1/ops/ is the api worker's)
  ["/v1/ops/events/dead-letters", "INGEST_EVENTS"],
  ["/v1/events", "INGEST_EVENTS"],
  // ads
  ["/v1/ads/", "ADS"],
  // api
  ["/v1/auth/", "API"],
  ["/v1/catalog/", "API"],
  ["/v1/search", "API"],
  ["/v1/me", "API"],
  ["/v1/ops/", "API"],
  ["/v1/web/", "API"],
  ["/v1/advertiser/", "API"],
];

/** A prefix ending in `/` matches everything below it; one without matches itself and what lies below it. */
function matches(pathname: string, prefix: string): boolean {
  if (prefix.endsWith("/")) return pathname.startsWith(prefix);
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** `/health/<worker>` names the worker whose own `/health` answers. */
export const HEALTH_OF: Readonly<Record<string, Owner>> = {
  "/health/api": "API",
  "/health/playback": "PLAYBACK",
  "/health/ingest-events": "INGEST_EVENTS",
  "/health/ads": "ADS",
};

/** The worker that serves a path, or undefined for a `/v1/` path nobody serves. */
export function ownerOf(pathname: string): Owner | undefined {
  for (const [prefix, owner] of ROUTES) if (matches(pathname, prefix)) return owner;
  if (pathname === "/v1" || pathname.startsWith("/v1/")) return undefined;
  return "API";
}
