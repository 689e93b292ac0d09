/**
 * Pathway ranking for a new playback session: the one place that decides which CDN a session starts on and in
 * which order the multivariant playlist lists them. The multi-CDN steering engine ranks (`steering/rank.ts`, the same
 * ranking the session's first steering manifest gives); PATHWAY_ORDER says which pathways this deployment has.
 */
import type { Tier } from "@cadence/shared/auth/claims";
import type { CdnId } from "@cadence/shared/cdn/cdn-id";
import { redisFor } from "@cadence/shared/edge";
import type { Env } from "../context";
import { playbackConfig } from "../core/config";
import { rankSession } from "../steering/rank";

export interface PathwayRequest {
  sessionId: string;
  sub: string;
  tier: Tier;
  /** Where the request comes from (request.cf). */
  country: string;
  continent: string;
  colo?: string;
  asn?: number;
}

/** Every pathway the session may use, best first (at least two whenever two are configured, so players can fail over). */
export async function rankPathways(env: Env, request: PathwayRequest): Promise<CdnId[]> {
  // The steering engine ranks (the same ranking the session's first steering manifest gives); PATHWAY_ORDER says
  // which pathways this deployment has. CDNs that are down come last, so a later manifest can move the session back.
  const configured = playbackConfig(env).pathwayOrder;
  const { decision } = await rankSession(redisFor(env), request);
  const ranked = decision.pathways.filter((p) => configured.includes(p));
  const down = decision.scores.filter((s) => s.status === "down" && !ranked.includes(s.cdn)).map((s) => s.cdn);
  const pathways = [...ranked, ...down.filter((p) => configured.includes(p))];
  return pathways.length > 0 ? pathways : [...configured];
}
