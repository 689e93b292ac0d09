/**
 * The origin's configuration, parsed once at start-up from the environment. Anything wrong fails fast with a message
 * that names the variable; everything has a development default so `npm start` needs no setup.
 */
import { resolve } from "node:path";
import { z } from "zod";
import { catalogEnv } from "./catalog/config";

const schema = z.object({
  CADENCE_ENV: z.enum(["development", "test", "production"]).default("development"),
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
  /** Secret only the events queue consumer and the origin hold: HMAC of every landing request. */
  EVENTS_INGEST_SECRET: z.string().min(32).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  ...catalogEnv,
});

export type OriginConfig = z.infer<typeof schema> & { dataDir: string; databaseUrl: string };

export function loadConfig(env: Record<string, string | undefined> = process.env): OriginConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid origin configuration:\n${lines}`);
  }
  const dataDir = resolve(parsed.data.DATA_DIR);
  return {
    ...parsed.data,
    dataDir,
    databaseUrl: parsed.data.DATABASE_URL ?? `file:${resolve(dataDir, "cadence.db")}`,
  };
}
