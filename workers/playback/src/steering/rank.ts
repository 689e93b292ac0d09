/**
 * The playback worker's one entry to the steering engine: reads the edge view for the client's region through the
 * per-isolate cache (a few seconds; last known state when Redis is slow or down) and runs `steer`. Both the master
 * playlist (which pathway a session starts on) and the steering manifest (every reload) rank through here, so the
 * first manifest ranks first the pathway the playlist started on.
 */

import type { CdnId } from "@cadence/shared/cdn/cdn-id";
import { createEdgeViewCache, type ViewSource } from "@cadence/shared/steering/edge-view";
import { type SteeringDecision, steer } from "@cadence/shared/steering/steer";
import type { SteeringRedis } from "@cadence/shared/steering/store";

const views = createEdgeViewCache({ ttlMs: 5_000, timeoutMs: 1_000 });

export interface RankRequest {
  sessionId: string;
  country: string;
  continent: string;
  currentPathway?: CdnId;
}

export async function rankSession(
  redis: SteeringRedis,
  request: RankRequest,
  now: number = Date.now(),
): Promise<{ decision: SteeringDecision; source: ViewSource }> {
  const { view, source } = await views.get(redis, { country: request.country, continent: request.continent }, now);
  const decision = steer({
    sessionId: request.sessionId,
    region: { country: request.country, continent: request.continent },
    now,
    view,
    currentPathway: request.currentPathway,
  });
  return { decision, source };
}

/** Forget cached views (tests that change the config and must not wait out the cache). */
export function clearSteeringViews(): void {
  views.clear();
}
