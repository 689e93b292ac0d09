/**
 * One kind of edge state the origin keeps a copy of in Redis (the catalog's EdgeTracks, campaigns, steering config,
 * revoked refresh families): how to publish all of it again, and how to find and repair where the copy drifted from
 * the origin's records. Each capability implements its own (catalog/edge-copy.ts, ads/edge-copy.ts, ...); the healer
 * (healer.ts) only runs them.
 */
export interface EdgeCopyRepair {
  /** Records compared with the edge copy. */
  checked: number;
  /** Records that were missing or stale at the edge and were written again. */
  repaired: number;
  /** Up to a few ids of what was repaired, for the log and the ops report. */
  examples: string[];
}

export interface EdgeCopy {
  /** `catalog`, `campaigns`, `steering-config`, `revocations`. */
  name: string;
  /** Publishes everything (edge state was lost); returns how many records were written. */
  republishAll(now: number): Promise<number>;
  /** Compares the origin's records with the edge copy and writes what is missing or stale. */
  repair(now: number): Promise<EdgeCopyRepair>;
}

/** What a repair reports, capped so a large drift does not flood the log. */
export function repairOf(checked: number, repairedIds: string[]): EdgeCopyRepair {
  return { checked, repaired: repairedIds.length, examples: repairedIds.slice(0, 5) };
}
