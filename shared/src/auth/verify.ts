/**
 * Verifies access tokens against the origin's JWKS with `jose`.
 *
 * The key set is fetched once per isolate and cached; an unknown `kid` triggers a re-fetch at most once per cooldown
 * (a few seconds), so a rotated key is picked up quickly but a flood of junk `kid`s cannot hammer the origin.
 * Algorithms are pinned, `iss` and `aud` are required, and clock skew is bounded. Failures are values with a stable
 * `code`, so the middleware maps each to the right 401 without string matching.
 */

import type { JSONWebKeySet, JWTVerifyGetKey } from "jose";
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from "jose";
import { ACCESS_TOKEN_MAX_SECONDS, type AccessClaims, ALLOWED_ALGORITHMS, CLOCK_SKEW_SECONDS, isTier } from "./claims";

export type TokenFailureCode =
  | "token-missing"
  | "token-malformed"
  | "token-expired"
  | "token-not-yet-valid"
  | "token-wrong-issuer"
  | "token-wrong-audience"
  | "token-algorithm-rejected"
  | "token-signature-invalid"
  | "token-unknown-key"
  | "token-claims-invalid"
  | "token-revoked"
  | "jwks-unavailable";

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; code: TokenFailureCode; detail: string };

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** URL of the JWKS (the origin's `/.well-known/jwks.json`), or a fixed key set (tests, pinned deployments). */
  jwks: string | JSONWebKeySet;
  /** How soon an unknown `kid` may trigger another fetch. */
  cooldownMs?: number;
  /** How long a fetched key set is trusted before it is refreshed in the background of a verify. */
  cacheMaxAgeMs?: number;
  fetchImpl?: typeof fetch;
}

export interface TokenVerifier {
  verify(token: string | undefined | null): Promise<VerifyResult>;
}

// Per-isolate cache of remote key sets, keyed by URL, so every request in an isolate shares one fetched JWKS.
const remoteSets = new Map<string, JWTVerifyGetKey>();

function keySetFor(options: VerifierOptions): JWTVerifyGetKey {
  if (typeof options.jwks !== "string") return createLocalJWKSet(options.jwks);
  const key = `${options.jwks}|${options.cooldownMs ?? 5000}`;
  let set = remoteSets.get(key);
  if (!set) {
    set = createRemoteJWKSet(new URL(options.jwks), {
      cooldownDuration: options.cooldownMs ?? 5000,
      cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
      timeoutDuration: 3000,
    });
    remoteSets.set(key, set);
  }
  return set;
}

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const keys = keySetFor(options);
  return {
    async verify(token) {
      if (!token) return { ok: false, code: "token-missing", detail: "No access token was sent." };
      if (token.split(".").length !== 3) {
        return {
          ok: false,
          code: "token-malformed",
          detail: "The access token is not a compact JWS (three dot-separated parts).",
        };
      }
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [...ALLOWED_ALGORITHMS],
          clockTolerance: CLOCK_SKEW_SECONDS,
          maxTokenAge: ACCESS_TOKEN_MAX_SECONDS + CLOCK_SKEW_SECONDS,
          requiredClaims: ["sub", "exp", "iat", "jti"],
        });
        const claims = payload as unknown as AccessClaims;
        if (!isTier(claims.tier) || typeof claims.country !== "string" || typeof claims.scope !== "string") {
          return {
            ok: false,
            code: "token-claims-invalid",
            detail: "The token lacks the tier, country or scope claim.",
          };
        }
        if (claims.exp - claims.iat > ACCESS_TOKEN_MAX_SECONDS) {
          return { ok: false, code: "token-claims-invalid", detail: "The token's lifetime exceeds one hour." };
        }
        return { ok: true, claims };
      } catch (err) {
        return mapJoseError(err);
      }
    },
  };
}

function mapJoseError(err: unknown): VerifyResult & { ok: false } {
  if (err instanceof errors.JWTExpired)
    return { ok: false, code: "token-expired", detail: "The access token has expired; refresh it." };
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case "nbf":
      case "iat":
        if (err.reason === "check_failed")
          return {
            ok: false,
            code: "token-not-yet-valid",
            detail: "The access token is not valid yet (issued in the future).",
          };
        return {
          ok: false,
          code: "token-claims-invalid",
          detail: `The token's ${err.claim} claim is invalid: ${err.message}.`,
        };
      case "iss":
        return { ok: false, code: "token-wrong-issuer", detail: "The access token was not issued by this platform." };
      case "aud":
        return { ok: false, code: "token-wrong-audience", detail: "The access token is not meant for this audience." };
      default:
        return {
          ok: false,
          code: "token-claims-invalid",
          detail: `The token's ${err.claim} claim is invalid: ${err.message}.`,
        };
    }
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return {
      ok: false,
      code: "token-algorithm-rejected",
      detail: `Only ${ALLOWED_ALGORITHMS.join(", ")} tokens are accepted.`,
    };
  }
  if (err instanceof errors.JWKSNoMatchingKey)
    return { ok: false, code: "token-unknown-key", detail: "The token's key id (kid) is not one of ours." };
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return { ok: false, code: "token-signature-invalid", detail: "The access token's signature does not verify." };
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return { ok: false, code: "jwks-unavailable", detail: "The signing keys could not be fetched; try again shortly." };
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
    return { ok: false, code: "token-malformed", detail: "The access token is malformed." };
  }
  if (err instanceof errors.JOSENotSupported) {
    return {
      ok: false,
      code: "token-algorithm-rejected",
      detail: `Only ${ALLOWED_ALGORITHMS.join(", ")} tokens are accepted.`,
    };
  }
  if (err instanceof TypeError || (err instanceof Error && /fetch|network|connect/i.test(err.message))) {
    return { ok: false, code: "jwks-unavailable", detail: "The signing keys could not be fetched; try again shortly." };
  }
  return { ok: false, code: "token-malformed", detail: "The access token could not be verified." };
}
