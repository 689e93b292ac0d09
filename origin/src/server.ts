/**
 * Starts the origin: services, demo seed in development, and the HTTP server on @hono/node-server.
 */

import { createLogger } from "@cadence/shared/log";
import { serve } from "@hono/node-server";
import { startAdvertisers } from "./ads/seed";
import { createOriginApp } from "./app";
import type { OriginConfig } from "./config";
import { repackageCatalog } from "./drm/repackage";
import { seedDemoHistory } from "./history/demo-seed";
import { lifecycleConfigured, runLifecycle } from "./lifecycle/routes";
import { seedDemoAccounts } from "./seed/demo-accounts";
import { createServices } from "./services";
import { carryForwardLegacyEvents } from "./warehouse/carry-forward";

export interface RunningOrigin {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startOrigin(config: OriginConfig): Promise<RunningOrigin> {
  const logger = createLogger("origin", {}, config.LOG_LEVEL);
  const services = await createServices(config);
  if (config.CADENCE_ENV !== "production") {
    const created = await seedDemoAccounts(services.db);
    if (created > 0) logger.info("seeded demo accounts", { created });
  }
  // Tracks whose last change did not reach edge state (Redis was down) are published again.
  void services.catalog.publisher
    .publishPending()
    .catch((err: unknown) => logger.warn("catalog publish failed", { err }));
  const carried = await carryForwardLegacyEvents(services.db, services.warehouse);
  if (carried > 0) logger.info("moved event facts from libSQL to the warehouse", { events: carried });
  // The demo history goes after the ad server's demo campaign exists, so its ads are attributed to it.
  void startAdvertisers(services.ads, config, logger)
    .then(() => seedDemoHistory(services, logger))
    .catch((err: unknown) => logger.warn("demo history import failed; it resumes on the next start", { err }));
  // Lifecycle webhooks: today's moments queued and due deliveries sent every 5 minutes, when configured.
  const lifecycleTimer = lifecycleConfigured(config)
    ? setInterval(() => {
        void runLifecycle({ db: services.db, warehouse: services.warehouse, settings: config }).catch((err: unknown) =>
          logger.warn("lifecycle run failed", { err }),
        );
      }, 5 * 60_000)
    : undefined;
  lifecycleTimer?.unref();
  // Redis restarted empty or drifted: republished within one check interval, repaired on every sweep, no restart.
  // The first check is awaited (briefly), so the edge finds the generation marker when the origin starts answering.
  await Promise.race([services.edgeState.check(), new Promise((r) => setTimeout(r, 10_000).unref())]);
  services.edgeState.start();
  // Outside production, a data folder packaged before encryption is sealed in the background (`npm run
  // drm:repackage` is the same step as a command, for production and for watching it).
  if (config.CADENCE_ENV !== "production") {
    const { db, store } = services;
    const { vault, publisher } = services.catalog;
    void repackageCatalog(
      { db, store, vault, publisher, logger },
      { onProgress: (p) => logger.info("re-packaged a clear ladder", { done: p.done, total: p.total, base: p.base }) },
    ).catch((err: unknown) => logger.warn("re-packaging failed; it resumes at the next start", { err }));
  }
  const app = createOriginApp(services, logger);
  return new Promise((resolve) => {
    const server = serve(
      {
        hostname: config.ORIGIN_HOST,
        port: config.ORIGIN_PORT,
        fetch: app.fetch,
      },
      (info) => {
        const url = `http://${config.ORIGIN_HOST}:${info.port}`;
        logger.info("origin listening", { url });
        resolve({
          url,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              clearInterval(lifecycleTimer);
              server.close(() => {
                services.close();
                done();
              });
            }),
        });
      },
    );
  });
}
