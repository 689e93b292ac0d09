/**
 * What the edge reads for steering, cached per isolate: a view per client region is reused for a few seconds, so a
 * hot region costs one Redis round trip per isolate every `ttlMs`, and an ops change reaches new sessions within
 * `ttlMs` plus one request. When Redis is slow (past `timeoutMs`) or down, the last view that was read is used however
 * old it is; with none for the region, the last config seen with no measurements; with nothing, the defaults — the
 * edge keeps steering from the last known state instead of failing.
 */
import { withTimeout } from "../http";
import { DEFAULT_STEERING_CONFIG, type SteeringConfig } from "./config";
import type { ClientRegion } from "./regions";
import type { SteeringView } from "./steer";
import { readSteeringView, type SteeringRedis } from "./store";

export type ViewSource = "fresh" | "cached" | "last-known" | "last-known-config" | "defaults";

export interface EdgeView {
  view: SteeringView;
  source: ViewSource;
  /** How old the view is, ms. */
  ageMs: number;
}

export interface EdgeViewCache {
  get(redis: SteeringRedis, region: ClientRegion, now?: number): Promise<EdgeView>;
  clear(): void;
}

export function createEdgeViewCache(
  options: { ttlMs?: number; timeoutMs?: number; maxRegions?: number } = {},
): EdgeViewCache {
  const ttlMs = options.ttlMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 500;
  const maxRegions = options.maxRegions ?? 500;
  const views = new Map<string, { view: SteeringView; at: number }>();
  const inflight = new Map<string, Promise<SteeringView>>();
  let lastConfig: SteeringConfig | undefined;

  return {
    async get(redis, region, now = Date.now()) {
      const key = `${region.country}|${region.continent}`;
      const cached = views.get(key);
      if (cached && now - cached.at < ttlMs) return { view: cached.view, source: "cached", ageMs: now - cached.at };
      try {
        let pending = inflight.get(key);
        if (!pending) {
          pending = withTimeout(readSteeringView(redis, region, now), timeoutMs).finally(() => inflight.delete(key));
          inflight.set(key, pending);
        }
        const view = await pending;
        if (views.size >= maxRegions && !views.has(key)) views.delete(views.keys().next().value as string);
        views.set(key, { view, at: now });
        lastConfig = view.config;
        return { view, source: "fresh", ageMs: 0 };
      } catch {
        if (cached) return { view: cached.view, source: "last-known", ageMs: now - cached.at };
        const empty = { country: {}, continent: {}, probes: {}, usage: { month: "", bytes: {} } };
        if (lastConfig) return { view: { config: lastConfig, ...empty }, source: "last-known-config", ageMs: 0 };
        return { view: { config: DEFAULT_STEERING_CONFIG, ...empty }, source: "defaults", ageMs: 0 };
      }
    },
    clear() {
      views.clear();
      inflight.clear();
      lastConfig = undefined;
    },
  };
}
