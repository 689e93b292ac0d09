/** Calling the api worker in a test (`exports.default`), and checking a problem+json answer. */
import { exports } from "cloudflare:workers";
import { expect } from "vitest";

export const API = "http://api.test";

/** A request to the worker with an optional bearer token and JSON body. */
export function call(method: string, path: string, token?: string, json?: unknown): Promise<Response> {
  return exports.default.fetch(`${API}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(json ? { "content-type": "application/json" } : {}),
    },
    body: json ? JSON.stringify(json) : undefined,
  });
}

/** Asserts a problem+json answer with this status and code, a detail and the request id; returns its body. */
export async function expectProblem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `https://cadence.example/problems/${code}` });
  expect(typeof body.detail).toBe("string");
  expect(typeof body.request_id).toBe("string");
  return body;
}
