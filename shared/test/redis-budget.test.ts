/**
 * Redis with a budget, against a real HTTP endpoint that accepts and never answers (a hung Upstash): a call fails
 * within its budget instead of hanging, the breaker then fails the next calls at once, and the revocation check fails
 * open only for a family Redis confirmed as not revoked within REVOCATION_FAIL_OPEN_MS; any other token is refused
 * with 503 `edge-state-unavailable` and Retry-After.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AccessClaims } from "../src/auth/claims";
import { type EdgeBaseEnv, isFamilyRevoked, redisBreakerOpen, redisFor } from "../src/edge";
import { Problem } from "../src/problem";
import { REDIS_BREAKER_OPEN_MS } from "../src/redis-budget";

const bridge = inject("stack").redisRestUrl;
const bridgeToken = inject("stack").redisRestToken;
let hang = false;
const held: ServerResponse[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (hang) {
      held.push(res);
      return;
    }
    // Otherwise a transparent pass-through to the test stack's real Upstash bridge.
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host") headers.set(k, v);
      const upstream = await fetch(`${bridge}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const envFor = (name: string): EdgeBaseEnv => ({
  ENVIRONMENT: "test",
  ORIGIN_URL: "http://origin.invalid",
  JWKS_URL: "http://origin.invalid/jwks",
  AUTH_ISSUER: "http://origin.invalid",
  AUTH_AUDIENCE: "cadence-edge",
  UPSTASH_REDIS_REST_URL: url,
  UPSTASH_REDIS_REST_TOKEN: bridgeToken,
  // A distinct budget per test gives each its own client and breaker.
  REDIS_TIMEOUT_MS: name === "budget" ? "300" : "301",
});

const claims = (fam: string) => ({ sub: "listener", fam }) as AccessClaims;

async function elapsed<T>(work: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await work;
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe("a Redis call with a budget", () => {
  it("fails within its budget when Redis hangs, then fails fast while the breaker is open", async () => {
    const env = envFor("budget");
    expect(await redisFor(env).set(`budget-test-${crypto.randomUUID()}`, "v")).toBe("OK");
    hang = true;
    const first = await elapsed(redisFor(env).get("k"));
    expect(first.error).toBeDefined();
    expect(first.ms).toBeLessThan(1_000);
    expect(redisBreakerOpen(env)).toBe(false); // one slow call does not open it
    expect((await elapsed(redisFor(env).get("k"))).error).toBeDefined();
    expect(redisBreakerOpen(env)).toBe(true);
    const third = await elapsed(redisFor(env).get("k"));
    expect(third.error).toBeDefined();
    expect(held.length).toBe(2); // the breaker did not even send the third call
    hang = false;
    // Calls the open breaker refuses do not keep it open: once its second has passed, calls go through again.
    await new Promise((r) => setTimeout(r, REDIS_BREAKER_OPEN_MS / 2));
    await elapsed(redisFor(env).get("k"));
    await new Promise((r) => setTimeout(r, REDIS_BREAKER_OPEN_MS / 2 + 100));
    expect(redisBreakerOpen(env)).toBe(false);
    expect((await elapsed(redisFor(env).get(`budget-test-${crypto.randomUUID()}`))).error).toBeUndefined();
  });

  it("refuses an unconfirmed family with 503 and Retry-After; keeps a confirmed one within the bound", async () => {
    const env = envFor("revocation");
    const known = `fam-known-${crypto.randomUUID()}`;
    expect(await isFamilyRevoked(claims(known), env)).toBe(false);
    hang = true;
    // Past the 5 s re-ask window of the known family is not needed: an unseen family goes to Redis at once.
    const unknown = await elapsed(isFamilyRevoked(claims(`fam-unseen-${crypto.randomUUID()}`), env));
    expect(unknown.error).toBeInstanceOf(Problem);
    expect((unknown.error as Problem).status).toBe(503);
    expect((unknown.error as Problem).code).toBe("edge-state-unavailable");
    expect((unknown.error as Problem).headers["retry-after"]).toBeDefined();
    expect(unknown.ms).toBeLessThan(1_000);
    // Confirmed "not revoked" a moment ago by Redis: trusted (fail open within REVOCATION_FAIL_OPEN_MS).
    expect(await isFamilyRevoked(claims(known), env)).toBe(false);
    hang = false;
  });
});
