/**
 * HMAC-SHA256 for every token the edge signs or verifies (playback tokens, our own CDN pathway, ad beacons, signed
 * event batches, Akamai EdgeAuth). One place imports keys (cached per isolate, because `importKey` costs more than
 * the MAC itself) and one place verifies, with WebCrypto's constant-time `verify`, so no caller compares MACs by hand.
 * Runs unchanged in workerd and Node.
 */
import { utf8 } from "./encoding";

/** A secret as the caller holds it: text (our own secrets) or raw bytes (Akamai's hex key, decoded). */
export type HmacSecret = string | Uint8Array<ArrayBuffer>;

const keys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 64;

function cacheKey(secret: HmacSecret): string {
  if (typeof secret === "string") return `s:${secret}`;
  let hex = "b:";
  for (const b of secret) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** The imported HMAC-SHA256 key for a secret, imported once per isolate. */
export function hmacKey(secret: HmacSecret): Promise<CryptoKey> {
  const id = cacheKey(secret);
  let key = keys.get(id);
  if (!key) {
    const raw = typeof secret === "string" ? utf8(secret) : secret;
    key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    // A bounded cache: a handful of secrets live in an isolate (rotation adds one); never grow without limit.
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    keys.set(id, key);
  }
  return key;
}

function bytesOf(message: string | Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  return typeof message === "string" ? utf8(message) : message;
}

/** HMAC-SHA256 of a message (text is UTF-8 encoded). */
export async function hmacSign(secret: HmacSecret, message: string | Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), bytesOf(message)));
}

/** Whether `mac` is the HMAC-SHA256 of the message; constant time (WebCrypto `verify`). */
export async function hmacVerify(
  secret: HmacSecret,
  message: string | Uint8Array<ArrayBuffer>,
  mac: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  return crypto.subtle.verify("HMAC", await hmacKey(secret), mac, bytesOf(message));
}
