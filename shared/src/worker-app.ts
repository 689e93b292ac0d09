/**
 * The skeleton of every worker's hono app: request context, problem+json handling, and `/health` with readiness of
 * the worker's dependencies (Redis always; each worker adds its own).
 */
import type { Hono } from "hono";
import { type EdgeBaseEnv, redisFor } from "./edge";
import { type BaseVariables, createServiceApp, healthBody } from "./http";
import { createLogger } from "./log";

export interface WorkerAppEnv<E extends EdgeBaseEnv, V extends object = object> {
  Bindings: E;
  Variables: BaseVariables & V;
}

export function createWorkerApp<E extends EdgeBaseEnv, V extends object = object>(
  service: string,
  extraChecks: (env: E) => Record<string, () => Promise<unknown>> = () => ({}),
): Hono<WorkerAppEnv<E, V>> {
  const app = createServiceApp<WorkerAppEnv<E, V>>(createLogger(service));
  app.get("/health", async (c) =>
    c.json(
      await healthBody(service, {
        redis: () => redisFor(c.env).ping(),
        ...extraChecks(c.env),
      }),
    ),
  );
  return app;
}
