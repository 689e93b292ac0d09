/**
 * The playback token: what a media playlist URL carries instead of the listener's access token (players cannot add
 * headers, and the access token lives 15 minutes while a session lives as long as its track plus a margin).
 *
 * It binds listener, track, device, session, the renditions the listener may fetch and an expiry, signed with
 * HMAC-SHA256 under PLAYBACK_TOKEN_SECRET: `<base64url(JSON claims)>.<base64url(MAC)>`. Verification is a value, not
 * an exception, so routes map each failure to its status.
 */
import type { RenditionId } from "@cadence/shared/catalog/edge-track";
import { base64url, fromBase64url, timingSafeEqual, utf8 } from "../signing/encoding";

export interface PlaybackClaims {
  /** Session id. */
  sid: string;
  /** Account (access token `sub`). */
  sub: string;
  /** Track id. */
  trk: string;
  /** Device id. */
  dev: string;
  /** Renditions the listener may fetch. */
  rnd: RenditionId[];
  /** Epoch seconds. */
  exp: number;
}

export type PlaybackTokenCheck =
  | { ok: true; claims: PlaybackClaims }
  | { ok: false; reason: "missing" | "invalid" | "expired"; claims?: PlaybackClaims };

const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

async function macOf(secret: string, payload: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(secret), utf8(payload)));
}

export async function signPlaybackToken(secret: string, claims: PlaybackClaims): Promise<string> {
  const payload = base64url(utf8(JSON.stringify(claims)));
  return `${payload}.${base64url(await macOf(secret, payload))}`;
}

export async function verifyPlaybackToken(
  secret: string,
  token: string | undefined,
  nowSeconds: number,
): Promise<PlaybackTokenCheck> {
  if (!token) return { ok: false, reason: "missing" };
  const [payload, signature, extra] = token.split(".");
  const given = signature ? fromBase64url(signature) : undefined;
  if (!payload || !given || extra !== undefined || token.length > 2048) return { ok: false, reason: "invalid" };
  if (!timingSafeEqual(await macOf(secret, payload), given)) return { ok: false, reason: "invalid" };
  const claims = parseClaims(payload);
  if (!claims) return { ok: false, reason: "invalid" };
  if (claims.exp <= nowSeconds) return { ok: false, reason: "expired", claims };
  return { ok: true, claims };
}

function parseClaims(payload: string): PlaybackClaims | undefined {
  const bytes = fromBase64url(payload);
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as Partial<PlaybackClaims>;
    const strings = [value.sid, value.sub, value.trk, value.dev];
    if (!strings.every((s) => typeof s === "string" && s.length > 0)) return undefined;
    if (typeof value.exp !== "number" || !Array.isArray(value.rnd)) return undefined;
    return value as PlaybackClaims;
  } catch {
    return undefined;
  }
}
