/** An in-process origin on a fresh temporary database, sharing the test run's Redis bridge. */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {} from "@cadence/local/src/test-bindings";
import { createLogger } from "@cadence/shared/log";
import { inject } from "vitest";
import { createOriginApp } from "../src/app";
import { loadConfig } from "../src/config";
import { seedDemoAccounts } from "../src/seed/demo-accounts";
import { createServices } from "../src/services";

export async function freshOrigin(env: Record<string, string> = {}) {
  const stack = inject("stack");
  const dataDir = mkdtempSync(join(tmpdir(), "cadence-origin-"));
  const config = loadConfig({
    CADENCE_ENV: "test",
    DATA_DIR: dataDir,
    UPSTASH_REDIS_REST_URL: stack.redisRestUrl,
    UPSTASH_REDIS_REST_TOKEN: stack.redisRestToken,
    SERVICE_TOKEN: stack.serviceToken,
    MEDIA_PULL_TOKEN: stack.mediaPullToken,
    AUTH_ISSUER: "http://origin.test",
    // Production takes the content-protection secrets only from the environment (docs/drm.md).
    ...(env.CADENCE_ENV === "production"
      ? { MEDIA_KEK: randomBytes(32).toString("base64url"), LICENSE_WRAP_KEY: randomBytes(32).toString("base64url") }
      : {}),
    ...env,
  });
  const services = await createServices(config);
  await seedDemoAccounts(services.db);
  const app = createOriginApp(services, createLogger("origin-test", {}, "error"));
  const request = (path: string, init: RequestInit = {}) => app.request(path, init);
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  return { app, services, config, dataDir, request, postJson };
}
