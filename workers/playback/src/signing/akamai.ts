/**
 * Akamai EdgeAuth Token 2.0, as Akamai's reference implementations (EdgeAuth-Token-Node) build it, with WebCrypto.
 *
 * The token is `~`-joined fields: `ip` (when bound), `st`, `exp`, `acl`, then `hmac` = hex HMAC-SHA256 over the
 * preceding fields joined by `~`, keyed with the hex-decoded secret. An ACL ending in `*` (`/media/abc/aac-128/*`)
 * covers a whole rendition. No `url=`/`salt=` here: this is an ACL token without salt. It travels as
 * `?__token__=<token>`, concatenated as a string so the `~` delimiters survive. The MAC comes from the shared HMAC kit
 * (`@cadence/shared/trust/hmac`), which caches the imported key per isolate.
 */
import { fromHex, hex } from "@cadence/shared/trust/encoding";
import { hmacSign } from "@cadence/shared/trust/hmac";

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

/** The EdgeAuth key: AKAMAI_EDGEAUTH_KEY hex-decoded (the raw bytes are the HMAC key). */
export function akamaiKey(hexKey: string): Uint8Array<ArrayBuffer> {
  const raw = fromHex(hexKey);
  if (!raw || raw.length === 0) throw new Error("AKAMAI_EDGEAUTH_KEY must be an even-length hex string.");
  return raw;
}

/** The token value (what follows `__token__=`). */
export async function akamaiToken(key: Uint8Array<ArrayBuffer>, token: AkamaiToken): Promise<string> {
  const fields: string[] = [];
  if (token.ip) fields.push(`ip=${token.ip}`);
  fields.push(`st=${token.startTime}`, `exp=${token.expiresAt}`, `acl=${token.acl}`);
  fields.push(`hmac=${hex(await hmacSign(key, fields.join("~")))}`);
  return fields.join("~");
}
