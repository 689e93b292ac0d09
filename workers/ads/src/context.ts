/**
 * This worker's bindings and hono context. `Env` is written by hand and checked against `wrangler types` output
 * (worker-configuration.d.ts) at compile time below, so the config and the code cannot drift apart.
 */
import type { AuthVariables } from "@cadence/shared/auth/middleware";
import type { EdgeBaseEnv } from "@cadence/shared/edge";
import type { WorkerAppEnv } from "@cadence/shared/worker-app";

export interface Env extends EdgeBaseEnv {
  /** Secret: HMAC key of the tracking beacons (generated at start-up locally, `wrangler secret put` in production). */
  ADS_BEACON_SECRET: string;
  /** Secret: the edge's service token (origin media pulls, internal break requests from playback, server events). */
  SERVICE_TOKEN: string;
  /** The ingest-events worker: beacons' events go through the events pipeline (`POST /v1/internal/events/server`). */
  EVENTS: Fetcher;
  /** Seconds a served ad's budget and cap stay reserved without an impression or notUsed. */
  ADS_RESERVATION_TTL_SECONDS: string;
}

export type AppEnv = WorkerAppEnv<Env, Partial<AuthVariables>>;

// Every binding the wrangler config declares must be in Env with the same type.
type Assert<T extends true> = T;
export type EnvMatchesWranglerConfig = Assert<WranglerEnv extends Pick<Env, keyof WranglerEnv> ? true : false>;
