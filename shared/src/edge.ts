/**
 * What every worker shares at the edge: the base env bindings, a per-isolate Redis client (Upstash REST), and the
 * auth middleware wired to the origin's JWKS and to the revoked-family list in Redis.
 */
import { Redis } from "@upstash/redis/cloudflare";
import type { MiddlewareHandler } from "hono";
import type { AccessClaims, Scope } from "./auth/claims";
import { type AuthVariables, requireAuth } from "./auth/middleware";
import { createTokenVerifier, type TokenVerifier } from "./auth/verify";
import { EDGE_STATE_MARKER_KEY, revokedFamilyKey } from "./keys";
import { Problem } from "./problem";
import { type RedisBreaker, redisBreaker, redisTimeoutSetting, withBreaker } from "./redis-budget";

/** Bindings every worker has; each worker's `context.ts` extends this with its own. */
export interface EdgeBaseEnv {
  ENVIRONMENT: string;
  ORIGIN_URL: string;
  JWKS_URL: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
  /** Budget of one Redis call, ms (default 100; docs/security.md#when-redis-is-down). */
  REDIS_TIMEOUT_MS?: string;
}

type RedisEnv = Pick<EdgeBaseEnv, "UPSTASH_REDIS_REST_URL" | "UPSTASH_REDIS_REST_TOKEN" | "REDIS_TIMEOUT_MS">;

const redisClients = new Map<string, { client: Redis; breaker: RedisBreaker }>();

function clientFor(env: RedisEnv): { client: Redis; breaker: RedisBreaker } {
  const timeoutMs = redisTimeoutSetting(env.REDIS_TIMEOUT_MS);
  const key = `${env.UPSTASH_REDIS_REST_URL}|${env.UPSTASH_REDIS_REST_TOKEN}|${timeoutMs}`;
  let entry = redisClients.get(key);
  if (!entry) {
    const breaker = redisBreaker(timeoutMs);
    const raw = new Redis({
      url: env.UPSTASH_REDIS_REST_URL,
      token: env.UPSTASH_REDIS_REST_TOKEN,
      // No retry: one call gets one budget (a retry inside it would only spend the same budget twice).
      retry: false,
      enableTelemetry: false,
      // A function, so that an abort throws: a fixed signal makes the client answer the abort reason as a result.
      signal: () => breaker.signal(),
    });
    entry = { client: withBreaker(raw, breaker), breaker };
    redisClients.set(key, entry);
  }
  return entry;
}

/**
 * One Redis client per isolate and URL. Every call has a budget (`REDIS_TIMEOUT_MS`) and a breaker
 * (redis-budget.ts), so a slow or paused Redis turns into a fast error the route answers for, never a hung request.
 */
export function redisFor(env: RedisEnv): Redis {
  return clientFor(env).client;
}

/** Whether this isolate's breaker for that Redis is open (a call ran out of budget within the last second). */
export function redisBreakerOpen(env: RedisEnv): boolean {
  return clientFor(env).breaker.isOpen();
}

const verifiers = new Map<string, TokenVerifier>();

export function verifierFor(env: Pick<EdgeBaseEnv, "JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE">): TokenVerifier {
  const key = `${env.JWKS_URL}|${env.AUTH_ISSUER}|${env.AUTH_AUDIENCE}`;
  let verifier = verifiers.get(key);
  if (!verifier) {
    verifier = createTokenVerifier({ jwks: env.JWKS_URL, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE });
    verifiers.set(key, verifier);
  }
  return verifier;
}

// Revocation answers cached per isolate: a revoked family stays revoked; "not revoked" is re-asked after a few seconds
// and, while Redis cannot answer, trusted for at most REVOCATION_FAIL_OPEN_MS after Redis last confirmed it.
const revokedCache = new Map<string, { revoked: boolean; until: number; confirmedAt: number }>();
const NOT_REVOKED_TTL_MS = 5_000;
/** How long a "not revoked" answer is trusted when Redis cannot be asked again (the fail-open bound). */
export const REVOCATION_FAIL_OPEN_MS = 60_000;

/**
 * Whether the token's refresh family was revoked (logout, or reuse of a rotated refresh token).
 * If Redis cannot answer within its budget, a "not revoked" answer this isolate got from Redis within the last
 * REVOCATION_FAIL_OPEN_MS is used (fail open, bounded); without one, the request is refused with 503
 * `edge-state-unavailable` and Retry-After, since a logged-out family must never get in just because Redis is slow.
 * The same 503 answers, with no fail-open, while Redis lacks the origin's generation marker: Redis restarted empty and
 * the revocations are not republished yet (origin/src/edge-sync/), so "no key" does not mean "not revoked".
 */
export async function isFamilyRevoked(claims: AccessClaims, env: EdgeBaseEnv): Promise<boolean> {
  if (!claims.fam) return false;
  const now = Date.now();
  const cached = revokedCache.get(claims.fam);
  if (cached && (cached.revoked || cached.until > now)) return cached.revoked;
  let answer: [unknown, unknown];
  try {
    answer = (await redisFor(env).mget(revokedFamilyKey(claims.fam), EDGE_STATE_MARKER_KEY)) as [unknown, unknown];
  } catch (err) {
    if (cached && !cached.revoked && now - cached.confirmedAt <= REVOCATION_FAIL_OPEN_MS) return false;
    throw new Problem("edge-state-unavailable", "Sign-in state is briefly unreachable; retry shortly.", {
      headers: { "retry-after": "2" },
      cause: err,
    });
  }
  const [revokedValue, marker] = answer;
  if (revokedValue === null && marker === null) {
    throw new Problem("edge-state-unavailable", "Sign-in state is being restored; retry shortly.", {
      headers: { "retry-after": "2" },
    });
  }
  const revoked = revokedValue !== null;
  revokedCache.set(claims.fam, { revoked, until: now + NOT_REVOKED_TTL_MS, confirmedAt: now });
  if (revokedCache.size > 10_000) revokedCache.clear();
  return revoked;
}

/** The standard auth middleware for a worker route. */
export function edgeAuth(
  options: { scopes?: Array<Scope | "advertiser">; allowQueryToken?: boolean } = {},
): MiddlewareHandler<{ Bindings: EdgeBaseEnv; Variables: AuthVariables }> {
  return requireAuth<EdgeBaseEnv>({
    verifier: (env) => verifierFor(env as EdgeBaseEnv),
    scopes: options.scopes,
    allowQueryToken: options.allowQueryToken,
    isRevoked: (claims, env) => isFamilyRevoked(claims, env as EdgeBaseEnv),
  });
}
