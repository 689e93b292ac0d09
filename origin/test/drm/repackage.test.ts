/**
 * Re-packaging a catalog packaged before encryption: two tracks on clear ladders (as an older data folder holds
 * them) are encrypted ladder by ladder under new keys and a new base, switched over and published; the run stops
 * between ladders when asked and the next run resumes with what is left; the clear files are gone afterwards.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { catalogTrackKey, type EdgeTrack } from "@cadence/shared/catalog/edge-track";
import { createLogger } from "@cadence/shared/log";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogTracks } from "../../src/db/schema";
import { clearBases, type RepackageProgress, repackageCatalog } from "../../src/drm/repackage";
import { decryptFile } from "../../src/drm/segment-cipher";
import type { LadderResult } from "../../src/transcode/ladder";
import { buildDelivery, smallRelease } from "../catalog/helpers";
import { freshOrigin } from "../helpers";

let origin: Awaited<ReturnType<typeof freshOrigin>>;
const ids = ["trk_qztst2600051", "trk_qztst2600052"];
const legacyBase = (path: string) => path.split("/")[0]!.replace(/-l[01]-aes$/, "-l0");

/** Rewrites an ingested (encrypted) track as a clear legacy ladder at `<sha>-l0`, the way old data folders hold it. */
async function makeClearLegacy(trackId: string): Promise<string> {
  const { store, db, redis } = origin.services;
  const { vault } = origin.services.catalog;
  const edge = (await redis.get<EdgeTrack>(catalogTrackKey(trackId)))!;
  const sealedBase = edge.renditions[0]!.path.split("/")[0]!;
  const base = legacyBase(edge.renditions[0]!.path);
  const ladder = JSON.parse(
    readFileSync(join(origin.dataDir, "media", sealedBase, "ladder.json"), "utf8"),
  ) as LadderResult;
  for (const r of ladder.renditions) {
    const key = (await vault.byId(r.encryption!.keyId))!;
    for (const [index, file] of [r.init, ...r.segments.map((s) => s.uri)].entries()) {
      const sealed = readFileSync(join(origin.dataDir, "media", sealedBase, r.id, file));
      await store.putBytes(`${base}/${r.id}/${file}`, decryptFile(sealed, key, index));
    }
    delete r.encryption;
  }
  await store.putBytes(`${base}/ladder.json`, new TextEncoder().encode(JSON.stringify(ladder)));
  await db.update(catalogTracks).set({ mediaBase: base }).where(eq(catalogTracks.id, trackId));
  return base;
}

beforeAll(async () => {
  origin = await freshOrigin();
  const spec = smallRelease({
    messageId: "REPACK-1",
    tracks: [
      { isrc: "QZTST2600051", title: "Old One", seconds: 7 },
      { isrc: "QZTST2600052", title: "Old Two", seconds: 7 },
    ],
  });
  expect((await origin.services.catalog.ingestFolder(await buildDelivery(spec))).status).toBe("ingested");
  for (const id of ids) await makeClearLegacy(id);
}, 90_000);

describe("npm run drm:repackage", () => {
  it("encrypts clear ladders one by one, stops when asked, resumes, and removes the clear files", async () => {
    const { db, store } = origin.services;
    const { vault, publisher } = origin.services.catalog;
    const deps = { db, store, vault, publisher, logger: createLogger("repackage-test", {}, "error") };
    expect((await clearBases(db)).size).toBe(2);

    const stop = new AbortController();
    const seen: RepackageProgress[] = [];
    const first = await repackageCatalog(deps, {
      signal: stop.signal,
      onProgress: (p) => {
        seen.push(p);
        stop.abort();
      },
    });
    expect(first).toEqual({ repackaged: 1, remaining: 1, failed: 0, stopped: true });
    expect(seen).toEqual([expect.objectContaining({ done: 1, total: 2 })]);
    expect((await clearBases(db)).size).toBe(1);

    const second = await repackageCatalog(deps);
    expect(second).toEqual({ repackaged: 1, remaining: 0, failed: 0, stopped: false });
    expect(await repackageCatalog(deps)).toEqual({ repackaged: 0, remaining: 0, failed: 0, stopped: false });

    for (const id of ids) {
      const edge = (await origin.services.redis.get<EdgeTrack>(catalogTrackKey(id)))!;
      for (const r of edge.renditions) {
        expect(r.path).toMatch(/-l0-aes\//);
        expect(r.encryption?.wrappedKey).toBeTruthy();
        const sealed = readFileSync(join(origin.dataDir, "media", r.path, r.init));
        expect(sealed.subarray(4, 8).toString("latin1")).not.toBe("ftyp");
        const key = (await vault.byId(r.encryption!.keyId))!;
        expect(decryptFile(sealed, key, 0).subarray(4, 8).toString("latin1")).toBe("ftyp");
        // The clear legacy files are gone.
        expect(existsSync(join(origin.dataDir, "media", legacyBase(r.path), r.id, r.init))).toBe(false);
      }
    }
  }, 90_000);
});
