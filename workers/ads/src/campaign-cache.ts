/**
 * The campaigns this isolate decides from: loaded once from edge state, then kept current by polling the publish
 * version every couple of seconds and fetching only the campaigns whose log entry moved past ours (see
 * origin/src/ads/publisher.ts). A decision never waits for a refresh once the first load is done: a stale
 * index is served while the next one is fetched in the background, so a change reaches the edge within seconds.
 */
import { adCampaignsKey, adCampaignsLogKey, adCampaignsVersionKey } from "@cadence/shared/ads/keys";
import type { EdgeCampaign } from "@cadence/shared/ads/model";
import { buildIndex, type CampaignIndex } from "@cadence/shared/ads/ranking";
import type { Redis } from "@upstash/redis/cloudflare";

/** How often the version is checked; with the publish itself this bounds how stale the edge can be. */
export const SYNC_INTERVAL_MS = 2_000;
/** Beyond this many changed campaigns a full reload is cheaper than fetching each. */
const FULL_RELOAD_ABOVE = 1_000;

interface CacheState {
  version: number;
  campaigns: Map<string, EdgeCampaign>;
  index: CampaignIndex;
  checkedAt: number;
}

let state: CacheState | undefined;
/** When the refresh in flight started (a request's I/O cannot be awaited by another, so others only read `state`). */
let refreshingSince: number | undefined;
/** A refresh running longer than this is presumed lost with its request, and another may start. */
const REFRESH_STUCK_MS = 30_000;

function isCampaign(value: unknown): value is EdgeCampaign {
  const c = value as EdgeCampaign | null;
  return (
    !!c && typeof c.id === "string" && typeof c.cpmMinor === "number" && Array.isArray(c.creatives) && !!c.targeting
  );
}

async function refresh(redis: Redis, current: CacheState | undefined, now: number): Promise<CacheState> {
  const version = Number((await redis.get<number>(adCampaignsVersionKey)) ?? 0);
  if (current && version === current.version) return { ...current, checkedAt: now };
  let campaigns: Map<string, EdgeCampaign>;
  const changed = current
    ? await redis.zrange<string[]>(adCampaignsLogKey, `(${current.version}`, "+inf", { byScore: true })
    : undefined;
  if (!current || !changed || changed.length > FULL_RELOAD_ABOVE) {
    const all = (await redis.hgetall<Record<string, unknown>>(adCampaignsKey)) ?? {};
    campaigns = new Map(
      Object.values(all)
        .filter(isCampaign)
        .map((c) => [c.id, c]),
    );
  } else {
    campaigns = new Map(current.campaigns);
    if (changed.length > 0) {
      const values = await redis.hmget<Record<string, unknown>>(adCampaignsKey, ...changed);
      for (const id of changed) {
        const value = values?.[id];
        if (isCampaign(value)) campaigns.set(id, value);
        else campaigns.delete(id);
      }
    }
  }
  return { version, campaigns, index: buildIndex(campaigns.values(), version), checkedAt: now };
}

function startRefresh(redis: Redis, now: number, waitUntil: (p: Promise<unknown>) => void): Promise<CacheState> {
  refreshingSince = now;
  const running = refresh(redis, state, now)
    .then((next) => {
      if (!state || next.version >= state.version) state = next;
      return next;
    })
    .finally(() => {
      refreshingSince = undefined;
    });
  // The refresh outlives the request that started it (a slow first load still completes for the next requests).
  waitUntil(running.catch(() => undefined));
  return running;
}

/**
 * The current index. Only the request that starts the first load of an isolate waits for it; requests meanwhile get
 * an error (the caller answers no fill) rather than wait on another request's I/O, which workerd forbids.
 */
export async function campaignIndex(
  redis: Redis,
  now: number,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<CampaignIndex> {
  const idle = refreshingSince === undefined || now - refreshingSince > REFRESH_STUCK_MS;
  if (state) {
    if (now - state.checkedAt >= SYNC_INTERVAL_MS && idle) startRefresh(redis, now, waitUntil);
    return state.index;
  }
  if (!idle) throw new Error("the campaign index is still loading");
  return (await startRefresh(redis, now, waitUntil)).index;
}

/** Tests: forget everything, as a fresh isolate would. */
export function resetCampaignCache(): void {
  state = undefined;
  refreshingSince = undefined;
}
