/**
 * The ingest-events worker: play, ad and QoE events from players, validated, deduped, enriched and queued.
 */

import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { createWorkerApp } from "@cadence/shared/worker-app";
import type { Env } from "./context";

const app = createWorkerApp<Env, Partial<AuthVariables>>("ingest-events");

export default app;
