/**
 * CloudFront signed URLs with a custom policy, signed in the worker with WebCrypto.
 *
 * One policy per rendition: its `Resource` ends in `*`, so one signature covers the init segment and every media
 * segment of that rendition. The signature is RSASSA-PKCS1-v1_5 over the exact policy bytes (SHA-1, CloudFront's
 * default, or SHA-256 announced with `Hash-Algorithm=SHA256`), and policy and signature travel in CloudFront's URL-safe
 * base64 (`+`->`-`, `=`->`_`, `/`->`~`). The query string is built by concatenation: a URL parser would turn `~` into
 * `%7E` and CloudFront would refuse the URL.
 */
import { cloudfrontBase64, fromBase64Standard, utf8 } from "@cadence/shared/trust/encoding";
import type { CloudFrontHash } from "../core/config";

export interface CloudFrontSigner {
  keyPairId: string;
  hash: CloudFrontHash;
  key: CryptoKey;
}

export interface CloudFrontPolicy {
  /** Absolute URL, `*` wildcards allowed (e.g. `https://d1.cloudfront.net/media/abc/aac-128/*`). */
  resource: string;
  /** Epoch seconds; the URL is refused from this second on. */
  expiresAt: number;
  /** Epoch seconds; refused before. */
  notBefore?: number;
  /** Client address (`203.0.113.7` or a CIDR); a bare address is bound as a /32 (/128 for IPv6). */
  sourceIp?: string;
}

const keys = new Map<string, Promise<CryptoKey>>();

/**
 * Imports the private key once per isolate. Accepts a PKCS#8 PEM or its bare base64 body (env files keep one line);
 * a PKCS#1 `RSA PRIVATE KEY` PEM must be converted first (`openssl pkcs8 -topk8 -nocrypt`), which the error says.
 */
export function importCloudFrontKey(privateKey: string, hash: CloudFrontHash): Promise<CryptoKey> {
  const cacheKey = `${hash}|${privateKey}`;
  let key = keys.get(cacheKey);
  if (!key) {
    if (privateKey.includes("BEGIN RSA PRIVATE KEY")) {
      throw new Error(
        "CLOUDFRONT_PRIVATE_KEY is PKCS#1; WebCrypto needs PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem",
      );
    }
    const body = privateKey.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\s+/g, "");
    const der = fromBase64Standard(body);
    if (!der) throw new Error("CLOUDFRONT_PRIVATE_KEY is not base64 PKCS#8.");
    key = crypto.subtle.importKey(
      "pkcs8",
      der,
      { name: "RSASSA-PKCS1-v1_5", hash: hash === "SHA256" ? "SHA-256" : "SHA-1" },
      false,
      ["sign"],
    );
    keys.set(cacheKey, key);
    key.catch(() => keys.delete(cacheKey));
  }
  return key;
}

/** The policy JSON, without whitespace, in the member order of CloudFront's documentation. */
export function cloudfrontPolicyJson(policy: CloudFrontPolicy): string {
  let condition = `"DateLessThan":{"AWS:EpochTime":${policy.expiresAt}}`;
  if (policy.notBefore !== undefined) condition += `,"DateGreaterThan":{"AWS:EpochTime":${policy.notBefore}}`;
  if (policy.sourceIp) condition += `,"IpAddress":{"AWS:SourceIp":${JSON.stringify(cidrOf(policy.sourceIp))}}`;
  return `{"Statement":[{"Resource":${JSON.stringify(policy.resource)},"Condition":{${condition}}}]}`;
}

function cidrOf(ip: string): string {
  if (ip.includes("/")) return ip;
  return ip.includes(":") ? `${ip}/128` : `${ip}/32`;
}

/** The query string (without `?`) that authorises every URL the policy's resource matches. */
export async function cloudfrontQuery(signer: CloudFrontSigner, policy: CloudFrontPolicy): Promise<string> {
  const json = utf8(cloudfrontPolicyJson(policy));
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", signer.key, json));
  let query = `Policy=${cloudfrontBase64(json)}&Signature=${cloudfrontBase64(signature)}&Key-Pair-Id=${signer.keyPairId}`;
  if (signer.hash === "SHA256") query += "&Hash-Algorithm=SHA256";
  return query;
}
