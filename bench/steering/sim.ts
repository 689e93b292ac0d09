/**
 * The simulation: sessions in every region of a world fetch segments from the pathway their player would use (the
 * first in the steering manifest it holds that hls.js has not penalised for a failure in the last 5 minutes), report
 * QoE samples that reach steering after the events pipeline's delay, and reload the steering manifest every TTL. The
 * steering under test reads its state exactly as the edge does: measurements summed into the same buckets
 * (`sampleIncrements`, `parseRegionHash`), probes through `nextProbeState`, month-to-date volume, and a view cached
 * for a few seconds. Egress is billed as CDNs bill: the regional list price per GB; for a CDN with a commit, its
 * monthly fee (pro-rated to the measured window, the same for every strategy) and the burst price per GB above the
 * commit. Bytes inside the commit cost nothing more: under-used commits are money already spent.
 */

import { CDN_IDS, type CdnId } from "@cadence/shared/cdn/cdn-id";
import type { SteeringConfig } from "@cadence/shared/steering/config";
import { BYTES_PER_GB, listPriceMicros } from "@cadence/shared/steering/cost";
import {
  BUCKET_MS,
  bucketFields,
  parseRegionHash,
  type QoeSample,
  RETENTION_BUCKETS,
  sampleIncrements,
} from "@cadence/shared/steering/measurements";
import { costMicros, decimalToMicros } from "@cadence/shared/steering/money";
import { nextProbeState, type ProbeState } from "@cadence/shared/steering/probes";
import { regionChain } from "@cadence/shared/steering/regions";
import type { SteeringView } from "@cadence/shared/steering/steer";
import type { World, WorldRegion } from "./world";

const HLS_PENALTY_MS = 5 * 60_000;
const OUTAGE_FAILURE_MS = 1000;
const TICK_MS = 1000;

export interface ManifestRequest {
  sessionId: string;
  index: number;
  region: WorldRegion;
  now: number;
  current?: CdnId;
  view: () => SteeringView;
}
export interface Strategy {
  name: string;
  /** Whether it reads measurements (baselines that do not skip recording them, which only saves time). */
  readsState: boolean;
  manifest(req: ManifestRequest): { pathways: CdnId[]; ttlSeconds: number };
}

export interface SimResult {
  name: string;
  /** Egress bill for the measured window, commit fees included. */
  costMicros: bigint;
  /** Of which: commit fees pro-rated to the window (paid whatever the steering does). */
  commitFeeMicros: bigint;
  p50: number;
  p95: number;
  fetches: number;
  failedFetches: number;
  stalls: number;
  bytesByCdn: Record<CdnId, number>;
  /** Per outage event: the longest time a session kept trying the failed CDN (first to last failed attempt), s. */
  stuckMaxSeconds: number[];
}

