/**
 * The api worker's bindings and hono context. `Env` is written by hand and checked against `wrangler types` output
 * (worker-configuration.d.ts) at compile time below, so the config and the code cannot drift apart.
 */
import type { AuthVariables } from "@cadence/shared/auth/middleware";
import type { EdgeBaseEnv } from "@cadence/shared/edge";
import type { WorkerAppEnv } from "@cadence/shared/worker-app";

export interface Env extends EdgeBaseEnv {
  /** Secret: presented to the origin as `x-service-token`. */
  SERVICE_TOKEN: string;
  /** Where browsers reach the playback, ingest-events and ads workers ("" = the page's own origin). */
  PLAYBACK_PUBLIC_URL: string;
  EVENTS_PUBLIC_URL: string;
  ADS_PUBLIC_URL: string;
  /** Local CDN stand-ins with operator knobs: `cloudfront=<url>,akamai=<url>`; empty in production. */
  CDN_STAND_IN_URLS: string;
}

export type AppEnv = WorkerAppEnv<Env, Partial<AuthVariables>>;

// Every binding the wrangler config declares must be in Env with the same type.
type Assert<T extends true> = T;
export type EnvMatchesWranglerConfig = Assert<WranglerEnv extends Pick<Env, keyof WranglerEnv> ? true : false>;
