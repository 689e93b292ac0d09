/**
 * The catalog's copy in edge state: one EdgeTrack per track (catalog/publish.ts). After a loss every track is
 * published again; the sweep reads the edge copies in batches (MGET) and publishes again each track whose copy is
 * missing or at another version than the database's.
 */
import { catalogTrackKey, type EdgeTrack } from "@cadence/shared/catalog/edge-track";
import type { Redis } from "@upstash/redis";
import type { Database } from "../db/client";
import { catalogTracks } from "../db/schema";
import { type EdgeCopy, repairOf } from "../edge-sync/copy";
import type { EdgePublisher } from "./publish";

const BATCH = 200;

export function catalogEdgeCopy(db: Database, redis: Redis, publisher: EdgePublisher): EdgeCopy {
  const tracks = () => db.select({ id: catalogTracks.id, version: catalogTracks.version }).from(catalogTracks);
  return {
    name: "catalog",
    async republishAll() {
      const all = await tracks();
      const { published, failed } = await publisher.publish(all.map((t) => t.id));
      if (failed > 0) throw new Error(`${failed} of ${all.length} tracks could not be published`);
      return published;
    },
    async repair() {
      const all = await tracks();
      const stale: string[] = [];
      for (let i = 0; i < all.length; i += BATCH) {
        const batch = all.slice(i, i + BATCH);
        const edge = await redis.mget<Array<EdgeTrack | null>>(...batch.map((t) => catalogTrackKey(t.id)));
        batch.forEach((t, k) => {
          if (edge[k]?.version !== t.version) stale.push(t.id);
        });
      }
      if (stale.length > 0) {
        const { failed } = await publisher.publish(stale);
        if (failed > 0) throw new Error(`${failed} of ${stale.length} stale tracks could not be published`);
      }
      return repairOf(all.length, stale);
    },
  };
}
