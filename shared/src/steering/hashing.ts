/**
 * Weighted rendezvous (highest-random-weight) hashing on the session id: each session picks the CDN with the best
 * `-ln(u) / weight` where `u` is a hash of (session, CDN). Sessions spread in proportion to the weights, a session
 * keeps its CDN while weights hold, and changing one weight moves only the sessions that share must gain or lose.
 */
import type { CdnId } from "../cdn/cdn-id";

/** FNV-1a with a murmur3 finaliser: fast, deterministic, well mixed for short similar keys. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in (0, 1) for the pair. */
export function unitHash(sessionId: string, cdn: string): number {
  return (hash32(`${sessionId}\u0000${cdn}`) + 0.5) / 4294967296;
}

/** The CDN this session lands on given the weights (only positive weights count); undefined if none is positive. */
export function rendezvousPick(sessionId: string, weights: Partial<Record<CdnId, number>>): CdnId | undefined {
  let best: CdnId | undefined;
  let bestKey = Number.POSITIVE_INFINITY;
  for (const [cdn, weight] of Object.entries(weights) as Array<[CdnId, number]>) {
    if (!(weight > 0)) continue;
    const key = -Math.log(unitHash(sessionId, cdn)) / weight;
    if (key < bestKey) {
      bestKey = key;
      best = cdn;
    }
  }
  return best;
}
