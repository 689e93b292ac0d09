/**
 * Key wrapping with AES-256-GCM (WebCrypto, so the same code runs at the origin in Node and at the edge in workerd):
 * `base64url(iv(12) || ciphertext || tag(16))`, authenticated together with the key id and a purpose label, so a
 * wrapped key cannot be moved to another key id or from one purpose to another (at-rest KEK vs. edge wrapping key)
 * without failing to unwrap. Used twice: content keys at rest at the origin under the KEK, and content keys on their
 * way to the edge under the playback worker's LICENSE_WRAP_KEY.
 */
import { base64url, fromBase64url, utf8 } from "../trust/encoding";

export type WrapPurpose = "at-rest" | "edge";

/** A wrapping secret: 32 random bytes, base64url. */
export const WRAP_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class WrapSecretInvalid extends Error {
  constructor(readonly setting: string) {
    super(
      `${setting} must be 32 random bytes in base64url (43 characters); generate one with \`openssl rand 32 | basenc --base64url\`.`,
    );
  }
}

// Imported keys per secret (per isolate / process): importing costs more than a 16-byte decryption.
const imported = new Map<string, Promise<CryptoKey>>();

function keyOf(secret: string, setting: string): Promise<CryptoKey> {
  let key = imported.get(secret);
  if (!key) {
    const raw = WRAP_SECRET_PATTERN.test(secret) ? fromBase64url(secret) : undefined;
    if (raw?.length !== 32) return Promise.reject(new WrapSecretInvalid(setting));
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    if (imported.size > 16) imported.clear();
    imported.set(secret, key);
  }
  return key;
}

const aad = (purpose: WrapPurpose, keyId: string) => utf8(`cadence-content-key/${purpose}/${keyId}`);

export async function wrapKey(
  secret: string,
  purpose: WrapPurpose,
  keyId: string,
  key: Uint8Array,
  setting = "the wrapping secret",
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(purpose, keyId) },
    await keyOf(secret, setting),
    key as Uint8Array<ArrayBuffer>,
  );
  const out = new Uint8Array(12 + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), 12);
  return base64url(out);
}

/** The key, or undefined when the wrapped form does not authenticate (wrong secret, key id, purpose or tampered). */
export async function unwrapKey(
  secret: string,
  purpose: WrapPurpose,
  keyId: string,
  wrapped: string,
  setting = "the wrapping secret",
): Promise<Uint8Array | undefined> {
  const bytes = fromBase64url(wrapped);
  if (!bytes || bytes.length < 12 + 16 + 1) return undefined;
  const key = await keyOf(secret, setting);
  try {
    const opened = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: aad(purpose, keyId) },
      key,
      bytes.subarray(12),
    );
    return new Uint8Array(opened);
  } catch {
    return undefined;
  }
}
