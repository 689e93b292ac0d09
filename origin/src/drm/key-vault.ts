/**
 * The content-key vault: creates the random AES-128 key of each packaged rendition (media base x rendition) on first
 * use and returns the same key and IV base ever after, so a packaging run that stopped halfway resumes with the keys
 * its finished files were encrypted with. Keys are stored only wrapped under the KEK (`drm_content_keys`), and leave
 * the origin only re-wrapped under the licence wrapping key, for the edge (`edgeEncryption`).
 */
import { randomBytes } from "node:crypto";
import type { EdgeEncryption, RenditionEncryption } from "@cadence/shared/drm/content-key";
import { unwrapKey, wrapKey } from "@cadence/shared/drm/wrapped-key";
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { drmContentKeys } from "../db/schema";
import type { DrmSecrets } from "./secrets";

export interface ContentKey extends RenditionEncryption {
  key: Uint8Array;
}

export class ContentKeyVault {
  constructor(
    private readonly db: Database,
    private readonly secrets: DrmSecrets,
  ) {}

  /** The rendition's content key, created (random key, key id and IV base) when it has none yet. */
  async keyFor(mediaBase: string, rendition: string): Promise<ContentKey> {
    const existing = await this.find(mediaBase, rendition);
    if (existing) return existing;
    const keyId = randomBytes(16).toString("hex");
    const key = new Uint8Array(randomBytes(16));
    const wrapped = await wrapKey(this.secrets.kek, "at-rest", keyId, key, "MEDIA_KEK");
    await this.db
      .insert(drmContentKeys)
      .values({
        keyId,
        mediaBase,
        rendition,
        ivBase: randomBytes(12).toString("hex"),
        wrappedKey: wrapped,
        kekId: this.secrets.kekId,
        createdAt: Date.now(),
      })
      .onConflictDoNothing();
    // Two packagers racing for the same rendition: the row that won is the key.
    const stored = await this.find(mediaBase, rendition);
    if (!stored) throw new Error(`content key for ${mediaBase}/${rendition} was not stored`);
    return stored;
  }

  /** The edge's form of a rendition's key: metadata plus the key wrapped under LICENSE_WRAP_KEY. */
  async edgeEncryption(encryption: RenditionEncryption): Promise<EdgeEncryption> {
    const key = await this.byId(encryption.keyId);
    if (!key) throw new Error(`no content key ${encryption.keyId} in the key store`);
    const wrappedKey = await wrapKey(this.secrets.licenseWrapKey, "edge", key.keyId, key.key, "LICENSE_WRAP_KEY");
    return { method: "AES-128", keyId: key.keyId, ivBase: key.ivBase, wrappedKey };
  }

  async byId(keyId: string): Promise<ContentKey | undefined> {
    const [row] = await this.db.select().from(drmContentKeys).where(eq(drmContentKeys.keyId, keyId));
    return row ? this.open(row) : undefined;
  }

  private async find(mediaBase: string, rendition: string): Promise<ContentKey | undefined> {
    const [row] = await this.db
      .select()
      .from(drmContentKeys)
      .where(and(eq(drmContentKeys.mediaBase, mediaBase), eq(drmContentKeys.rendition, rendition)));
    return row ? this.open(row) : undefined;
  }

  private async open(row: typeof drmContentKeys.$inferSelect): Promise<ContentKey> {
    if (row.kekId !== this.secrets.kekId) {
      throw new Error(
        `content key ${row.keyId} is wrapped under KEK ${row.kekId}, not the configured ${this.secrets.kekId}`,
      );
    }
    const key = await unwrapKey(this.secrets.kek, "at-rest", row.keyId, row.wrappedKey, "MEDIA_KEK");
    if (!key) throw new Error(`content key ${row.keyId} does not unwrap under the configured KEK`);
    return { method: "AES-128", keyId: row.keyId, ivBase: row.ivBase, key };
  }
}
