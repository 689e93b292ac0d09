/**
 * The origin's configuration, parsed once at start-up from the environment. Anything wrong fails fast with a message
 * that names the variable; everything has a development default so `npm start` needs no setup.
 *
 * This module is the ground of the origin (see app.ts): every capability reads its knobs from here as a typed slice
 * (`MediaStoreSettings`, `TranscodeSettings`, ...), and config.ts imports none of them.
 */

import { resolve } from "node:path";
import { describeIssues, plainIssue } from "@cadence/shared/validation-messages";
import { z } from "zod";

/** Where packaged audio lives (media/). */
const mediaStoreEnv = {
  /** `local` (a folder under DATA_DIR, the default) or `s3` (any S3-compatible store: AWS S3, Cloudflare R2, MinIO). */
  MEDIA_STORE: z.enum(["local", "s3"]).default("local"),
  /** Local store folder; default `<DATA_DIR>/media`. */
  MEDIA_DIR: z.string().optional(),
  /** S3-compatible endpoint, e.g. `https://<account>.r2.cloudflarestorage.com` or `https://s3.eu-west-1.amazonaws.com`. */
  MEDIA_S3_ENDPOINT: z.string().url().optional(),
  MEDIA_S3_BUCKET: z.string().min(3).optional(),
  MEDIA_S3_REGION: z.string().default("auto"),
  MEDIA_S3_ACCESS_KEY_ID: z.string().optional(),
  MEDIA_S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Key prefix inside the bucket, e.g. `media/`. */
  MEDIA_S3_PREFIX: z.string().default(""),
};

/** ffmpeg for the catalog's ladder and the ads' creatives (transcode/). */
const transcodeEnv = {
  FFMPEG_PATH: z.string().default("ffmpeg"),
  FFPROBE_PATH: z.string().default("ffprobe"),
  /** Transcodes running at once (each is one ffmpeg process using about one core). */
  TRANSCODE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
};

/** DDEX ingest (catalog/). */
const ingestEnv = {
  /** Largest delivery archive the HTTP ingest endpoint accepts. */
  INGEST_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 ** 3),
};

const urlList = z
  .string()
  .optional()
  .transform((v) =>
    v
      ? v
          .split(",")
          .map((u) => u.trim())
          .filter(Boolean)
      : undefined,
  )
  .pipe(z.array(z.string().url()).optional());
const sqlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "letters, digits and _ only");

/** The warehouse of event facts (warehouse/): DuckDB on a file by default, or a ClickHouse cluster. */
const warehouseEnv = {
  WAREHOUSE: z.enum(["duckdb", "clickhouse"]).default("duckdb"),
  /** DuckDB file; default `<DATA_DIR>/warehouse.duckdb`. */
  WAREHOUSE_PATH: z.string().optional(),
  /** Any node of the cluster, or ClickHouse Cloud's HTTPS endpoint (`https://<host>:8443`). */
  CLICKHOUSE_URL: z.string().url().optional(),
  CLICKHOUSE_USER: z.string().default("default"),
  CLICKHOUSE_PASSWORD: z.string().default(""),
  CLICKHOUSE_DATABASE: sqlName.default("cadence"),
  /** The cluster name in the servers' `remote_servers` (ClickHouse Cloud: `default`). */
  CLICKHOUSE_CLUSTER: sqlName.default("cadence"),
  /** Comma-separated node URLs to create local tables node by node (a cluster without Keeper); else ON CLUSTER. */
  CLICKHOUSE_SHARD_URLS: urlList,
  /** Generated listening history imported on first start outside production (`off` skips it). */
  DEMO_HISTORY: z.enum(["on", "off"]).default("on"),
};

/** Lifecycle webhooks to the CRM (lifecycle/): Braze `users/track`, or the local stand-in. Off without a URL. */
const lifecycleEnv = {
  /** e.g. `https://rest.fra-01.braze.eu/users/track`. */
  BRAZE_USERS_TRACK_URL: z.string().url().optional(),
  BRAZE_API_KEY: z.string().min(1).optional(),
  /** HMAC secret of `x-cadence-signature` on every webhook, at least 32 characters. */
  LIFECYCLE_WEBHOOK_SECRET: z.string().min(32).optional(),
};

