/**
 * What the benchmark compares: our steering (the real `steer`), latency-only steering (the same engine told to
 * ignore cost and with no stabilisation band, so it chases the fastest CDN, as RTT-only load balancers do), static
 * round robin (sessions dealt to CDNs in turn, all listed for failover), and the best single CDN (the one with the
 * best traffic-weighted latency in the world, alone).
 */

import { CDN_IDS, type CdnId } from "@cadence/shared/cdn/cdn-id";
import { NOMINAL_SEGMENT_BITS } from "@cadence/shared/steering/measurements";
import { steer } from "@cadence/shared/steering/steer";
import type { Strategy } from "./sim";
import type { World } from "./world";

export function ourSteering(): Strategy {
  return {
    name: "cadence steering",
    readsState: true,
    manifest: (req) => {
      const d = steer({
        sessionId: req.sessionId,
        region: req.region,
        now: req.now,
        view: req.view(),
        currentPathway: req.current,
      });
      return { pathways: d.pathways, ttlSeconds: d.ttlSeconds };
    },
  };
}

export function latencyOnly(): Strategy {
  return {
    name: "latency-only steering",
    readsState: true,
    manifest: (req) => {
      const view = req.view();
      const config = {
        ...view.config,
        weights: { cost: 0, quality: 100 },
        thresholds: { ...view.config.thresholds, bandPercent: 0, bandMs: 0 },
      };
      const d = steer({
        sessionId: req.sessionId,
        region: req.region,
        now: req.now,
        view: { ...view, config },
        currentPathway: req.current,
      });
      return { pathways: d.pathways, ttlSeconds: d.ttlSeconds };
    },
  };
}

export function roundRobin(ttlSeconds: number): Strategy {
  return {
    name: "static round robin",
    readsState: false,
    manifest: (req) => {
      const k = req.index % CDN_IDS.length;
      return { pathways: [...CDN_IDS.slice(k), ...CDN_IDS.slice(0, k)], ttlSeconds };
    },
  };
}

/** The CDN with the best traffic-weighted median segment time in the world's own figures. */
export function bestGlobalCdn(world: World): CdnId {
  const time = (cdn: CdnId) =>
    world.regions.reduce((sum, r) => {
      const q = r.cdns[cdn];
      const mbps = Math.min(q.mbps[0], r.clientMbps);
      return sum + r.sessions * (q.ttfbMs[0] + (NOMINAL_SEGMENT_BITS / (mbps * 1e6)) * 1000);
    }, 0);
  return [...CDN_IDS].sort((a, b) => time(a) - time(b))[0] as CdnId;
}

export function singleCdn(cdn: CdnId, ttlSeconds: number): Strategy {
  return { name: `best single CDN (${cdn})`, readsState: false, manifest: () => ({ pathways: [cdn], ttlSeconds }) };
}
