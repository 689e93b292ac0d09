/**
 * The content-key store: one row per packaged rendition of a recording (media base x rendition), holding the random
 * AES-128 content key that encrypts its segments, wrapped under the origin's key-encryption key (MEDIA_KEK) with
 * AES-256-GCM bound to the key id, so a copy of this table (a backup, a replica) is useless without the KEK. The
 * IV base lives beside it so a packaging run that failed halfway encrypts again with the same key and IVs. Rows are
 * never updated; a re-key is a new media base.
 */
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const drmContentKeys = sqliteTable(
  "drm_content_keys",
  {
    /** 16 random bytes, hex: the key's public name (ladder manifest, EdgeTrack, licence URLs). */
    keyId: text("key_id").primaryKey(),
    /** Media-store prefix of the recording's encrypted ladder (`<sha-256>-<ladder>`) and the rendition id. */
    mediaBase: text("media_base").notNull(),
    rendition: text("rendition").notNull(),
    /** 12 random bytes, hex: per-file IVs are derived from it (shared/src/drm/content-key.ts). */
    ivBase: text("iv_base").notNull(),
    /** The content key wrapped under the KEK (shared/src/drm/wrapped-key.ts, purpose `at-rest`). */
    wrappedKey: text("wrapped_key").notNull(),
    /** Which KEK wrapped it (first 8 hex characters of SHA-256 of the KEK), for rotation. */
    kekId: text("kek_id").notNull(),
    createdAt: integer("created_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("drm_content_keys_rendition").on(t.mediaBase, t.rendition)],
);
