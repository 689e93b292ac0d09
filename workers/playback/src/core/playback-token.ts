/**
 * The playback token: what a media playlist URL carries instead of the listener's access token (players cannot add
 * headers, and the access token lives 15 minutes while a session lives as long as its track plus a margin).
 *
 * It binds listener, track, device, session, the renditions the listener may fetch and an expiry, signed with
 * HMAC-SHA256 under PLAYBACK_TOKEN_SECRET (the shared HMAC kit, `@cadence/shared/trust/hmac`):
 * `<base64url(JSON claims)>.<base64url(MAC)>`. Verification is a value, not an exception; every route that takes the
 * token maps a failure to the same problem code (`PLAYBACK_TOKEN_PROBLEM`) with its own detail.
 */
import type { RenditionId } from "@cadence/shared/catalog/edge-track";
import type { PlaybackSession } from "@cadence/shared/playback/session";
import type { ProblemCode } from "@cadence/shared/problem";
import { base64url, fromBase64url, utf8 } from "@cadence/shared/trust/encoding";
import { hmacSign, hmacVerify } from "@cadence/shared/trust/hmac";

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

export type PlaybackTokenFailure = "missing" | "invalid" | "expired";

export type PlaybackTokenCheck =
  | { ok: true; claims: PlaybackClaims }
  | { ok: false; reason: PlaybackTokenFailure; claims?: PlaybackClaims };

/** The problem code of each way a playback token can fail (401 missing, 403 invalid, 410 expired). */
export const PLAYBACK_TOKEN_PROBLEM = {
  missing: "playback-token-missing",
  invalid: "playback-token-invalid",
  expired: "playback-token-expired",
} as const satisfies Record<PlaybackTokenFailure, ProblemCode>;

export async function signPlaybackToken(secret: string, claims: PlaybackClaims): Promise<string> {
  const payload = base64url(utf8(JSON.stringify(claims)));
  return `${payload}.${base64url(await hmacSign(secret, payload))}`;
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
  if (!(await hmacVerify(secret, payload, given))) return { ok: false, reason: "invalid" };
  const claims = parseClaims(payload);
  if (!claims) return { ok: false, reason: "invalid" };
  if (claims.exp <= nowSeconds) return { ok: false, reason: "expired", claims };
  return { ok: true, claims };
}

/** What a token is bound to that a session can differ in, checked in this order. */
export type TokenBinding = "listener" | "track" | "device" | "session";

/** The first binding in which a verified token does not match the session it is presented for, if any. */
export function tokenMismatch(
  claims: PlaybackClaims,
  session: Pick<PlaybackSession, "id" | "sub" | "trackId" | "deviceId">,
): TokenBinding | undefined {
  if (claims.sub !== session.sub) return "listener";
  if (claims.trk !== session.trackId) return "track";
  if (claims.dev !== session.deviceId) return "device";
  if (claims.sid !== session.id) return "session";
  return undefined;
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
