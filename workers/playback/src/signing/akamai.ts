/**
 * Akamai EdgeAuth Token 2.0, as Akamai's reference implementations (EdgeAuth-Token-Node) build it, with WebCrypto.
 *
 * The token is `~`-joined fields: `ip` (when bound), `st`, `exp`, `acl`, then `hmac` = hex HMAC-SHA256 over the
 * preceding fields joined by `~`, keyed with the hex-decoded secret. An ACL ending in `*` (`/media/abc/aac-128/*`)
 * covers a whole rendition. No `url=`/`salt=` here: this is an ACL token without salt. It travels as
 * `?__token__=<token>`, concatenated as a string so the `~` delimiters survive.
 */
import { fromHex, hex, utf8 } from "./encoding";

export interface AkamaiToken {
  /** ACL path (may end in `*`); several may be joined with `!`. */
  acl: string;
  /** Epoch seconds. */
  startTime: number;
  /** Epoch seconds; the edge refuses the token from then on. */
  expiresAt: number;
  /** Client address the token is bound to. */
  ip?: string;
}

export const AKAMAI_TOKEN_NAME = "__token__";

const keys = new Map<string, Promise<CryptoKey>>();

export function importAkamaiKey(hexKey: string): Promise<CryptoKey> {
  let key = keys.get(hexKey);
  if (!key) {
    const raw = fromHex(hexKey);
    if (!raw || raw.length === 0) throw new Error("AKAMAI_EDGEAUTH_KEY must be an even-length hex string.");
    key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(hexKey, key);
  }
  return key;
}

/** The token value (what follows `__token__=`). */
export async function akamaiToken(key: CryptoKey, token: AkamaiToken): Promise<string> {
  const fields: string[] = [];
  if (token.ip) fields.push(`ip=${token.ip}`);
  fields.push(`st=${token.startTime}`, `exp=${token.expiresAt}`, `acl=${token.acl}`);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(fields.join("~"))));
  fields.push(`hmac=${hex(mac)}`);
  return fields.join("~");
}
