/**
 * Who is calling the advertiser API. The api worker verifies the token at the edge and forwards with the service
 * token; the origin verifies the same token again against its own keys (no trust in forwarded headers), then reads
 * the scopes: `ops` sees every advertiser, `advertiser:<id>` only its own.
 */
import { advertiserIdsOf, hasScope } from "@cadence/shared/auth/claims";
import { authFailure, bearerToken } from "@cadence/shared/auth/middleware";
import { createTokenVerifier } from "@cadence/shared/auth/verify";
import { Problem } from "@cadence/shared/problem";
import { requireEdgeCaller } from "@cadence/shared/trust/edge-only";
import type { Context } from "hono";
import type { TokenSettings } from "../config";
import type { OriginEnv } from "../context";
import type { KeyStore } from "../identity/keystore";

export interface AdvertiserCaller {
  ops: boolean;
  advertiserIds: string[];
  sub: string;
}

/** What checks an advertiser API caller's token: the origin's own signing keys and the token settings. */
export interface CallerAuth {
  keys: Pick<KeyStore, "jwks">;
  config: TokenSettings;
}

export async function advertiserCaller(c: Context<OriginEnv>, { keys, config }: CallerAuth): Promise<AdvertiserCaller> {
  requireEdgeCaller(c.var.fromEdge, "Call the advertiser API through the api worker.");
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
    throw new Problem("insufficient-scope", "The advertiser API needs an advertiser or ops token.");
  }
  return caller;
}

/** Throws 403 unless the caller may act for `advertiserId`. */
export function ensureAdvertiserAccess(caller: AdvertiserCaller, advertiserId: string): void {
  if (caller.ops || caller.advertiserIds.includes(advertiserId)) return;
  throw new Problem("advertiser-forbidden", "This belongs to another advertiser.");
}
