/**
 * Campaigns' copy in edge state (ads/publisher.ts): after a loss every campaign is published again, with the version
 * counter first moved past any version an ads worker may still hold (a restarted Redis counts from 0 again, and a
 * worker only takes versions newer than its own). The sweep compares each campaign's edge record with the one the
 * database gives and publishes the ones that differ. Edge records this database does not know are left alone: edge
 * state may be shared (another origin's campaigns, a test's), and a sweep repairs our records, it does not delete others.
 */
import { adCampaignsKey, adCampaignsVersionKey } from "@cadence/shared/ads/keys";
import type { Redis } from "@upstash/redis";
import { inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { adCampaigns, adCreatives } from "../db/schema";
import { type EdgeCopy, repairOf } from "../edge-sync/copy";
import type { CampaignPublisher } from "./publisher";
import { edgeCampaignOf } from "./records";

export function campaignsEdgeCopy(db: Database, redis: Redis, publisher: CampaignPublisher): EdgeCopy {
  async function expected() {
    const rows = await db.select().from(adCampaigns);
    const creativeIds = [...new Set(rows.flatMap((r) => r.creativeIds as string[]))];
    const creatives = creativeIds.length
      ? await db.select().from(adCreatives).where(inArray(adCreatives.id, creativeIds))
      : [];
    return new Map(rows.map((r) => [r.id, edgeCampaignOf(r, creatives)]));
  }
  return {
    name: "campaigns",
    async republishAll(now) {
      const version = Number((await redis.get<number>(adCampaignsVersionKey)) ?? 0);
      if (version < now) await redis.set(adCampaignsVersionKey, now);
      const campaigns = await expected();
      if (campaigns.size > 0) {
        await publisher.publish([...campaigns].map(([id, campaign]) => ({ id, campaign })));
      }
      return campaigns.size;
    },
    async repair() {
      const campaigns = await expected();
      const edge = (await redis.hgetall<Record<string, unknown>>(adCampaignsKey)) ?? {};
      const changes: Array<{ id: string; campaign: ReturnType<typeof edgeCampaignOf> }> = [];
      for (const [id, campaign] of campaigns) {
        if (JSON.stringify(edge[id] ?? null) !== JSON.stringify(campaign)) changes.push({ id, campaign });
      }
      if (changes.length > 0) await publisher.publish(changes);
      return repairOf(
        campaigns.size,
        changes.map((c) => c.id),
      );
    },
  };
}