/** Content protection (drm/): secrets, each 32 random bytes base64url; generated into DATA_DIR/keys outside production. */
const drmEnv = {
  /** Key-encryption key: wraps every content key at rest in the key store. */
  MEDIA_KEK: z.string().optional(),
  /** Wraps content keys for the edge; the playback worker holds the same secret (LICENSE_WRAP_KEY). */
  LICENSE_WRAP_KEY: z.string().optional(),
};

const schema = z.object({
  /** Production unless the local stack or a test says otherwise: demo accounts and fault knobs exist only outside it. */
  CADENCE_ENV: z.enum(["development", "test", "production"]).default("production"),
  ORIGIN_HOST: z.string().default("127.0.0.1"),
  ORIGIN_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().default(".data"),
  /** libSQL URL: a file by default; `libsql://...` for a libSQL server or Turso. */
  DATABASE_URL: z.string().optional(),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  AUTH_ISSUER: z.string().url().default("http://127.0.0.1:8080"),
  AUTH_AUDIENCE: z.string().default("cadence-edge"),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(3600)
    .default(30 * 24 * 3600),
  UPSTASH_REDIS_REST_URL: z.string().url(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1),
  /** Shared secret the workers present to the origin (header `x-service-token`). */
  SERVICE_TOKEN: z.string().min(16),
  /**
   * Secret the CDNs present on origin pulls (header `x-media-pull-token`): it reads `/media/...` and nothing else, so a
   * leaked CDN configuration exposes audio only. Must differ from SERVICE_TOKEN.
   */
  MEDIA_PULL_TOKEN: z.string().min(16).optional(),
  /** Secret only the events queue consumer and the origin hold: HMAC of every landing request. */
  EVENTS_INGEST_SECRET: z.string().min(32).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** How often the origin checks that Redis still holds its state (the generation marker), seconds. */
  EDGE_STATE_CHECK_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  /** How often the origin compares every edge copy with its records and repairs drift, seconds. */
  EDGE_STATE_SWEEP_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),
  ...mediaStoreEnv,
  ...transcodeEnv,
  ...ingestEnv,
  ...warehouseEnv,
  ...lifecycleEnv,
  ...drmEnv,
});

export type OriginConfig = z.infer<typeof schema> & { dataDir: string; databaseUrl: string };

export type MediaStoreSettings = Pick<OriginConfig, keyof typeof mediaStoreEnv>;
export type DrmSettings = Pick<OriginConfig, keyof typeof drmEnv | "CADENCE_ENV" | "dataDir">;
export type TranscodeSettings = Pick<OriginConfig, keyof typeof transcodeEnv>;
export type LifecycleSettings = Pick<OriginConfig, keyof typeof lifecycleEnv>;
export type WarehouseSettings = Pick<OriginConfig, keyof typeof warehouseEnv | "dataDir">;
/** What verifies an access token at the origin (identity issues them; the advertiser API checks them again). */
export type TokenSettings = Pick<OriginConfig, "AUTH_ISSUER" | "AUTH_AUDIENCE">;

export function loadConfig(env: Record<string, string | undefined> = process.env): OriginConfig {
  const parsed = schema.safeParse(env, { error: plainIssue });
  if (!parsed.success) {
    const lines = describeIssues(parsed.error.issues, "environment")
      .map((i) => `  ${i.message}`)
      .join("\n");
    throw new Error(`Invalid origin configuration:\n${lines}`);
  }
  if (parsed.data.MEDIA_PULL_TOKEN !== undefined && parsed.data.MEDIA_PULL_TOKEN === parsed.data.SERVICE_TOKEN) {
    throw new Error("Invalid origin configuration:\n  MEDIA_PULL_TOKEN: must differ from SERVICE_TOKEN");
  }
  const dataDir = resolve(parsed.data.DATA_DIR);
  return {
    ...parsed.data,
    dataDir,
    databaseUrl: parsed.data.DATABASE_URL ?? `file:${resolve(dataDir, "cadence.db")}`,
  };
}
