/**
 * Vitest global setup: starts one real stack for the whole test run (a private redis-server, the Upstash REST bridge
 * and the origin on a temporary libSQL file) and provides its addresses and secrets to every test project; the
 * worker projects pass them to workerd as bindings.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startPlaybackStandIns } from "./cdn/test-stand-ins";
import { startDevStack } from "./dev-stack";
import { startRedisServer } from "./redis-server";
import type { TestStackInfo } from "./test-bindings";

export const TEST_ISSUER = "http://cadence.test";
export const TEST_AUDIENCE = "cadence-edge";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadence-test-"));
  const redis = await startRedisServer();
  const stack = await startDevStack({
    dataDir,
    redisUrl: redis.url,
    env: { CADENCE_ENV: "test", AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE, LOG_LEVEL: "warn" },
  });
  const keys = JSON.parse(readFileSync(join(dataDir, "keys", "signing-keys.json"), "utf8")) as Array<{
    privateJwk: unknown;
    retiredAt?: number;
  }>;
  const current = keys.find((k) => !k.retiredAt);
  const cdn = await startPlaybackStandIns({
    dataDir,
    originUrl: stack.origin.url,
    serviceToken: stack.secrets.serviceToken,
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
    eventsIngestSecret: stack.secrets.eventsIngestSecret,
    signingJwk: JSON.stringify(current?.privateJwk),
    dataDir,
    playback: cdn.info,
  };
  project.provide("stack", info);
  return async () => {
    await cdn.close();
    await stack.close();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
