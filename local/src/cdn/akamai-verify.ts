/**
 * Akamai's Auth Token 2.0 verification, written against Akamai's reference (EdgeAuth-Token-Node) with Node `crypto`,
 * independently of the worker's WebCrypto signer: the `__token__` query value read raw, fields split on `~`, `hmac`
 * last and equal to hex HMAC-SHA256 (hex key) over the fields before it (plus `url=<path>` for URL tokens), `exp` in
 * the future, `st` not in the future, `ip` equal to the client's when present, and the request path matching one of
 * the `!`-separated ACLs (wildcard `*`).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Verdict } from "./cloudfront-verify";
import { rawQuery, wildcardMatch } from "./query";

export interface AkamaiVerifier {
  /** `path`: the request's canonical path (path.ts), which an ACL (or a URL token) must cover. */
  verify(request: { rawUrl: string; path: string; clientIp: string; now: number }): Verdict;
}

export function akamaiVerifier(hexKey: string, tokenName = "__token__"): AkamaiVerifier {
  const key = Buffer.from(hexKey, "hex");
  return {
    verify({ rawUrl, path, clientIp, now }) {
      const token = rawQuery(rawUrl).get(tokenName);
      if (!token) return { ok: false, reason: "missing token" };
      const hmacAt = token.lastIndexOf("~hmac=");
      if (hmacAt < 0) return { ok: false, reason: "token lacks hmac" };
      const signed = token.slice(0, hmacAt);
      const given = token.slice(hmacAt + "~hmac=".length);
      const fields = new Map<string, string>();
      for (const field of signed.split("~")) {
        const eq = field.indexOf("=");
        if (eq < 0) return { ok: false, reason: "malformed token field" };
        fields.set(field.slice(0, eq), field.slice(eq + 1));
      }
      const acl = fields.get("acl");
      const hashSource = acl === undefined ? `${signed}~url=${path}` : signed;
      const expected = createHmac("sha256", key).update(hashSource).digest();
      const givenBytes = /^[0-9a-f]+$/i.test(given) ? Buffer.from(given, "hex") : Buffer.alloc(0);
      if (givenBytes.length !== expected.length || !timingSafeEqual(givenBytes, expected)) {
        return { ok: false, reason: "hmac does not verify" };
      }
      const nowSeconds = Math.floor(now / 1000);
      const exp = Number(fields.get("exp"));
      if (!fields.has("exp") || !Number.isInteger(exp)) return { ok: false, reason: "token lacks exp" };
      if (nowSeconds >= exp) return { ok: false, reason: "expired" };
      const st = fields.get("st");
      if (st !== undefined && (!/^\d+$/.test(st) || Number(st) > nowSeconds))
        return { ok: false, reason: "not valid yet" };
      const ip = fields.get("ip");
      if (ip !== undefined && ip !== clientIp) return { ok: false, reason: "ip mismatch" };
      if (acl !== undefined && !acl.split("!").some((entry) => wildcardMatch(entry, path))) {
        return { ok: false, reason: "acl mismatch" };
      }
      return { ok: true };
    },
  };
}
