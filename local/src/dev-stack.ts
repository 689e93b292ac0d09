/**
 * The Node side of the platform for a local run or a test suite: a Redis (found or started), the Upstash REST bridge
 * in front of it, and the origin on a libSQL file in a data folder. Secrets are generated into the data folder.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "@cadence/origin/src/config";
import { type RunningOrigin, startOrigin } from "@cadence/origin/src/server";
import { type RunningBridge, startUpstashBridge } from "./bridge-server";
import { findOrStartRedis, type LocalRedis } from "./redis-server";

export interface DevSecrets {
  redisRestToken: string;
  serviceToken: string;
  /** HMAC secret shared by the events queue consumer and the origin only. */
  eventsIngestSecret: string;
  /** What the CDNs present on origin pulls: reads `/media/...` and nothing else. */
  mediaPullToken: string;
}

/** Generates the local secrets once into `<dataDir>/secrets.json` (mode 600), never into the repo. */
export function devSecrets(dataDir: string): DevSecrets {
  const path = join(dataDir, "secrets.json");
  const existing = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Partial<DevSecrets>) : {};
  const secrets: DevSecrets = {
    redisRestToken: existing.redisRestToken ?? randomBytes(24).toString("base64url"),
    serviceToken: existing.serviceToken ?? randomBytes(24).toString("base64url"),
    eventsIngestSecret: existing.eventsIngestSecret ?? randomBytes(32).toString("base64url"),
    mediaPullToken: existing.mediaPullToken ?? randomBytes(24).toString("base64url"),
  };
  // Written on first start, and again when a newer version added a secret the file lacks.
  if (Object.keys(secrets).some((k) => !(k in existing))) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

export interface DevStackOptions {
  dataDir: string;
  host?: string;
  originPort?: number;
  bridgePort?: number;
  redisUrl?: string;
  env?: Record<string, string | undefined>;
}

export interface DevStack {
  redis: LocalRedis;
  bridge: RunningBridge;
  origin: RunningOrigin;
  secrets: DevSecrets;
  dataDir: string;
  close(): Promise<void>;
}

export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const dataDir = resolve(options.dataDir);
  const secrets = devSecrets(dataDir);
  const host = options.host ?? "127.0.0.1";
  const redis = await findOrStartRedis(options.redisUrl);
  const bridge = await startUpstashBridge({
    redisUrl: redis.url,
    token: secrets.redisRestToken,
    host,
    port: options.bridgePort ?? 0,
  });
  const originPort = options.originPort ?? 0;
  const config = loadConfig({
    ...options.env,
    DATA_DIR: dataDir,
    ORIGIN_HOST: host,
    ORIGIN_PORT: String(originPort),
    AUTH_ISSUER: options.env?.AUTH_ISSUER ?? `http://${host}:${originPort || 8080}`,
    UPSTASH_REDIS_REST_URL: bridge.url,
    UPSTASH_REDIS_REST_TOKEN: secrets.redisRestToken,
    SERVICE_TOKEN: secrets.serviceToken,
    EVENTS_INGEST_SECRET: secrets.eventsIngestSecret,
    MEDIA_PULL_TOKEN: secrets.mediaPullToken,
  });
  const origin = await startOrigin(config);
  return {
    redis,
    bridge,
    origin,
    secrets,
    dataDir,
    close: async () => {
      await origin.close();
      await bridge.close();
      await redis.stop();
    },
  };
}
