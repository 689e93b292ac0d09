/** Helpers that mint the tokens the auth tests need, including ones the origin would never issue. */
import { env, exports } from "cloudflare:workers";
import { base64url, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";

export async function login(email: string, password = "demo-password") {
  const res = await exports.default.fetch("http://api.test/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.7" },
    body: JSON.stringify({ email, password }),
  });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

export async function tokensFor(email: string) {
  const { res, body } = await login(email);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  return body as { access_token: string; refresh_token: string; expires_in: number };
}

/** `POST /v1/auth/refresh` with a refresh token. */
export function refresh(refresh_token: string) {
  return exports.default.fetch("http://api.test/v1/auth/refresh", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refresh_token }),
  });
}

export function me(token: string | undefined, headers: Record<string, string> = {}) {
  return exports.default.fetch("http://api.test/v1/me", {
    headers: token ? { authorization: `Bearer ${token}`, ...headers } : headers,
  });
}

const originKey = JSON.parse(env.TEST_SIGNING_JWK) as JWK & { kid: string };

/** Signs with the origin's real key, with any claims the test wants (defaults are a valid listener token). */
export async function signWithOriginKey(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  const key = await importJWK(originKey, "ES256");
  return new SignJWT({ tier: "premium", country: "DE", scope: "listener", ...claims })
    .setProtectedHeader({ alg: "ES256", kid: originKey.kid, ...header })
    .setIssuer((claims.iss as string) ?? env.AUTH_ISSUER)
    .setAudience((claims.aud as string) ?? env.AUTH_AUDIENCE)
    .setSubject("listener-1")
    .setJti(crypto.randomUUID())
    .setIssuedAt((claims.iat as number) ?? now)
    .setExpirationTime((claims.exp as number) ?? now + 600)
    .sign(key);
}

/** A well-formed token signed by a key that is not the origin's. */
export async function signWithStrangerKey() {
  const { privateKey } = await generateKeyPair("ES256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tier: "premium", country: "DE", scope: "listener" })
    .setProtectedHeader({ alg: "ES256", kid: "stranger-key" })
    .setIssuer(env.AUTH_ISSUER)
    .setAudience(env.AUTH_AUDIENCE)
    .setSubject("listener-1")
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey);
}

const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

function validPayload() {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: env.AUTH_ISSUER,
    aud: env.AUTH_AUDIENCE,
    sub: "listener-1",
    iat: now,
    exp: now + 600,
    jti: crypto.randomUUID(),
    tier: "hifi",
    country: "GB",
    scope: "listener ops",
  };
}

/** `alg: none`: an unsigned token claiming ops scope. */
export function unsignedToken(): string {
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(validPayload())}.`;
}

/** The classic key-confusion attack: HS256 with the origin's public key as the HMAC secret. */
export async function hs256WithPublicKeyAsSecret(): Promise<string> {
  const { d: _private, ...publicJwk } = originKey;
  const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
  const signingInput = `${encode({ alg: "HS256", typ: "JWT", kid: originKey.kid })}.${encode(validPayload())}`;
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(signingInput)));
  return `${signingInput}.${base64url.encode(sig)}`;
}

/** A real token whose payload was edited after signing (tier upgraded). */
export function tamper(token: string): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
  return `${header}.${encode({ ...claims, tier: "hifi", scope: "listener ops" })}.${signature}`;
}

export async function publicJwkOfOrigin(): Promise<JWK> {
  const key = await importJWK(originKey, "ES256", { extractable: true });
  return exportJWK(key);
}
