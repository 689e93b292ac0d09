/**
 * The front door's bindings: the four workers it routes to, as service bindings (no extra network hop in production).
 * `Env` is written by hand and checked against `wrangler types` output (worker-configuration.d.ts) at compile time
 * below, so the config and the code cannot drift apart.
 */
export interface Env {
  /** The api worker: catalog, search, login, ops and advertiser APIs, and the web pages. */
  API: Fetcher;
  /** The playback worker: playlists, steering manifests, the CDN pathway it serves itself. */
  PLAYBACK: Fetcher;
  /** The ingest-events worker: event intake and the dead-letter ops endpoints. */
  INGEST_EVENTS: Fetcher;
  /** The ads worker: VAST decisions, tracking beacons, creatives' media. */
  ADS: Fetcher;
}

export type Owner = keyof Env;

// Every binding the wrangler config declares must be in Env with the same type, and Env declares nothing more.
type Assert<T extends true> = T;
export type EnvMatchesWranglerConfig = Assert<WranglerEnv extends Pick<Env, keyof WranglerEnv> ? true : false>;
export type WranglerConfigMatchesEnv = Assert<Env extends Pick<WranglerEnv, keyof Env> ? true : false>;
