/**
 * The playback secrets of a local run, generated once into `<dataDir>/playback-secrets.json` (mode 600, never in the
 * repo): the playback-token and Cloudflare-pathway HMAC keys, the CloudFront RSA key pair (private key as PKCS#8 for
 * WebCrypto, public key PEM for the CloudFront stand-in) with its key-pair id, and the Akamai EdgeAuth hex key.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface PlaybackSecrets {
  playbackTokenSecret: string;
  cloudflareCdnTokenSecret: string;
  /** CloudFront public key id, `K` + 13 characters like AWS's. */
  cloudfrontKeyPairId: string;
  /** PKCS#8 DER, base64 (one line, so it fits an env file). */
  cloudfrontPrivateKey: string;
  cloudfrontPublicKeyPem: string;
  /** 32 bytes, hex. */
  akamaiEdgeAuthKey: string;
}

export function generatePlaybackSecrets(): PlaybackSecrets {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const id = Array.from(randomBytes(13), (b) => alphabet[b % alphabet.length]).join("");
  return {
    playbackTokenSecret: randomBytes(32).toString("base64url"),
    cloudflareCdnTokenSecret: randomBytes(32).toString("base64url"),
    cloudfrontKeyPairId: `K${id}`,
    cloudfrontPrivateKey: privateKey.export({ type: "pkcs8", format: "der" }).toString("base64"),
    cloudfrontPublicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    akamaiEdgeAuthKey: randomBytes(32).toString("hex"),
  };
}

export function playbackSecrets(dataDir: string): PlaybackSecrets {
  const path = join(dataDir, "playback-secrets.json");
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as PlaybackSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets = generatePlaybackSecrets();
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The playback worker's secret bindings, as `NAME=value` lines for wrangler's --env-file. */
export function playbackEnvLines(secrets: PlaybackSecrets): string {
  return [
    `PLAYBACK_TOKEN_SECRET=${secrets.playbackTokenSecret}`,
    `CLOUDFLARE_CDN_TOKEN_SECRET=${secrets.cloudflareCdnTokenSecret}`,
    `CLOUDFRONT_PRIVATE_KEY=${secrets.cloudfrontPrivateKey}`,
    `CLOUDFRONT_KEY_PAIR_ID=${secrets.cloudfrontKeyPairId}`,
    `AKAMAI_EDGEAUTH_KEY=${secrets.akamaiEdgeAuthKey}`,
  ].join("\n");
}
