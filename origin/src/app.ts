/**
 * The origin's HTTP app: shared request context and problem handling, the service-token check that tells edge calls
 * from others, health, and each capability's routes, each built with the services it uses.
 *
 * Layers of the origin (an import only ever points down or sideways within its layer; no folder import cycle):
 *
 *   top        main.ts, server.ts, services.ts, app.ts   start-up, composition, the HTTP app
 *   features   catalog/  ads/  events/  identity/  audit/  seed/  history/  dashboard/  lifecycle/   each capability: its
 *              service and its routes; edge-sync/ the edge-state healer, which runs the edge copies they define
 *   warehouse  warehouse/  (event facts on DuckDB or ClickHouse; used by events/, history/, dashboard/)
 *   packaging  drm/  (content keys, encryption, re-packaging)  ->  transcode/  (ffmpeg, the ladder, the packager, the
 *              HLS recipe)  ->  media/  (the media store)
 *   ground     config.ts  context.ts  db/  (settings, the per-request hono context, tables and the client)
 *
 * Inside features: ads/ uses transcode/ and media/ (creative packaging) and identity/ (token keys); catalog/ uses
 * drm/, transcode/ and media/ (the packager seals through a function catalog/ hands it); seed/ uses identity/. No capability imports catalog/ or ads/ but the top layer.
 */
import { createServiceApp, healthBody } from "@cadence/shared/http";
import type { Logger } from "@cadence/shared/log";
import { hasMediaPullToken } from "@cadence/shared/trust/media-pull";
import { hasServiceToken } from "@cadence/shared/trust/service-call";
import { getConnInfo } from "@hono/node-server/conninfo";
import { sql } from "drizzle-orm";
import { adsRoutes } from "./ads/routes";
import { auditRoutes } from "./audit/routes";
import { catalogRoutes } from "./catalog/routes";
import type { OriginEnv } from "./context";
import { dashboardRoutes } from "./dashboard/routes";
import { edgeStateRoutes } from "./edge-sync/routes";
import { fraudRoutes } from "./events/fraud/routes";
import { eventsRoutes } from "./events/routes";
import { historyRoutes } from "./history/routes";
import { identityRoutes } from "./identity/routes";
import { lifecycleRoutes } from "./lifecycle/routes";
import { mediaRoutes } from "./media/routes";
import type { OriginServices } from "./services";

export function createOriginApp(services: OriginServices, logger: Logger) {
  const app = createServiceApp<OriginEnv>(logger);

  app.use("*", async (c, next) => {
    const fromEdge = hasServiceToken(c.req.raw.headers, services.config.SERVICE_TOKEN);
    c.set("fromEdge", fromEdge);
    // The media-pull secret is honoured by the media routes only; it never makes a caller "the edge".
    c.set("mediaPull", hasMediaPullToken(c.req.raw.headers, services.config.MEDIA_PULL_TOKEN));
    c.set("clientIp", (fromEdge && c.req.header("x-client-ip")) || socketAddress(c));
    await next();
  });

  app.get("/health", async (c) =>
    c.json(
      await healthBody("origin", {
        database: () => services.db.run(sql`select 1`),
        redis: () => services.redis.ping(),
      }),
    ),
  );

  const { config, db, redis, keys, store, sessions, throttle, catalog, ads, warehouse } = services;
  app.route("/", identityRoutes({ db, keys, sessions, throttle }));
  app.route("/", eventsRoutes({ db, redis, config, warehouse }));
  app.route("/", fraudRoutes(db, redis));
  app.route("/", catalogRoutes(catalog));
  app.route("/", mediaRoutes(store));
  app.route("/", adsRoutes(ads, { keys, config }));
  app.route("/", auditRoutes(db));
  app.route("/", historyRoutes({ db, warehouse }));
  app.route("/", dashboardRoutes({ db, redis, warehouse }));
  app.route("/", lifecycleRoutes({ db, warehouse, settings: config }));
  app.route("/", edgeStateRoutes(services.edgeState));
  return app;
}

function socketAddress(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // in-process requests (tests) have no socket
  }
}
