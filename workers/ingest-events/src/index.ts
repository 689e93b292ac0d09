/**
 * The ingest-events worker: play, ad and QoE events from players, validated, deduped, enriched and queued
 * (`POST /v1/events`); the same worker consumes the queue and lands batches at the origin (`queue`), and serves the
 * dead-letter ops endpoints that `npm run dlq` uses.
 */

import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { createLogger } from "@cadence/shared/log";
import { createWorkerApp } from "@cadence/shared/worker-app";
import { cors } from "hono/cors";
import { consumeEvents } from "./consumer";
import type { Env } from "./context";
import { deadLetterRoutes } from "./dead-letter-routes";
import { intakeRoutes } from "./intake-routes";

const app = createWorkerApp<Env, Partial<AuthVariables>>("ingest-events");
// Players on other origins (the web player served by the api worker) post events with a bearer token: CORS for
// POST /v1/events only (no cookies are involved, so any origin may).
app.use(
  "/v1/events",
  cors({
    origin: "*",
    allowMethods: ["POST", "OPTIONS"],
    allowHeaders: ["authorization", "content-type"],
    maxAge: 600,
  }),
);
app.route("/", intakeRoutes());
app.route("/", deadLetterRoutes());

const consumerLog = createLogger("ingest-events-consumer");

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeEvents(batch, env, consumerLog),
} satisfies ExportedHandler<Env, unknown>;
