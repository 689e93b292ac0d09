/**
 * The edge front door (root wrangler.toml): routes each request by path prefix to the worker that owns it, through
 * service bindings (no extra network hop in production). Everything not claimed by playback, events or ads is the
 * api worker's, including `/health` of the front door itself.
 */
export interface Env {
  API: Fetcher;
  PLAYBACK: Fetcher;
  INGEST_EVENTS: Fetcher;
  ADS: Fetcher;
}

const ROUTES: Array<[prefix: string, binding: keyof Env]> = [
  ["/v1/play/", "PLAYBACK"],
  ["/v1/steering/", "PLAYBACK"],
  ["/v1/cdn/", "PLAYBACK"],
  ["/v1/events", "INGEST_EVENTS"],
  ["/v1/ads/", "ADS"],
];

export function ownerOf(pathname: string): keyof Env {
  for (const [prefix, binding] of ROUTES) if (pathname.startsWith(prefix)) return binding;
  return "API";
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return env[ownerOf(new URL(request.url).pathname)].fetch(request);
  },
} satisfies ExportedHandler<Env>;
