/**
 * Builds the origin's services from its configuration: database (migrated), Redis (Upstash REST), signing keys.
 */
import { resolve } from "node:path";
import { createLogger } from "@cadence/shared/log";
import { Redis } from "@upstash/redis";
import { Catalog } from "./catalog/service";
import type { OriginConfig } from "./config";
import type { OriginServices } from "./context";
import { openDatabase } from "./db/client";
import { KeyStore } from "./identity/keystore";
import { LoginThrottle } from "./identity/login-throttle";
import { SessionService } from "./identity/sessions";

export async function createServices(config: OriginConfig): Promise<OriginServices & { close(): void }> {
  const { db, close } = await openDatabase(config.databaseUrl, config.DATABASE_AUTH_TOKEN);
  const redis = new Redis({
    url: config.UPSTASH_REDIS_REST_URL,
    token: config.UPSTASH_REDIS_REST_TOKEN,
    enableTelemetry: false,
    retry: { retries: 2, backoff: (n) => 50 * 2 ** n },
  });
  const keys = await KeyStore.open(resolve(config.dataDir, "keys", "signing-keys.json"));
  const sessions = new SessionService(db, keys, redis, config);
  const catalog = new Catalog(
    db,
    redis,
    config,
    config.dataDir,
    createLogger("origin", { part: "catalog" }, config.LOG_LEVEL),
  );
  return { config, db, redis, keys, sessions, throttle: new LoginThrottle(db), catalog, close };
}