interface Session {
  id: string;
  index: number;
  region: WorldRegion;
  end: number;
  nextFetch: number;
  pathways: CdnId[];
  reloadAt: number;
  current?: CdnId;
  penalized: Map<CdnId, number>;
  clientMbps: number;
  lastThroughputBps?: number;
  stuck: Map<number, { first: number; last: number }>;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function runSimulation(
  world: World & { warmupMinutes?: number },
  config: SteeringConfig,
  strategy: Strategy,
): SimResult {
  const rng = mulberry32(world.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const logNormal = (median: number, spreadRatio: number) =>
    median * Math.exp((Math.log(spreadRatio) / 1.645) * normal());
  const cfg: SteeringConfig = structuredClone(config);
  const warmup = (world.warmupMinutes ?? 10) * 60_000;
  const t0 = Date.parse(world.start) - warmup;
  const measuredFrom = Date.parse(world.start);
  const endAt = measuredFrom + world.durationMinutes * 60_000;
  const at = (minute: number) => measuredFrom + minute * 60_000;
  const segmentBytes = Math.round(((world.bitrateKbps * 1000) / 8) * world.segmentSeconds);
  const segmentMs = world.segmentSeconds * 1000;

  // Edge state as Redis holds it.
  const store = new Map<string, Record<string, number>>();
  const seenUsage = new Map<CdnId, number>();
  const billUsage = new Map<CdnId, number>();
  for (const cdn of CDN_IDS) {
    const gb = world.usedGbAtStart[cdn] ?? 0;
    seenUsage.set(cdn, gb * BYTES_PER_GB);
    billUsage.set(cdn, gb * BYTES_PER_GB);
  }
  let probes: Partial<Record<CdnId, ProbeState>> = {};
  // QoE samples in flight through the events pipeline, by the second they reach steering.
  const pending = new Map<number, QoeSample[]>();
  const views = new Map<string, { view: SteeringView; at: number }>();

  const applySample = (sample: QoeSample, kind: "fetch" | "throughput-report") => {
    if (!strategy.readsState) return;
    const increments = sampleIncrements(sample, kind);
    for (const key of [`country:${sample.country}`, `continent:${sample.continent}`]) {
      let fields = store.get(key);
      if (!fields) {
        fields = {};
        store.set(key, fields);
      }
      for (const [field, amount] of increments) fields[field] = (fields[field] ?? 0) + amount;
    }
    if (kind === "fetch") seenUsage.set(sample.cdn, (seenUsage.get(sample.cdn) ?? 0) + sample.bytes);
  };
  const viewFor = (region: WorldRegion, now: number): SteeringView => {
    const key = region.country;
    const cached = views.get(key);
    if (cached && now - cached.at < world.edgeCacheSeconds * 1000) return cached.view;
    const view: SteeringView = {
      config: cfg,
      country: parseRegionHash(store.get(`country:${region.country}`), now),
      continent: parseRegionHash(store.get(`continent:${region.continent}`), now),
      probes,
      usage: { month: new Date(now).toISOString().slice(0, 7), bytes: Object.fromEntries(seenUsage) },
    };
    views.set(key, { view, at: now });
    return view;
  };

  // Incidents.
  const outages = world.events.flatMap((e, i) =>
    e.kind === "outage" ? [{ ...e, i, from: at(e.atMinute), to: at(e.atMinute + e.minutes) }] : [],
  );
  const degrades = world.events.flatMap((e) => (e.kind === "degrade" ? [{ ...e, from: at(e.atMinute) }] : []));
  const outageOf = (cdn: CdnId, country: string, now: number) => {
    for (const o of outages) if (o.cdn === cdn && o.country === country && now >= o.from && now < o.to) return o;
    return undefined;
  };
  const degradeFactor = (cdn: CdnId, country: string, now: number) => {
    let ttfb = 1;
    let mbps = 1;
    for (const d of degrades) {
      if (d.cdn !== cdn || d.country !== country || now < d.from) continue;
      const progress = Math.min(1, (now - d.from) / (d.minutes * 60_000));
      ttfb *= 1 + (d.ttfbFactor - 1) * progress;
      mbps *= 1 - (1 - d.mbpsFactor) * progress;
    }
    return { ttfb, mbps };
  };
  const timed = world.events
    .filter((e) => e.kind === "price" || e.kind === "commit-usage")
    .map((e) => ({ e, when: at(e.atMinute) }))
    .sort((a, b) => a.when - b.when);
  let nextTimed = 0;

  // Billing.
  const ledger = new Map<string, number>();
  let listPrices = new Map<string, number>();
  const bill = (cdn: CdnId, region: WorldRegion, bytes: number) => {
    const commit = cfg.commits[cdn];
    let rest = bytes;
    if (commit) {
      const cap = commit.volumeGb * BYTES_PER_GB;
      const used = billUsage.get(cdn) ?? 0;
      const inside = Math.max(0, Math.min(rest, cap - used));
      // Inside the commit a byte costs nothing more: the commit fee is paid whatever is used (counted once, below).
      if (inside > 0) add(`${cdn}|0`, inside);
      rest -= inside;
      if (rest > 0) add(`${cdn}|${decimalToMicros(commit.burstPricePerGb)}`, rest);
    } else {
      const key = `${cdn}|${region.country}`;
      let micros = listPrices.get(key);
      if (micros === undefined) {
        micros = listPriceMicros(cfg, cdn, regionChain(region));
        listPrices.set(key, micros);
      }
      add(`${cdn}|${micros}`, rest);
    }
    billUsage.set(cdn, (billUsage.get(cdn) ?? 0) + bytes);
  };
  const add = (key: string, bytes: number) => ledger.set(key, (ledger.get(key) ?? 0) + bytes);

  // Metrics (latency histogram in 1 ms bins).
  const histogram = new Uint32Array(60_001);
  const result: SimResult = {
    name: strategy.name,
    costMicros: 0n,
    commitFeeMicros: 0n,
    p50: 0,
    p95: 0,
    fetches: 0,
    failedFetches: 0,
    stalls: 0,
    bytesByCdn: { cloudfront: 0, akamai: 0, cloudflare: 0 },
    stuckMaxSeconds: [],
  };

  let sessionCounter = 0;
  const [minLen, maxLen] = world.sessionMinutes;
  const newSession = (region: WorldRegion, now: number, firstSession: boolean): Session => {
    const length = (minLen + (maxLen - minLen) * rng()) * 60_000;
    const s: Session = {
      id: `${region.country}-${(sessionCounter++).toString(36)}-${Math.floor(rng() * 1e9).toString(36)}`,
      index: sessionCounter,
      region,
      end: now + (firstSession ? length * rng() : length),
      nextFetch: now + rng() * segmentMs,
      pathways: [],
      reloadAt: 0,
      penalized: new Map(),
      clientMbps: logNormal(region.clientMbps, 3),
      stuck: new Map(),
    };
    reload(s, now);
    return s;
  };
  const reload = (s: Session, now: number) => {
    const m = strategy.manifest({
      sessionId: s.id,
      index: s.index,
      region: s.region,
      now,
      current: s.current,
      view: () => viewFor(s.region, now),
    });
    s.pathways = m.pathways;

    s.reloadAt = now + m.ttlSeconds * 1000;
    if (s.current && s.lastThroughputBps) {
      // The reload carries _HLS_pathway and _HLS_throughput: a measurement that arrives at once.
      applySample(
        {
          country: s.region.country,
          continent: s.region.continent,
          cdn: s.current,
          throughputBps: s.lastThroughputBps,
          bytes: 0,
          error: false,
          at: now,
        },
        "throughput-report",
      );
    }
  };
  const wheel = new Map<number, Session[]>();
  const live = new Set<Session>();
  let earliestWake = t0;
  const schedule = (s: Session) => {
    const wake = Math.max(earliestWake, Math.floor(Math.min(s.nextFetch, s.reloadAt, s.end) / TICK_MS) * TICK_MS);
    const list = wheel.get(wake);
    if (list) list.push(s);
    else wheel.set(wake, [s]);
  };
  for (const region of world.regions) {
    for (let i = 0; i < region.sessions; i++) {
      const s = newSession(region, t0, true);
      live.add(s);
      schedule(s);
    }
  }

  const report = (sample: QoeSample) => {
    if (!strategy.readsState) return;
    const second = Math.ceil((sample.at + world.qoeDelaySeconds * 1000) / 1000);
    const list = pending.get(second);
    if (list) list.push(sample);
    else pending.set(second, [sample]);
  };

  const fetchSegment = (s: Session, now: number, measured: boolean) => {
    const usable: CdnId[] = [];
    for (const p of s.pathways) if ((s.penalized.get(p) ?? 0) <= now) usable.push(p);
    const order = usable.length > 0 ? usable : s.pathways;
    let latency = 0;
    let delivered = false;
    for (const cdn of order) {
      const q = s.region.cdns[cdn];
      const outage = outageOf(cdn, s.region.country, now);
      if (outage || rng() < q.errorPercent / 100) {
        latency += outage ? OUTAGE_FAILURE_MS : logNormal(q.ttfbMs[0], q.ttfbMs[1] / q.ttfbMs[0]);
        s.penalized.set(cdn, now + HLS_PENALTY_MS);
        report({ country: s.region.country, continent: s.region.continent, cdn, at: now, bytes: 0, error: true });
        if (measured) result.failedFetches++;
        if (outage && measured) {
          const st = s.stuck.get(outage.i);
          s.stuck.set(outage.i, { first: st?.first ?? now, last: now });
        }
        continue;
      }
      const f = degradeFactor(cdn, s.region.country, now);
      const ttfb = logNormal(q.ttfbMs[0], q.ttfbMs[1] / q.ttfbMs[0]) * f.ttfb;
      const mbps = Math.min(logNormal(q.mbps[0], q.mbps[0] / q.mbps[1]) * f.mbps, s.clientMbps);
      const transfer = ((segmentBytes * 8) / (mbps * 1e6)) * 1000;
      latency += ttfb + transfer;
      s.current = cdn;
      s.lastThroughputBps = Math.round(mbps * 1e6);
      report({
        country: s.region.country,
        continent: s.region.continent,
        cdn,
        at: now,
        bytes: segmentBytes,
        error: false,
        ttfbMs: ttfb,
        throughputBps: mbps * 1e6,
      });
      bill(cdn, s.region, segmentBytes);
      if (measured) result.bytesByCdn[cdn] += segmentBytes;
      delivered = true;
      break;
    }
    if (!measured) return;
    result.fetches++;
    if (!delivered) result.stalls++;
    else histogram[Math.min(60_000, Math.round(latency))]!++;
  };

  const tallyStuck = (s: Session) => {
    for (const [i, st] of s.stuck) {
      const sec = (st.last - st.first) / 1000;
      if ((result.stuckMaxSeconds[i] ?? 0) < sec) result.stuckMaxSeconds[i] = sec;
    }
  };
  let ledgerAtStart = new Map<string, number>();
  for (let now = t0; now < endAt; now += TICK_MS) {
    const measured = now >= measuredFrom;
    if (now === measuredFrom) ledgerAtStart = new Map(ledger);
    while (nextTimed < timed.length && timed[nextTimed]!.when <= now) {
      const { e } = timed[nextTimed++]!;
      if (e.kind === "price") {
        cfg.prices[e.region] = { ...cfg.prices[e.region], [e.cdn]: e.pricePerGb };
        listPrices = new Map();
      } else if (e.kind === "commit-usage") {
        seenUsage.set(e.cdn, e.usedGb * BYTES_PER_GB);
        billUsage.set(e.cdn, e.usedGb * BYTES_PER_GB);
      }
      views.clear();
    }
    const arriving = pending.get(now / 1000);
    if (arriving) {
      for (const sample of arriving) applySample(sample, "fetch");
      pending.delete(now / 1000);
    }
    if ((now - t0) % (world.probe.everySeconds * 1000) === 0) {
      const next: Partial<Record<CdnId, ProbeState>> = {};
      for (const cdn of CDN_IDS) {
        const ok = !outageOf(cdn, world.probe.country, now);
        next[cdn] = nextProbeState(
          probes[cdn],
          { ok, at: now, ttfbMs: ok ? 50 : undefined },
          cfg.thresholds.hysteresisSeconds * 1000,
        );
      }
      probes = next;
    }
    if ((now - t0) % BUCKET_MS === 0) {
      const expired = bucketFields(Math.floor(now / BUCKET_MS) - RETENTION_BUCKETS);
      for (const fields of store.values()) for (const f of expired) delete fields[f];
    }
    // Sessions due this second, from a timing wheel (each sleeps until its next fetch, reload or end).
    const due = wheel.get(now) ?? [];
    wheel.delete(now);
    earliestWake = now + TICK_MS;
    for (let s of due) {
      if (s.end <= now) {
        tallyStuck(s);
        live.delete(s);
        s = newSession(s.region, now, false);
        live.add(s);
      }
      if (s.reloadAt <= now) reload(s, now);
      while (s.nextFetch <= now + TICK_MS - 1 && s.nextFetch < s.end) {
        fetchSegment(s, s.nextFetch, measured);
        s.nextFetch += segmentMs;
      }
      schedule(s);
    }
  }
  for (const s of live) tallyStuck(s);

  // Each commit's monthly fee, pro-rated to the measured window: the same in every strategy's bill.
  result.commitFeeMicros = 0n;
  for (const commit of Object.values(cfg.commits)) {
    const monthMs = 30 * 24 * 3600 * 1000;
    const fee = BigInt(commit.volumeGb) * BigInt(decimalToMicros(commit.pricePerGb) ?? 0);
    result.commitFeeMicros += (fee * BigInt(world.durationMinutes * 60_000)) / BigInt(monthMs);
  }
  result.costMicros += result.commitFeeMicros;
  for (const [key, bytes] of ledger) {
    const micros = Number(key.split("|")[1]);
    result.costMicros += costMicros(bytes - (ledgerAtStart.get(key) ?? 0), micros);
  }
  let count = 0;
  const total = histogram.reduce((a, b) => a + b, 0);
  for (let ms = 0; ms < histogram.length; ms++) {
    count += histogram[ms]!;
    if (!result.p50 && count >= total * 0.5) result.p50 = ms;
    if (!result.p95 && count >= total * 0.95) {
      result.p95 = ms;
      break;
    }
  }
  result.stuckMaxSeconds = outages.map((o) => result.stuckMaxSeconds[o.i] ?? 0);
  return result;
}
