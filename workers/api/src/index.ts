/**
 * The api worker: the front door for apps. Login and token refresh are forwarded to the origin (which owns identity);
 * `GET /v1/me` answers from the verified token alone.
 */

import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { edgeAuth } from "@cadence/shared/edge";
import { createWorkerApp } from "@cadence/shared/worker-app";
import { adsRoutes } from "./ads/routes";
import { catalogRoutes } from "./catalog/routes";
import type { Env } from "./context";
import { edgeStateRoutes } from "./edge-state/routes";
import { eventsStatsRoutes } from "./events/routes";
import { fraudOpsRoutes } from "./fraud/routes";
import { lifecycleOpsRoutes } from "./lifecycle/routes";
import { forwardToOrigin } from "./origin-proxy";
import { apiSettings } from "./settings";
import { steeringOpsRoutes } from "./steering/routes";
import { warehouseOpsRoutes } from "./warehouse/routes";
import { webConsoleRoutes } from "./web-console";

const app = createWorkerApp<Env, Partial<AuthVariables>>("api", (env) => ({
  origin: async () => {
    const res = await fetch(`${apiSettings(env).origin.baseUrl}/health`);
    if (!res.ok) throw new Error(`origin answered ${res.status}`);
  },
}));

app.post("/v1/auth/login", (c) => forwardToOrigin(c));
app.post("/v1/auth/refresh", (c) => forwardToOrigin(c));
app.post("/v1/auth/logout", (c) => forwardToOrigin(c));
app.route("/", catalogRoutes());
app.route("/", eventsStatsRoutes());
app.route("/", fraudOpsRoutes());
app.route("/", edgeStateRoutes());
app.route("/", steeringOpsRoutes());
app.route("/", adsRoutes());
app.route("/", warehouseOpsRoutes());
app.route("/", lifecycleOpsRoutes());

app.get("/v1/me", edgeAuth(), (c) => {
  const claims = c.var.claims;
  c.header("cache-control", "private, no-store");
  return c.json(claims);
});

/** Ops: readiness of what the api worker depends on and the signing keys it currently trusts. */
app.get("/v1/ops/status", edgeAuth({ scopes: ["ops"] }), async (c) => {
  const [origin, jwks] = await Promise.all([
    fetch(`${apiSettings(c.env).origin.baseUrl}/health`)
      .then((r) => r.json())
      .catch((err: unknown) => ({ error: String(err) })),
    fetch(c.env.JWKS_URL)
      .then((r) => r.json() as Promise<{ keys: Array<{ kid?: string }> }>)
      .catch(() => ({ keys: [] })),
  ]);
  return c.json({ origin, signing_keys: jwks.keys.map((k) => k.kid), environment: c.env.ENVIRONMENT });
});

app.route("/", webConsoleRoutes());

export default app;
