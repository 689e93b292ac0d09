/**
 * The one auth middleware every worker mounts. It takes the token from `Authorization: Bearer` (or, where a route
 * allows it, the `token` query parameter, because native players cannot set headers), verifies it, checks the refresh
 * family has not been revoked, and enforces the route's scope. Every refusal is a 401/403 problem+json with a code.
 */
import type { MiddlewareHandler } from "hono";
import { Problem } from "../problem";
import { PROBLEM_CODES } from "../problem-codes";
import { type AccessClaims, hasScope, type Scope } from "./claims";
import type { TokenFailureCode, TokenVerifier } from "./verify";

export interface AuthVariables {
  claims: AccessClaims;
}

export interface AuthOptions {
  verifier: TokenVerifier | ((env: unknown) => TokenVerifier);
  /** Any one of these scopes admits the caller; omit for "any valid token". */
  scopes?: Array<Scope | "advertiser">;
  /** Accept `?token=` as well as the Authorization header. */
  allowQueryToken?: boolean;
  /** True when the token's refresh family has been revoked (checked after the signature). */
  isRevoked?: (claims: AccessClaims, env: unknown) => Promise<boolean>;
}

export function bearerToken(authorization: string | undefined | null): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization);
  return match?.[1];
}

export function authFailure(code: TokenFailureCode, detail: string): Problem {
  return new Problem(code, detail, {
    headers:
      PROBLEM_CODES[code].status === 401
        ? { "www-authenticate": `Bearer error="invalid_token", error_description="${detail.replace(/"/g, "'")}"` }
        : {},
  });
}

export function requireAuth<B extends object = object>(
  options: AuthOptions,
): MiddlewareHandler<{ Bindings: B; Variables: AuthVariables }> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    let token = bearerToken(header);
    if (header && !token) throw authFailure("token-malformed", "Send the token as `Authorization: Bearer <token>`.");
    if (!token && options.allowQueryToken) token = c.req.query("token") ?? undefined;
    const verifier = typeof options.verifier === "function" ? options.verifier(c.env) : options.verifier;
    const result = await verifier.verify(token);
    if (!result.ok) throw authFailure(result.code, result.detail);
    if (options.isRevoked && (await options.isRevoked(result.claims, c.env))) {
      throw authFailure("token-revoked", "This session was signed out or its refresh token was reused; log in again.");
    }
    if (options.scopes && !options.scopes.some((s) => hasScope(result.claims, s))) {
      throw new Problem("insufficient-scope", `This endpoint needs the ${options.scopes.join(" or ")} scope.`, {
        extensions: { required_scopes: options.scopes },
      });
    }
    c.set("claims", result.claims);
    await next();
  };
}
