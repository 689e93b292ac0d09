/**
 * CloudFront's check of a signed URL, written against AWS's documentation with Node `crypto` (independent of the
 * worker's WebCrypto signer, so the two cannot share a mistake): canned (`Expires`) or custom (`Policy`) policy,
 * `Signature` over the policy with RSASSA-PKCS1-v1_5 (SHA-1, or SHA-256 with `Hash-Algorithm=SHA256`) by a trusted
 * `Key-Pair-Id`, the `Resource` (wildcards allowed) matching the URL without the signing parameters, `DateLessThan`,
 * `DateGreaterThan` and `IpAddress` conditions. Parameters are read raw, as CloudFront does.
 */
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { ipInCidr } from "./ip";
import { rawQuery, wildcardMatch } from "./query";

export type Verdict = { ok: true } | { ok: false; reason: string };

export interface CloudFrontVerifier {
  /** `path`: the request's canonical path (path.ts), which the policy's Resource must cover. */
  verify(request: { rawUrl: string; path: string; origin: string; clientIp: string; now: number }): Verdict;
}

const SIGNING_PARAMS = new Set(["Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"]);

/** CloudFront's URL-safe base64 back to bytes: `-` -> `+`, `_` -> `=`, `~` -> `/`. */
function decodeCloudFrontBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9~_-]+$/.test(text)) return undefined;
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
}

interface PolicyStatement {
  Resource?: unknown;
  Condition?: {
    DateLessThan?: { "AWS:EpochTime"?: unknown };
    DateGreaterThan?: { "AWS:EpochTime"?: unknown };
    IpAddress?: { "AWS:SourceIp"?: unknown };
  };
}

/** `trustedKeys`: key-pair id -> public key PEM (the distribution's trusted key group). */
export function cloudfrontVerifier(trustedKeys: Record<string, string>): CloudFrontVerifier {
  const keys = new Map<string, KeyObject>(Object.entries(trustedKeys).map(([id, pem]) => [id, createPublicKey(pem)]));
  return {
    verify({ rawUrl, path, origin, clientIp, now }) {
      const query = rawQuery(rawUrl);
      const signature = query.get("Signature");
      const keyPairId = query.get("Key-Pair-Id");
      const expires = query.get("Expires");
      const policyParam = query.get("Policy");
      if (!signature || !keyPairId || (expires === undefined) === (policyParam === undefined)) {
        return { ok: false, reason: "missing signing parameters" };
      }
      const publicKey = keys.get(keyPairId);
      if (!publicKey) return { ok: false, reason: "unknown Key-Pair-Id" };
      const hashParam = query.get("Hash-Algorithm");
      if (hashParam !== undefined && hashParam !== "SHA1" && hashParam !== "SHA256") {
        return { ok: false, reason: "unsupported Hash-Algorithm" };
      }
      const others = query.params.filter(([name]) => !SIGNING_PARAMS.has(name)).map(([n, v]) => `${n}=${v}`);
      const url = `${origin}${path}${others.length ? `?${others.join("&")}` : ""}`;

      let policyBytes: Buffer;
      if (expires !== undefined) {
        if (!/^\d+$/.test(expires)) return { ok: false, reason: "malformed Expires" };
        policyBytes = Buffer.from(
          `{"Statement":[{"Resource":${JSON.stringify(url)},"Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`,
        );
      } else {
        const decoded = decodeCloudFrontBase64(policyParam ?? "");
        if (!decoded) return { ok: false, reason: "malformed Policy" };
        policyBytes = decoded;
      }
      const signatureBytes = decodeCloudFrontBase64(signature);
      const algorithm = hashParam === "SHA256" ? "sha256" : "sha1";
      if (!signatureBytes || !verify(algorithm, policyBytes, publicKey, signatureBytes)) {
        return { ok: false, reason: "signature does not verify" };
      }

      let statements: PolicyStatement[];
      try {
        statements = (JSON.parse(policyBytes.toString("utf8")) as { Statement?: PolicyStatement[] }).Statement ?? [];
      } catch {
        return { ok: false, reason: "policy is not JSON" };
      }
      if (!Array.isArray(statements) || statements.length !== 1)
        return { ok: false, reason: "policy needs one statement" };
      const statement = statements[0]!;
      const resource = statement.Resource ?? "*";
      if (typeof resource !== "string" || !wildcardMatch(resource, url))
        return { ok: false, reason: "resource mismatch" };
      const lessThan = statement.Condition?.DateLessThan?.["AWS:EpochTime"];
      if (typeof lessThan !== "number") return { ok: false, reason: "policy lacks DateLessThan" };
      const nowSeconds = Math.floor(now / 1000);
      if (nowSeconds >= lessThan) return { ok: false, reason: "expired" };
      const greaterThan = statement.Condition?.DateGreaterThan?.["AWS:EpochTime"];
      if (greaterThan !== undefined && (typeof greaterThan !== "number" || nowSeconds < greaterThan)) {
        return { ok: false, reason: "not valid yet" };
      }
      const sourceIp = statement.Condition?.IpAddress?.["AWS:SourceIp"];
      if (sourceIp !== undefined && (typeof sourceIp !== "string" || !ipInCidr(clientIp, sourceIp))) {
        return { ok: false, reason: "source IP not allowed" };
      }
      return { ok: true };
    },
  };
}
