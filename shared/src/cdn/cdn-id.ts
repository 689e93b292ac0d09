/**
 * CDN identity: the pathways Cadence delivers segments through. A CDN id is also an HLS content-steering
 * `PATHWAY-ID`, a key in steering state and a label in the ops console, so it is one closed set.
 */
export const CDN_IDS = ["cloudfront", "akamai", "cloudflare"] as const;
export type CdnId = (typeof CDN_IDS)[number];

export function isCdnId(value: unknown): value is CdnId {
  return typeof value === "string" && (CDN_IDS as readonly string[]).includes(value);
}
