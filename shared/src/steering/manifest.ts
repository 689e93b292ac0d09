/**
 * The HLS content-steering manifest (Apple's Content Steering spec, rfc8216bis 7): VERSION 1, TTL, RELOAD-URI and
 * PATHWAY-PRIORITY, which must be non-empty and without duplicates. Players stop steering on any other VERSION.
 */
import type { CdnId } from "../cdn/cdn-id";

export interface SteeringManifest {
  VERSION: 1;
  TTL: number;
  "RELOAD-URI"?: string;
  "PATHWAY-PRIORITY": CdnId[];
}

export function steeringManifest(pathways: CdnId[], ttlSeconds: number, reloadUri?: string): SteeringManifest {
  const priority = [...new Set(pathways)];
  if (priority.length === 0) throw new Error("a steering manifest needs at least one pathway");
  return {
    VERSION: 1,
    TTL: Math.max(1, Math.round(ttlSeconds)),
    ...(reloadUri ? { "RELOAD-URI": reloadUri } : {}),
    "PATHWAY-PRIORITY": priority,
  };
}
