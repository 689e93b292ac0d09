/**
 * The browser's offline storage of downloads, in IndexedDB (one database per account): each download's licence (key
 * id, IV base, the content key encrypted to this device, expiry) and its encrypted files (init segment and media
 * segments exactly as the CDN served them), plus this device's RSA-OAEP key pair. The private key is generated
 * non-extractable and stored as a CryptoKey, so the keys the licences hold open only in this browser profile.
 */

export interface OfflineLicence {
  trackId: string;
  title: string;
  artist: string;
  rendition: string;
  codec: string;
  keyId: string;
  ivBase: string;
  /** The content key, RSA-OAEP encrypted to this device's public key (base64url). */
  encryptedKey: string;
  issuedAt: string;
  /** When the licence lapses unless renewed online (ISO 8601). */
  expiresAt: string;
  /** The download's session, under which its offline plays are reported. */
  sessionId: string;
  targetDuration: number;
  /** Stored files in play order: the init segment first. */
  init: string;
  segments: Array<{ file: string; duration: number }>;
}

const LICENCES = "licences";
const FILES = "files";
const DEVICE = "device";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export class OfflineStore {
  private db: Promise<IDBDatabase> | undefined;

  constructor(private readonly name: string) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(this.name, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(LICENCES, { keyPath: "trackId" });
        req.result.createObjectStore(FILES);
        req.result.createObjectStore(DEVICE);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.db;
  }

  private async store(name: string, mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(name, mode).objectStore(name);
  }

  /** This device's key pair, made on first use (private key non-extractable). */
  async deviceKeys(): Promise<{ publicKey: JsonWebKey; privateKey: CryptoKey }> {
    const found = await request((await this.store(DEVICE, "readonly")).get("rsa-oaep"));
    if (found) return found as { publicKey: JsonWebKey; privateKey: CryptoKey };
    const pair = (await crypto.subtle.generateKey(
      { name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      false,
      ["encrypt", "decrypt"],
    )) as CryptoKeyPair;
    const keys = { publicKey: await crypto.subtle.exportKey("jwk", pair.publicKey), privateKey: pair.privateKey };
    await request((await this.store(DEVICE, "readwrite")).put(keys, "rsa-oaep"));
    return keys;
  }

  async putFile(trackId: string, file: string, bytes: ArrayBuffer): Promise<void> {
    await request((await this.store(FILES, "readwrite")).put(bytes, `${trackId}/${file}`));
  }

  async file(trackId: string, file: string): Promise<ArrayBuffer | undefined> {
    return (await request((await this.store(FILES, "readonly")).get(`${trackId}/${file}`))) as ArrayBuffer | undefined;
  }

  async putLicence(licence: OfflineLicence): Promise<void> {
    await request((await this.store(LICENCES, "readwrite")).put(licence));
  }

  async licence(trackId: string): Promise<OfflineLicence | undefined> {
    return (await request((await this.store(LICENCES, "readonly")).get(trackId))) as OfflineLicence | undefined;
  }

  async licences(): Promise<OfflineLicence[]> {
    return (await request((await this.store(LICENCES, "readonly")).getAll())) as OfflineLicence[];
  }

  /** Deletes a download: its licence and every stored file. */
  async remove(trackId: string): Promise<void> {
    const licence = await this.licence(trackId);
    const files = await this.store(FILES, "readwrite");
    for (const file of licence ? [licence.init, ...licence.segments.map((s) => s.file)] : []) {
      files.delete(`${trackId}/${file}`);
    }
    await request((await this.store(LICENCES, "readwrite")).delete(trackId));
  }
}
