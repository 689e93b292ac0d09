/**
 * The key hierarchy at the origin: packaging gives every rendition its own random content key (lossy and lossless,
 * 128 and 320, never share one), stored only wrapped under the KEK; the media store holds no clear audio; the edge
 * gets each key only wrapped under the licence wrapping key, which opens it and nothing else. Secrets come from the
 * environment, are generated outside production, and a missing or malformed one stops the origin with its name.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { catalogTrackKey, type EdgeTrack } from "@cadence/shared/catalog/edge-track";
import { unwrapKey } from "@cadence/shared/drm/wrapped-key";
import { beforeAll, describe, expect, it } from "vitest";
import { drmContentKeys } from "../../src/db/schema";
import { loadDrmSecrets } from "../../src/drm/secrets";
import { buildDelivery, smallRelease, tempDir } from "../catalog/helpers";
import { freshOrigin } from "../helpers";

let origin: Awaited<ReturnType<typeof freshOrigin>>;
let edge: EdgeTrack;

beforeAll(async () => {
  origin = await freshOrigin();
  const spec = smallRelease({ messageId: "DRM-1", tracks: [{ isrc: "QZTST2600041", title: "Sealed", seconds: 7 }] });
  expect((await origin.services.catalog.ingestFolder(await buildDelivery(spec))).status).toBe("ingested");
  edge = (await origin.services.redis.get<EdgeTrack>(catalogTrackKey("trk_qztst2600041")))!;
}, 60_000);

describe("content keys at the origin", () => {
  it("gives every rendition its own key, stored only wrapped under the KEK", async () => {
    const rows = await origin.services.db.select().from(drmContentKeys);
    const base = edge.renditions[0]!.path.split("/")[0]!;
    const mine = rows.filter((r) => r.mediaBase === base);
    expect(mine.map((r) => r.rendition).sort()).toEqual(["aac-128", "aac-256", "aac-320", "flac"]);
    const secrets = loadDrmSecrets(origin.config);
    const keys = new Set<string>();
    for (const row of mine) {
      const key = await unwrapKey(secrets.kek, "at-rest", row.keyId, row.wrappedKey);
      expect(key?.length).toBe(16);
      keys.add(Buffer.from(key!).toString("hex"));
      // The stored form names no key material and opens under nothing but the KEK, for this key id only.
      expect(row.wrappedKey).not.toContain(Buffer.from(key!).toString("hex"));
      expect(await unwrapKey(secrets.licenseWrapKey, "at-rest", row.keyId, row.wrappedKey)).toBeUndefined();
      expect(
        await unwrapKey(secrets.kek, "at-rest", mine.find((r) => r !== row)!.keyId, row.wrappedKey),
      ).toBeUndefined();
    }
    expect(keys.size).toBe(4);
  });

  it("publishes each key to the edge wrapped under the licence wrapping key, never in the clear", async () => {
    const secrets = loadDrmSecrets(origin.config);
    const raw = JSON.stringify(edge);
    for (const r of edge.renditions) {
      const stored = (await origin.services.catalog.vault.byId(r.encryption!.keyId))!;
      const edgeKey = await unwrapKey(secrets.licenseWrapKey, "edge", r.encryption!.keyId, r.encryption!.wrappedKey);
      expect(Buffer.from(edgeKey!)).toEqual(Buffer.from(stored.key));
      expect(await unwrapKey(secrets.kek, "edge", r.encryption!.keyId, r.encryption!.wrappedKey)).toBeUndefined();
      for (const encoding of ["hex", "base64", "base64url"] as const) {
        expect(raw).not.toContain(Buffer.from(stored.key).toString(encoding));
      }
    }
  });

  it("leaves no clear audio in the media store: no file starts with an MP4 box", () => {
    const root = join(origin.dataDir, "media", edge.renditions[0]!.path.split("/")[0]!);
    let checked = 0;
    for (const rendition of readdirSync(root).filter((d) => !d.endsWith(".json"))) {
      for (const file of readdirSync(join(root, rendition)).filter((f) => !f.endsWith(".m3u8"))) {
        const bytes = readFileSync(join(root, rendition, file));
        expect(["ftyp", "styp", "moof"]).not.toContain(bytes.subarray(4, 8).toString("latin1"));
        expect(bytes.length % 16).toBe(0);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});

describe("content-protection secrets", () => {
  const settings = { CADENCE_ENV: "development" as const, dataDir: "" };

  it("generates them once outside production and refuses to start without them in production", () => {
    const dataDir = tempDir();
    const first = loadDrmSecrets({ ...settings, dataDir });
    expect(loadDrmSecrets({ ...settings, dataDir })).toEqual(first);
    expect(first.kek).not.toBe(first.licenseWrapKey);
    expect(() => loadDrmSecrets({ ...settings, dataDir: tempDir(), CADENCE_ENV: "production" })).toThrow(
      /MEDIA_KEK and LICENSE_WRAP_KEY must be set in production/,
    );
  });

  it("names a malformed secret", () => {
    const good = loadDrmSecrets({ ...settings, dataDir: tempDir() });
    expect(() => loadDrmSecrets({ ...settings, dataDir: tempDir(), MEDIA_KEK: "short" })).toThrow(/MEDIA_KEK/);
    expect(() =>
      loadDrmSecrets({ ...settings, dataDir: tempDir(), MEDIA_KEK: good.kek, LICENSE_WRAP_KEY: "x".repeat(44) }),
    ).toThrow(/LICENSE_WRAP_KEY/);
  });
});
