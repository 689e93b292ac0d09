/**
 * The origin's token-signing keys: ES256 key pairs generated on first start into the ignored data folder (never
 * committed), each with a `kid` (its RFC 7638 thumbprint). Rotation adds a new current key and keeps the previous
 * one published until every token it signed has expired; after that it is dropped.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ACCESS_TOKEN_MAX_SECONDS, CLOCK_SKEW_SECONDS } from "@cadence/shared/auth/claims";
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

export const SIGNING_ALG = "ES256";

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: number;
  /** When a newer key replaced it; it stays published until its tokens expire. */
  retiredAt?: number;
}

export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

export class KeyStore {
  private constructor(
    private readonly path: string,
    private keys: StoredKey[],
  ) {}

  static async open(path: string): Promise<KeyStore> {
    if (existsSync(path)) {
      const keys = JSON.parse(readFileSync(path, "utf8")) as StoredKey[];
      if (keys.some((k) => !k.retiredAt)) return new KeyStore(path, keys);
    }
    const store = new KeyStore(path, []);
    await store.rotate();
    return store;
  }

  /** Makes a new current key; the old current key is retired but still published. */
  async rotate(now = Date.now()): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const stored: StoredKey = {
      kid,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG },
      publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: "sig" },
      createdAt: now,
    };
    this.keys = [...this.keys.map((k) => (k.retiredAt ? k : { ...k, retiredAt: now })), stored].filter(
      (k) => !k.retiredAt || now - k.retiredAt < publishWindowMs(),
    );
    this.save();
    return kid;
  }

  async current(): Promise<SigningKey> {
    const stored = this.keys.find((k) => !k.retiredAt);
    if (!stored) throw new Error("no current signing key");
    return { kid: stored.kid, key: (await importJWK(stored.privateJwk, SIGNING_ALG)) as CryptoKey };
  }

  /** Public keys to publish: the current one and retired ones whose tokens may still be alive. */
  jwks(now = Date.now()): { keys: JWK[] } {
    return {
      keys: this.keys.filter((k) => !k.retiredAt || now - k.retiredAt < publishWindowMs()).map((k) => k.publicJwk),
    };
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.keys, null, 2), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }
}

function publishWindowMs(): number {
  return (ACCESS_TOKEN_MAX_SECONDS + CLOCK_SKEW_SECONDS) * 1000;
}
