/**
 * Vitest global setup: starts one real stack for the whole test run (a private redis-server, the Upstash REST bridge
 * and the origin on a temporary libSQL file, its warehouse on DuckDB) and provides its addresses and secrets to every
 * test project; the worker projects pass them to workerd as bindings. When `clickhouse-server` is installed it also
 * starts a real two-shard ClickHouse cluster and a second stack whose origin lands into it (`stackClickhouse`), for
 * the engine parity suite and the events pipeline's ClickHouse project. `startTestStack` starts another stack of a
 * test's own, for tests that break its Redis (e2e/edge-faults.e2e.test.ts) without touching anyone else's.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startPlaybackStandIns } from "./cdn/test-stand-ins";
import { clickhouseInstalled } from "./clickhouse-binary";
import { startClickHouseCluster } from "./clickhouse-cluster";
import { startDevStack } from "./dev-stack";
import { type OwnedRedis, startRedisServer } from "./redis-server";
import type { TestStackInfo } from "./test-bindings";

export const TEST_ISSUER = "http://cadence.test";
export const TEST_AUDIENCE = "cadence-edge";

export interface RunningTestStack {
  info: TestStackInfo;
  /** The stack's own redis-server, with its fault knobs. */
  redis: OwnedRedis;
  close(): Promise<void>;
}

/** A whole test stack on a fresh data folder; `env` adds origin settings (e.g. a short edge-state check interval). */
export async function startTestStack(env: Record<string, string> = {}): Promise<RunningTestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadence-test-"));
  const redis = await startRedisServer();
  const stack = await startDevStack({
    dataDir,
    redisUrl: redis.url,
    env: {
      CADENCE_ENV: "test",
      AUTH_ISSUER: TEST_ISSUER,
      AUTH_AUDIENCE: TEST_AUDIENCE,
      LOG_LEVEL: "warn",
      DEMO_HISTORY: "off",
      // Tests write edge state of their own into this Redis; a drift sweep mid-run would "repair" it under them.
      EDGE_STATE_SWEEP_SECONDS: "86400",
      ...env,
    },
  });
  const keys = JSON.parse(readFileSync(join(dataDir, "keys", "signing-keys.json"), "utf8")) as Array<{
    privateJwk: unknown;
    retiredAt?: number;
  }>;
  const current = keys.find((k) => !k.retiredAt);
  const cdn = await startPlaybackStandIns({
    dataDir,
    originUrl: stack.origin.url,
    mediaPullToken: stack.secrets.mediaPullToken,
    redis: { url: stack.bridge.url, token: stack.secrets.redisRestToken },
  });
  const info: TestStackInfo = {
    originUrl: stack.origin.url,
    jwksUrl: `${stack.origin.url}/.well-known/jwks.json`,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    redisUrl: redis.url,
    redisRestUrl: stack.bridge.url,
    redisRestToken: stack.secrets.redisRestToken,
    serviceToken: stack.secrets.serviceToken,
    mediaPullToken: stack.secrets.mediaPullToken,
    eventsIngestSecret: stack.secrets.eventsIngestSecret,
    signingJwk: JSON.stringify(current?.privateJwk),
    dataDir,
    playback: cdn.info,
  };
  return {
    info,
    redis,
    close: async () => {
      redis.resume();
      await cdn.close();
      await stack.close();
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startTestStack();
  project.provide("stack", stack.info);
  const clickhouse = clickhouseInstalled() ? await startClickhouseStack(stack.info) : undefined;
  if (clickhouse) {
    project.provide("clickhouse", clickhouse.cluster);
    project.provide("stackClickhouse", clickhouse.info);
  }
  return async () => {
    await clickhouse?.close();
    await stack.close();
  };
}

/** The two-shard cluster, and a second origin (own Redis and data folder) whose warehouse is that cluster. */
async function startClickhouseStack(base: TestStackInfo) {
  const dataDir = mkdtempSync(join(tmpdir(), "cadence-test-ch-"));
  const cluster = await startClickHouseCluster(join(dataDir, "clickhouse"));
  const redis = await startRedisServer();
  const stack = await startDevStack({
    dataDir,
    redisUrl: redis.url,
    env: {
      CADENCE_ENV: "test",
      AUTH_ISSUER: TEST_ISSUER,
      AUTH_AUDIENCE: TEST_AUDIENCE,
      LOG_LEVEL: "warn",
      DEMO_HISTORY: "off",
      EDGE_STATE_SWEEP_SECONDS: "86400",
      ...cluster.env,
      CLICKHOUSE_DATABASE: "cadence_events",
    },
  });
  const keys = JSON.parse(readFileSync(join(dataDir, "keys", "signing-keys.json"), "utf8")) as Array<{
    privateJwk: unknown;
    retiredAt?: number;
  }>;
  const info: TestStackInfo = {
    ...base,
    originUrl: stack.origin.url,
    jwksUrl: `${stack.origin.url}/.well-known/jwks.json`,
    redisUrl: redis.url,
    redisRestUrl: stack.bridge.url,
    redisRestToken: stack.secrets.redisRestToken,
    serviceToken: stack.secrets.serviceToken,
    mediaPullToken: stack.secrets.mediaPullToken,
    eventsIngestSecret: stack.secrets.eventsIngestSecret,
    signingJwk: JSON.stringify(keys.find((k) => !k.retiredAt)?.privateJwk),
    dataDir,
  };
  return {
    info,
    cluster: { url: cluster.url, shardUrls: cluster.shardUrls, cluster: cluster.cluster },
    close: async () => {
      await stack.close();
      await redis.stop();
      await cluster.stop("SIGKILL"); // its data is deleted next: no need to wait for a clean shutdown
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
