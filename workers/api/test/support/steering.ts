/** Calling `/v1/ops/steering...` through the api worker as ops (or another token), and checking a 400's message. */
import { exports } from "cloudflare:workers";
import type { SteeringConfig } from "@cadence/shared/steering/config";
import { expect } from "vitest";

export function steeringCall(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return exports.default.fetch(`http://api.test/v1/ops/steering${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The current config, as ops read it. */
export async function steeringConfig(ops: string): Promise<SteeringConfig> {
  const res = await steeringCall(ops, "GET", "");
  expect(res.status).toBe(200);
  return (await res.json()) as SteeringConfig;
}

/** A 400 `validation-failed` problem whose detail names the fix. */
export async function expect400(res: Response, fragment: string): Promise<void> {
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as { code: string; detail: string };
  expect(body.code).toBe("validation-failed");
  expect(body.detail).toContain(fragment);
}
