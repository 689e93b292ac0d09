/**
 * Builds the origin's services from its configuration, bottom up: database (migrated), Redis (Upstash REST), signing
 * keys, the media store and ffmpeg, the warehouse, then the capabilities on top of them (identity, catalog, ads). This is the one
 * place that knows every capability; routes receive only what they use (app.ts).
 */
import { resolve } from "node:path";
import { createLogger } from "@cadence/shared/log";
import { Redis } from "@upstash/redis";
import { campaignsEdgeCopy } from "./ads/edge-copy";
import { Advertisers } from "./ads/service";
import { steeringEdgeCopy } from "./audit/steering-edge-copy";
import { catalogEdgeCopy } from "./catalog/edge-copy";
import { Catalog } from "./catalog/service";
import type { OriginConfig } from "./config";
import { type Database, openDatabase } from "./db/client";
import { ContentKeyVault } from "./drm/key-vault";
import { loadDrmSecrets } from "./drm/secrets";
import { EdgeStateHealer } from "./edge-sync/healer";
import { revocationsEdgeCopy } from "./identity/edge-copy";
import { KeyStore } from "./identity/keystore";
import { LoginThrottle } from "./identity/login-throttle";
import { SessionService } from "./identity/sessions";
import { createMediaStore } from "./media/create-store";
import type { MediaStore } from "./media/store";
import { binariesOf } from "./transcode/ffmpeg";
import { WorkerPool } from "./transcode/packager";
import { openWarehouse } from "./warehouse/open";
import type { Warehouse } from "./warehouse/warehouse";

export interface OriginServices {
  config: OriginConfig;
  db: Database;
  redis: Redis;
  keys: KeyStore;
  /** Packaged audio: the catalog's ladders and the ads' creatives. */
  store: MediaStore;
  sessions: SessionService;
  throttle: LoginThrottle;
  catalog: Catalog;
  ads: Advertisers;
  /** Event facts: DuckDB embedded, or a ClickHouse cluster. */
  warehouse: Warehouse;
  /** Republishes edge state when Redis lost it and repairs drift (edge-sync/); server.ts starts it. */
  edgeState: EdgeStateHealer;
}

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
  const store = createMediaStore(config, config.dataDir);
  const bin = binariesOf(config);
  const vault = new ContentKeyVault(db, loadDrmSecrets(config));
  const catalog = new Catalog({
    db,
    redis,
    store,
    pool: new WorkerPool(config.TRANSCODE_CONCURRENCY),
    bin,
    vault,
    ingestMaxBytes: config.INGEST_MAX_BYTES,
    logger: createLogger("origin", { part: "catalog" }, config.LOG_LEVEL),
  });
  const ads = new Advertisers({ db, redis, store, bin });
  const warehouse = await openWarehouse(config);
  const edgeState = new EdgeStateHealer(
    redis,
    [
      catalogEdgeCopy(db, redis, catalog.publisher),
      campaignsEdgeCopy(db, redis, ads.publisher),
      steeringEdgeCopy(db, redis),
      revocationsEdgeCopy(db, redis, config.ACCESS_TOKEN_TTL_SECONDS),
    ],
    {
      checkIntervalMs: config.EDGE_STATE_CHECK_SECONDS * 1000,
      sweepIntervalMs: config.EDGE_STATE_SWEEP_SECONDS * 1000,
    },
    createLogger("origin", { part: "edge-state" }, config.LOG_LEVEL),
  );
  return {
    config,
    db,
    redis,
    keys,
    store,
    sessions,
    throttle: new LoginThrottle(db),
    catalog,
    ads,
    warehouse,
    edgeState,
    close: () => {
      edgeState.stop();
      close();
      void warehouse.engine.close();
    },
  };
}
