/**
 * The token of our own pathway (segments served by this worker under `/v1/cdn/cloudflare/`): an HMAC-SHA256 (the
 * shared HMAC kit, `@cadence/shared/trust/hmac`) over the rendition folder, the expiry and the playback session, so
 * one token covers one rendition of one session until it expires, and ending the session ends it too (the segment
 * route checks the session).
 *
 * Query: `exp=<epoch s>&sid=<session>&sig=<base64url HMAC>`; the MAC input is `<folder>\n<exp>\n<sid>` where folder is
 * the URL path up to and including the last `/`.
 */
import { base64url, fromBase64url } from "@cadence/shared/trust/encoding";
import { hmacSign, hmacVerify } from "@cadence/shared/trust/hmac";

function macInput(folder: string, expiresAt: number, sessionId: string): string {
  return `${folder}\n${expiresAt}\n${sessionId}`;
}

/** The query string (without `?`) for every file in `folder` (a URL path ending in `/`). */
export async function cloudflareQuery(
  secret: string,
  folder: string,
  expiresAt: number,
  sessionId: string,
): Promise<string> {
  const sig = base64url(await hmacSign(secret, macInput(folder, expiresAt, sessionId)));
  return `exp=${expiresAt}&sid=${sessionId}&sig=${sig}`;
}

export type CloudflareTokenCheck =
  | { ok: true; sessionId: string; expiresAt: number }
  | { ok: false; reason: "missing" | "invalid" | "expired" };

export async function verifyCloudflareToken(
  secret: string,
  folder: string,
  query: { exp?: string; sid?: string; sig?: string },
  nowSeconds: number,
): Promise<CloudflareTokenCheck> {
  const { exp, sid, sig } = query;
  if (!exp || !sid || !sig) return { ok: false, reason: "missing" };
  const given = fromBase64url(sig);
  if (!/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{1,64}$/.test(sid) || !given) return { ok: false, reason: "invalid" };
  const expiresAt = Number(exp);
  if (!(await hmacVerify(secret, macInput(folder, expiresAt, sid), given))) return { ok: false, reason: "invalid" };
  if (expiresAt <= nowSeconds) return { ok: false, reason: "expired" };
  return { ok: true, sessionId: sid, expiresAt };
}
