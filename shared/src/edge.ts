/**
 * What every worker shares at the edge: the base env bindings, a per-isolate Redis client (Upstash REST), and the
 * auth middleware wired to the origin's JWKS and to the revoked-family list in Redis.
 */
import { Redis } from "@upstash/redis/cloudflare";
import type { MiddlewareHandler } from "hono";
import type { AccessClaims, Scope } from "./auth/claims";
import { type AuthVariables, requireAuth } from "./auth/middleware";
import { createTokenVerifier, type TokenVerifier } from "./auth/verify";
import { revokedFamilyKey } from "./keys";

/** Bindings every worker has; each worker's `context.ts` extends this with its own. */
export interface EdgeBaseEnv {
  ENVIRONMENT: string;
  ORIGIN_URL: string;
  JWKS_URL: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
}

const redisClients = new Map<string, Redis>();

/** One Redis client per isolate and URL; short timeouts so a slow Redis degrades a request instead of hanging it. */
export function redisFor(env: Pick<EdgeBaseEnv, "UPSTASH_REDIS_REST_URL" | "UPSTASH_REDIS_REST_TOKEN">): Redis {
  const key = `${env.UPSTASH_REDIS_REST_URL}|${env.UPSTASH_REDIS_REST_TOKEN}`;
  let client = redisClients.get(key);
  if (!client) {
    client = new Redis({
      url: env.UPSTASH_REDIS_REST_URL,
      token: env.UPSTASH_REDIS_REST_TOKEN,
      retry: { retries: 1, backoff: () => 50 },
      enableTelemetry: false,
    });
    redisClients.set(key, client);
  }
  return client;
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

// Revocation answers cached per isolate: a revoked family stays revoked; "not revoked" is re-asked after a few seconds.
const revokedCache = new Map<string, { revoked: boolean; until: number }>();
const NOT_REVOKED_TTL_MS = 5_000;

/**
 * Whether the token's refresh family was revoked (logout, or reuse of a rotated refresh token).
 * If Redis cannot answer, the token is allowed: access tokens are short-lived, and an outage of edge state must not
 * stop every play. The origin refuses the family's refresh tokens regardless.
 */
export async function isFamilyRevoked(claims: AccessClaims, env: EdgeBaseEnv): Promise<boolean> {
  if (!claims.fam) return false;
  const now = Date.now();
  const cached = revokedCache.get(claims.fam);
  if (cached && (cached.revoked || cached.until > now)) return cached.revoked;
  try {
    const revoked = (await redisFor(env).exists(revokedFamilyKey(claims.fam))) === 1;
    revokedCache.set(claims.fam, { revoked, until: now + NOT_REVOKED_TTL_MS });
    if (revokedCache.size > 10_000) revokedCache.clear();
    return revoked;
  } catch {
    return false;
  }
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
