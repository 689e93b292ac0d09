/**
 * Publishes campaigns to edge state so a change reaches every ads worker within seconds, with no origin call on the
 * decision path. Each publish writes the campaign's compact record into one hash and bumps a version that a sorted
 * log records per campaign; ads workers poll the version and fetch only what changed since theirs
 * (workers/ads/src/campaign-cache.ts). One Lua script per publish keeps the three writes atomic.
 */
import { adCampaignsKey, adCampaignsLogKey, adCampaignsVersionKey } from "@cadence/shared/ads/keys";
import type { EdgeCampaign } from "@cadence/shared/ads/model";
import type { Redis } from "@upstash/redis";

const PUBLISH = `
local v = redis.call('INCR', KEYS[2])
for i = 1, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
  redis.call('ZADD', KEYS[3], v, ARGV[i])
end
return v
`;

/** Batches keep one script call under the REST request size Upstash accepts. */
const BATCH = 200;

export class CampaignPublisher {
  constructor(private readonly redis: Redis) {}

  /** Publishes campaigns (a record) or withdraws them (null); returns the new edge version. */
  async publish(entries: Array<{ id: string; campaign: EdgeCampaign | null }>): Promise<number> {
    let version = 0;
    for (let i = 0; i < entries.length; i += BATCH) {
      const args = entries.slice(i, i + BATCH).flatMap((e) => [e.id, e.campaign ? JSON.stringify(e.campaign) : ""]);
      version = Number(
        await this.redis.eval(PUBLISH, [adCampaignsKey, adCampaignsVersionKey, adCampaignsLogKey], args),
      );
    }
    return version;
  }
}
