/**
 * Revoked refresh families' copy in edge state: the edge refuses access tokens of a family whose key exists
 * (`auth:revoked-family:<id>`), and only needs it while one of the family's access tokens can still be valid, i.e.
 * until the revocation plus the access-token lifetime (and the same two-minute margin sessions.ts writes). After a
 * loss, and in every sweep, each family revoked within that window gets its key again with the remaining lifetime,
 * so a logged-out family stays logged out when Redis restarts empty.
 */
import { revokedFamilyKey } from "@cadence/shared/keys";
import type { Redis } from "@upstash/redis";
import { and, gt, isNotNull } from "drizzle-orm";
import type { Database } from "../db/client";
import { refreshFamilies } from "../db/schema";
import { type EdgeCopy, repairOf } from "../edge-sync/copy";

const MARGIN_SECONDS = 120;
const BATCH = 200;

export function revocationsEdgeCopy(db: Database, redis: Redis, accessTokenTtlSeconds: number): EdgeCopy {
  const windowMs = (accessTokenTtlSeconds + MARGIN_SECONDS) * 1000;
  const stillNeeded = (now: number) =>
    db
      .select({ id: refreshFamilies.id, revokedAt: refreshFamilies.revokedAt, reason: refreshFamilies.revokedReason })
      .from(refreshFamilies)
      .where(and(isNotNull(refreshFamilies.revokedAt), gt(refreshFamilies.revokedAt, now - windowMs)));

  async function write(now: number, onlyMissing: boolean): Promise<{ checked: number; written: string[] }> {
    const families = await stillNeeded(now);
    const written: string[] = [];
    for (let i = 0; i < families.length; i += BATCH) {
      const batch = families.slice(i, i + BATCH);
      let present: number[] = batch.map(() => 0);
      if (onlyMissing) {
        const p = redis.pipeline();
        for (const f of batch) p.exists(revokedFamilyKey(f.id));
        present = (await p.exec()) as number[];
      }
      const p = redis.pipeline();
      let any = false;
      batch.forEach((f, k) => {
        const remaining = (f.revokedAt ?? 0) + windowMs - now;
        if (present[k] === 1 || remaining <= 0) return;
        p.set(revokedFamilyKey(f.id), f.reason ?? "revoked", { px: remaining });
        written.push(f.id);
        any = true;
      });
      if (any) await p.exec();
    }
    return { checked: families.length, written };
  }

  return {
    name: "revocations",
    async republishAll(now) {
      return (await write(now, false)).written.length;
    },
    async repair(now) {
      const { checked, written } = await write(now, true);
      return repairOf(checked, written);
    },
  };
}
