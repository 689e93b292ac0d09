/**
 * The origin's HTTP app: shared request context and problem handling, the service-token check that tells edge calls
 * from others, health, and each domain's routes.
 */
import { timingSafeEqual } from "node:crypto";
import { createServiceApp, healthBody } from "@cadence/shared/http";
import type { Logger } from "@cadence/shared/log";
import { getConnInfo } from "@hono/node-server/conninfo";
import { sql } from "drizzle-orm";
import { advertiserRoutes } from "./advertisers/routes";
import { auditRoutes } from "./audit/routes";
import { catalogRoutes } from "./catalog/routes";
import type { OriginEnv, OriginServices } from "./context";
import { eventsRoutes } from "./events/routes";
import { identityRoutes } from "./identity/routes";
import { mediaRoutes } from "./media/routes";

export function createOriginApp(services: OriginServices, logger: Logger) {
  const app = createServiceApp<OriginEnv>(logger);
  const serviceToken = Buffer.from(services.config.SERVICE_TOKEN);

  app.use("*", async (c, next) => {
    c.set("services", services);
    const presented = Buffer.from(c.req.header("x-service-token") ?? "");
    const fromEdge = presented.length === serviceToken.length && timingSafeEqual(presented, serviceToken);
    c.set("fromEdge", fromEdge);
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

  app.route("/", identityRoutes());
  app.route("/", eventsRoutes());
  app.route("/", catalogRoutes());
  app.route("/", mediaRoutes());
  app.route("/", advertiserRoutes());
  app.route("/", auditRoutes());
  return app;
}

function socketAddress(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // in-process requests (tests) have no socket
  }
}
