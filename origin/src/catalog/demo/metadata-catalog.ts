/**
 * Catalogs of metadata only (no audio): rows for tracks, releases and the search index written straight to the
 * database, for search tests and for the search benchmark's 100,000 tracks. Never used by the running service.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { catalogReleases, catalogTracks } from "../../db/schema";
import { indexMany } from "../search-index";
import { normalize } from "../search-terms";

export interface MetadataTrack {
  title: string;
  artist: string;
  release: string;
  popularity?: number;
}

export async function seedMetadataCatalog(db: Database, tracks: MetadataTrack[]): Promise<void> {
  const [start] = await db.all<{ docid: number }>(sql`SELECT coalesce(max(docid), 0) AS docid FROM catalog_tracks`);
  const first = (start?.docid ?? 0) + 1;
  await db.transaction(async (tx) => {
    const releases = [...new Set(tracks.map((t) => `${t.artist}\u0000${t.release}`))];
    const releaseId = new Map(releases.map((r, i) => [r, `rel_meta${first}x${i}`]));
    for (let i = 0; i < releases.length; i += 200) {
      await tx.insert(catalogReleases).values(
        releases.slice(i, i + 200).map((r) => {
          const [artist, title] = r.split("\u0000") as [string, string];
          return {
            id: releaseId.get(r)!,
            key: `pid:meta:${releaseId.get(r)}`,
            title,
            displayArtist: artist,
            genres: [],
            messageId: "metadata-only",
            messageSender: "metadata-only",
            messageCreatedAt: 0,
          };
        }),
      );
    }
    const rows = tracks.map((t, i) => ({
      id: `trk_meta${first + i}`,
      docid: first + i,
      isrc: `QZMET${String(first + i).padStart(7, "0")}`,
      title: t.title,
      displayArtist: t.artist,
      titleNorm: normalize(t.title),
      artistNorm: normalize(t.artist),
      releaseId: releaseId.get(`${t.artist}\u0000${t.release}`)!,
      iswcs: [],
      durationMs: 180_000,
      durationSamples: 180 * 44_100,
      sampleRate: 44_100,
      loudnessLufs: -14,
      truePeakDbtp: -1,
      sourceSha256: "0".repeat(64),
      mediaBase: "metadata-only",
      popularity: t.popularity ?? 0,
    }));
    for (let i = 0; i < rows.length; i += 200) await tx.insert(catalogTracks).values(rows.slice(i, i + 200));
    await indexMany(
      tx as unknown as Database,
      tracks.map((t, i) => ({ docid: first + i, title: t.title, artist: t.artist, release: t.release })),
    );
  });
}
