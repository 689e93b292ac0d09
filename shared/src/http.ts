/**
 * The hono plumbing every service shares: request ids, the problem+json error handler, 404s, JSON body parsing that
 * answers a clear 400, and the `/health` body. Workers and the origin build their apps on top of `createServiceApp`.
 */

import type { Context, Env as HonoEnv, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import type { z } from "zod";
import type { Logger } from "./log";
import { Problem, problemResponse, problems } from "./problem";
import { describeIssues, plainIssue } from "./validation-messages";

export interface BaseVariables {
  requestId: string;
  log: Logger;
}

export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get("x-request-id") ?? headers.get("cf-ray");
  if (incoming && /^[A-Za-z0-9._:-]{1,128}$/.test(incoming)) return incoming;
  return crypto.randomUUID();
}

/** Adds the request id and a request-scoped logger; logs each response (5xx as errors). */
export function requestContext(logger: Logger): MiddlewareHandler<{ Variables: BaseVariables }> {
  return async (c, next) => {
    const requestId = requestIdFrom(c.req.raw.headers);
    const log = logger.child({ request_id: requestId });
    c.set("requestId", requestId);
    c.set("log", log);
    const started = Date.now();
    await next();
    c.res.headers.set("x-request-id", requestId);
    const fields = { method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - started };
    if (c.res.status >= 500) log.error("request failed", fields);
    else log.debug("request", fields);
  };
}

/** Installs the problem+json error and not-found handlers on an app. */
export function installProblemHandlers<E extends HonoEnv>(app: Hono<E>, logger: Logger): void {
  app.onError((err, c) => {
    const requestId = (c.get("requestId" as never) as string | undefined) ?? requestIdFrom(c.req.raw.headers);
    if (err instanceof Problem) {
      if (err.status >= 500) logger.error("problem", { request_id: requestId, code: err.code, err: err.cause ?? err });
      return problemResponse(err, requestId);
    }
    // hono's own HTTPException (e.g. from its body-limit middleware) keeps its status; anything else is ours.
    const status = (err as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const code = status === 413 ? "payload-too-large" : status === 415 ? "unsupported-media-type" : "bad-request";
      return problemResponse(new Problem(code, err.message || "The request was not acceptable."), requestId);
    }
    logger.error("unhandled error", { request_id: requestId, err });
    return problemResponse(problems.internal(err), requestId);
  });
  app.notFound((c) => {
    const requestId = (c.get("requestId" as never) as string | undefined) ?? requestIdFrom(c.req.raw.headers);
    return problemResponse(
      new Problem("route-not-found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`),
      requestId,
    );
  });
}

/** Parses and validates a JSON body; every failure is a 400 that says where. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().includes("application/json")) {
    throw new Problem("unsupported-media-type", "Send the body as JSON with `content-type: application/json`.");
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw problems.badRequest("The body is not valid JSON.");
  }
  return parseWith(schema, raw, "body");
}

/**
 * Validates `value`; every failure is a 400 whose detail is one plain sentence per field (the first issue of each
 * field only: a field that is both too long and badly formed needs one fix named, not two), and whose `errors` list
 * the same sentences with their field for programs.
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value, { error: plainIssue });
  if (result.success) return result.data;
  const errors = describeIssues(result.error.issues, where);
  throw problems.validation(errors.map((e) => e.message).join(" ") || "The request is not valid.", errors);
}

export interface HealthBody {
  status: "ok" | "degraded";
  service: string;
  checks: Record<string, { ok: boolean; ms?: number; error?: string }>;
  [extra: string]: unknown;
}

/** Runs readiness checks with a timeout each; the service itself is `ok` if it answers, checks say what's ready. */
export async function healthBody(
  service: string,
  checks: Record<string, () => Promise<unknown>>,
  extra: Record<string, unknown> = {},
  timeoutMs = 1500,
): Promise<HealthBody> {
  const results: HealthBody["checks"] = {};
  await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const started = Date.now();
      try {
        await withTimeout(check(), timeoutMs);
        results[name] = { ok: true, ms: Date.now() - started };
      } catch (err) {
        results[name] = {
          ok: false,
          ms: Date.now() - started,
          error: err instanceof Error ? err.message : String(err),
        };
      }
    }),
  );
  return { status: "ok", service, ready: Object.values(results).every((r) => r.ok), checks: results, ...extra };
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export function createServiceApp<E extends HonoEnv & { Variables: BaseVariables }>(logger: Logger): Hono<E> {
  const app = new Hono<E>();
  app.use("*", requestContext(logger) as unknown as MiddlewareHandler<E>);
  installProblemHandlers(app, logger);
  return app;
}
