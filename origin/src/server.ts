/**
 * Starts the origin: services, demo seed in development, and the HTTP server on @hono/node-server.
 */

import { createLogger } from "@cadence/shared/log";
import { serve } from "@hono/node-server";
import { startAdvertisers } from "./ads/seed";
import { createOriginApp } from "./app";
import type { OriginConfig } from "./config";
import { seedDemoAccounts } from "./seed/demo-accounts";
import { createServices } from "./services";

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
  void startAdvertisers(services.ads, config, logger);
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
