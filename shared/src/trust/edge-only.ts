/**
 * The origin's edge-only guard. The origin is reached by the edge workers (holding the service token) and, for a few
 * routes, directly by tools on the operator's machine. Routes that serve the edge only (media pulls, landing events,
 * the audit log, catalog reads the edge caches) refuse every other caller with one 403, whatever the route.
 */
import type { MiddlewareHandler } from "hono";
import { Problem } from "../problem";

export interface EdgeCallerVariables {
  /** Set once per request by the origin from the service token. */
  fromEdge: boolean;
}

const DEFAULT_DETAIL = "This origin endpoint serves Cadence's edge only; call it through the edge workers.";

/** Throws 403 `edge-only` unless the request came from the edge. */
export function requireEdgeCaller(fromEdge: boolean, detail: string = DEFAULT_DETAIL): void {
  if (!fromEdge) throw new Problem("edge-only", detail);
}

/** Middleware form of `requireEdgeCaller`, for whole route groups. */
export function edgeOnly(detail: string = DEFAULT_DETAIL): MiddlewareHandler<{ Variables: EdgeCallerVariables }> {
  return async (c, next) => {
    requireEdgeCaller(c.var.fromEdge === true, detail);
    await next();
  };
}
