/**
 * The edge front door: one hostname that routes each request by path prefix to the worker that owns it (routes.ts),
 * through service bindings, passing method, headers and body through untouched. A `/v1/` path no worker serves is a
 * problem+json 404, the same answer each worker gives for a route it does not know.
 */
import { requestIdFrom } from "@cadence/shared/http";
import { Problem, problemResponse } from "@cadence/shared/problem";
import type { Env } from "./context";
import { HEALTH_OF, ownerOf } from "./routes";

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const { pathname } = url;
    const healthOf = HEALTH_OF[pathname];
    if (healthOf) {
      url.pathname = "/health";
      return env[healthOf].fetch(new Request(url, request));
    }
    const owner = ownerOf(pathname);
    if (!owner) {
      return Promise.resolve(
        problemResponse(
          new Problem("route-not-found", `No route for ${request.method} ${pathname}.`),
          requestIdFrom(request.headers),
        ),
      );
    }
    return env[owner].fetch(request);
  },
} satisfies ExportedHandler<Env>;
