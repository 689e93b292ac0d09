/**
 * The credential between the events queue consumer and the origin: an HMAC-SHA256 over time, method, path and body
 * with a secret only those two hold (`EVENTS_INGEST_SECRET`), so no other worker holding the general service token
 * can write events. Header: `x-events-signature: t=<epoch ms>,s=<base64url>`. Signing and verifying go through the
 * edge-trust kit (trust/hmac.ts: WebCrypto's constant-time `verify`); stale timestamps are refused, and a replayed
 * signed batch is harmless because ingest is idempotent.
 */
import { base64url, fromBase64url } from "../trust/encoding";
import { hmacSign, hmacVerify } from "../trust/hmac";

export const EVENTS_SIGNATURE_HEADER = "x-events-signature";
/** Signatures older (or newer) than this are refused. */
export const SIGNATURE_MAX_SKEW_MS = 5 * 60_000;

/** A signature is a base64url HMAC-SHA256 (32 bytes, 43 characters). */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

function signingInput(t: number, method: string, path: string, body: string): string {
  return `${t}\n${method.toUpperCase()}\n${path}\n${body}`;
}

/** The header value for a request with this method, path (with query) and body. */
export async function signEventsRequest(
  secret: string,
  method: string,
  path: string,
  body: string,
  now = Date.now(),
): Promise<string> {
  return `t=${now},s=${base64url(await hmacSign(secret, signingInput(now, method, path, body)))}`;
}

export type SignatureCheck = { ok: true } | { ok: false; detail: string };

export async function verifyEventsRequest(
  secret: string,
  header: string | null | undefined,
  method: string,
  path: string,
  body: string,
  now = Date.now(),
): Promise<SignatureCheck> {
  const match = /^t=(\d{1,16}),s=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!match) return { ok: false, detail: `Sign the request: ${EVENTS_SIGNATURE_HEADER}: t=<epoch ms>,s=<signature>.` };
  const t = Number(match[1]);
  if (Math.abs(now - t) > SIGNATURE_MAX_SKEW_MS) return { ok: false, detail: "The signature's timestamp is stale." };
  const encoded = match[2] ?? "";
  const sig = SIGNATURE.test(encoded) ? fromBase64url(encoded) : undefined;
  if (!sig) return { ok: false, detail: "The signature is malformed." };
  const valid = await hmacVerify(secret, signingInput(t, method, path, body), sig);
  return valid ? { ok: true } : { ok: false, detail: "The signature does not verify." };
}
