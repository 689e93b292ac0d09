/**
 * The skeleton of every worker's hono app: request context, problem+json handling, a guard that answers 503 naming
 * the settings a deployment forgot (so a half-configured worker never serves), and `/health` with readiness of the
 * worker's dependencies (Redis always; each worker adds its own).
 */
import type { Hono, MiddlewareHandler } from "hono";
import { DEPLOYMENT, missingSettings, type WorkerName } from "./config/deployment";
import { type EdgeBaseEnv, redisFor } from "./edge";
import { type BaseVariables, createServiceApp, healthBody } from "./http";
import { createLogger } from "./log";
import { Problem } from "./problem";

export interface WorkerAppEnv<E extends EdgeBaseEnv, V extends object = object> {
  Bindings: E;
  Variables: BaseVariables & V;
}

export function createWorkerApp<E extends EdgeBaseEnv, V extends object = object>(
  service: string,
  extraChecks: (env: E) => Record<string, () => Promise<unknown>> = () => ({}),
): Hono<WorkerAppEnv<E, V>> {
  const app = createServiceApp<WorkerAppEnv<E, V>>(createLogger(service));
  if (Object.hasOwn(DEPLOYMENT, service)) {
    const guard = requireDeploymentSettings(service as WorkerName);
    app.use("*", guard as unknown as MiddlewareHandler<WorkerAppEnv<E, V>>);
  }
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

/** The names a deployment left unset, found once per env object (an isolate keeps its env). */
const missingByEnv = new WeakMap<object, string[]>();

/** Answers 503 `settings-missing` naming every unset setting and secret of `worker`, on every route incl. /health. */
export function requireDeploymentSettings(worker: WorkerName): MiddlewareHandler<{ Bindings: object }> {
  return async (c, next) => {
    let missing = missingByEnv.get(c.env);
    if (!missing) {
      missing = missingSettings(worker, c.env);
      missingByEnv.set(c.env, missing);
    }
    if (missing.length > 0) {
      throw new Problem(
        "settings-missing",
        `This deployment of the ${worker} worker is missing ${missing.join(", ")}; set ${missing.length > 1 ? "them" : "it"} (docs/operations.md lists every setting) and deploy again.`,
      );
    }
    await next();
  };
}
