/** A Node `@upstash/redis` client on the test stack's bridge: the same REST path the workers use, to real Redis. */
import type {} from "@cadence/local/src/test-bindings";
import { Redis } from "@upstash/redis";
import { inject } from "vitest";

export function testRedis(): Redis {
  const stack = inject("stack");
  return new Redis({ url: stack.redisRestUrl, token: stack.redisRestToken, enableTelemetry: false });
}
