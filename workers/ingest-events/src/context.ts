/**
 * This worker's bindings and hono context. `Env` is written by hand and checked against `wrangler types` output
 * (worker-configuration.d.ts) at compile time below, so the config and the code cannot drift apart.
 */
import type { AuthVariables } from "@cadence/shared/auth/middleware";
import type { EdgeBaseEnv } from "@cadence/shared/edge";
import type { WorkerAppEnv } from "@cadence/shared/worker-app";

export interface Env extends EdgeBaseEnv {
  /** The events queue (producer side); message bodies are JSON text (see @cadence/shared/events/message). */
  EVENTS_QUEUE: Queue<string>;
  /** Consumer retry backoff base, in seconds. */
  EVENTS_RETRY_DELAY_SECONDS: string;
  /** Secret: HMAC key for the origin's events endpoints, held by this worker and the origin only. */
  EVENTS_INGEST_SECRET: string;
  /** Secret: the edge's service token; other workers present it to send server-side events (ad beacons). */
  SERVICE_TOKEN: string;
}

/** Queue names as in wrangler.toml; the one `queue` handler serves both. */
export const EVENTS_QUEUE_NAME = "cadence-events";
export const EVENTS_DLQ_NAME = "cadence-events-dlq";

export type AppEnv = WorkerAppEnv<Env, Partial<AuthVariables>>;

// Every binding the wrangler config declares must be in Env with the same type.
type Assert<T extends true> = T;
export type EnvMatchesWranglerConfig = Assert<WranglerEnv extends Pick<Env, keyof WranglerEnv> ? true : false>;
