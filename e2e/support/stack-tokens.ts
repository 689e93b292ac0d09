/**
 * Access tokens for the test stack's listeners and advertisers, signed with the stack origin's current key exactly as
 * the origin signs them (ES256, its issuer and audience, 15 minutes), so a test has an account of its own and no other
 * suite's session displaces it.
 */
import type { TestStackInfo } from "@cadence/local/src/test-bindings";
import { importJWK, type JWK, SignJWT } from "jose";

export async function stackToken(
  stack: TestStackInfo,
  claims: { sub: string; tier: string; scope: string; country?: string },
): Promise<string> {
  const key = JSON.parse(stack.signingJwk) as JWK & { kid: string };
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tier: claims.tier, country: claims.country ?? "GB", scope: claims.scope })
    .setProtectedHeader({ alg: "ES256", kid: key.kid })
    .setIssuer(stack.issuer)
    .setAudience(stack.audience)
    .setSubject(claims.sub)
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 900)
    .sign(await importJWK(key, "ES256"));
}
