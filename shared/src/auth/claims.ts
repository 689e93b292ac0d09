/**
 * What an access token says about its bearer. Tokens are minted by the origin and read by every worker; this module is
 * the one definition of their claims and of the scope grammar (`listener`, `ops`, `advertiser:<id>`).
 */
export const TIERS = ["free", "premium", "hifi"] as const;
export type Tier = (typeof TIERS)[number];

export type Scope = "listener" | "ops" | `advertiser:${string}`;

export interface AccessClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  exp: number;
  iat: number;
  jti: string;
  /** Listener tier, from the account's subscription. */
  tier: Tier;
  /** ISO 3166-1 alpha-2 country of the account. */
  country: string;
  /** Space-separated scopes, as in RFC 8693 / OAuth 2.0. */
  scope: string;
  /** Refresh-token family the token was minted from; revoking the family revokes its access tokens. */
  fam?: string;
  email?: string;
}

/** Access tokens live at most this long (the issue caps them at one hour). */
export const ACCESS_TOKEN_MAX_SECONDS = 3600;
/** Clock skew tolerated between the origin and the edge. */
export const CLOCK_SKEW_SECONDS = 60;
/** The only algorithms a verifier accepts; pinned so `none` and HS* confusion never pass. */
export const ALLOWED_ALGORITHMS = ["ES256"] as const;

export function scopesOf(claims: Pick<AccessClaims, "scope">): string[] {
  return claims.scope.split(" ").filter(Boolean);
}

export function hasScope(claims: Pick<AccessClaims, "scope">, required: Scope | "advertiser"): boolean {
  const scopes = scopesOf(claims);
  if (required === "advertiser") return scopes.some((s) => s.startsWith("advertiser:"));
  return scopes.includes(required);
}

/** The advertiser ids an advertiser-scoped token may act for. */
export function advertiserIdsOf(claims: Pick<AccessClaims, "scope">): string[] {
  return scopesOf(claims)
    .filter((s) => s.startsWith("advertiser:"))
    .map((s) => s.slice("advertiser:".length));
}

export function isTier(value: unknown): value is Tier {
  return typeof value === "string" && (TIERS as readonly string[]).includes(value);
}
