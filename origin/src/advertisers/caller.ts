/**
 * Who is calling the advertiser API. The api worker verifies the token at the edge and forwards with the service
 * token; the origin verifies the same token again against its own keys (no trust in forwarded headers), then reads
 * the scopes: `ops` sees every advertiser, `advertiser:<id>` only its own.
 */
import { advertiserIdsOf, hasScope } from "@cadence/shared/auth/claims";
import { authFailure, bearerToken } from "@cadence/shared/auth/middleware";
import { createTokenVerifier } from "@cadence/shared/auth/verify";
import { Problem, problems } from "@cadence/shared/problem";
import type { Context } from "hono";
import type { OriginEnv } from "../context";

export interface AdvertiserCaller {
  ops: boolean;
  advertiserIds: string[];
  sub: string;
}

export async function advertiserCaller(c: Context<OriginEnv>): Promise<AdvertiserCaller> {
  if (!c.var.fromEdge) throw problems.forbidden("edge-only", "Call the advertiser API through the api worker.");
  const { keys, config } = c.var.services;
  const verifier = createTokenVerifier({
    jwks: keys.jwks(),
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
  });
  const result = await verifier.verify(bearerToken(c.req.header("authorization")));
  if (!result.ok) throw authFailure(result.code, result.detail);
  const caller = {
    ops: hasScope(result.claims, "ops"),
    advertiserIds: advertiserIdsOf(result.claims),
    sub: result.claims.sub,
  };
  if (!caller.ops && caller.advertiserIds.length === 0) {
    throw new Problem(403, "insufficient-scope", "The advertiser API needs an advertiser or ops token.");
  }
  return caller;
}

/** Throws 403 unless the caller may act for `advertiserId`. */
export function ensureAdvertiserAccess(caller: AdvertiserCaller, advertiserId: string): void {
  if (caller.ops || caller.advertiserIds.includes(advertiserId)) return;
  throw problems.forbidden("advertiser-forbidden", "This belongs to another advertiser.");
}
