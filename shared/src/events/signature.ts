/**
 * The credential between the events queue consumer and the origin: an HMAC-SHA256 over time, method, path and body
 * with a secret only those two hold (`EVENTS_INGEST_SECRET`), so no other worker holding the general service token
 * can write events. Header: `x-events-signature: t=<epoch ms>,s=<base64url>`. Verification uses WebCrypto's
 * constant-time `verify` and refuses stale timestamps; a replayed signed batch is harmless because ingest is
 * idempotent.
 */
export const EVENTS_SIGNATURE_HEADER = "x-events-signature";
/** Signatures older (or newer) than this are refused. */
export const SIGNATURE_MAX_SKEW_MS = 5 * 60_000;

const keys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

function signingInput(t: number, method: string, path: string, body: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(encoder.encode(`${t}\n${method.toUpperCase()}\n${path}\n${body}`));
}

function toBase64Url(bytes: ArrayBuffer): string {
  let s = "";
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The header value for a request with this method, path (with query) and body. */
export async function signEventsRequest(
  secret: string,
  method: string,
  path: string,
  body: string,
  now = Date.now(),
): Promise<string> {
  const sig = await crypto.subtle.sign("HMAC", await keyFor(secret), signingInput(now, method, path, body));
  return `t=${now},s=${toBase64Url(sig)}`;
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
  const sig = fromBase64Url(match[2] ?? "");
  if (!sig) return { ok: false, detail: "The signature is malformed." };
  const valid = await crypto.subtle.verify("HMAC", await keyFor(secret), sig, signingInput(t, method, path, body));
  return valid ? { ok: true } : { ok: false, detail: "The signature does not verify." };
}
