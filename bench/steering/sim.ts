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
import type { World, WorldEvent, WorldRegion } from "./world";

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

/**
 * Runs one strategy through the world: a warm-up, then the measured window, one tick per second. Each tick applies
 * the scripted price and commit events, delivers the QoE samples that reached steering, runs the probes and ages out
 * measurement buckets, then lets every session due this second reload its manifest and fetch its segments.
 */
export function runSimulation(
  world: World & { warmupMinutes?: number },
  config: SteeringConfig,
  strategy: Strategy,
): SimResult {
  const clock = simulationClock(world);
  const random = seededRandom(world.seed);
  const cfg: SteeringConfig = structuredClone(config);
  const incidents = new Incidents(world, clock.at);
  const edge = new EdgeState(world, cfg, strategy.readsState);
  const billing = new Billing(world, cfg);
  const metrics = new Metrics(strategy.name);
  const sessions = new Sessions(world, clock, random, strategy, edge);
  const fetcher = new SegmentFetcher(clock.segmentBytes, random, incidents, edge, billing, metrics);
  sessions.populate();
  for (let now = clock.t0; now < clock.endAt; now += TICK_MS) {
    const measured = now >= clock.measuredFrom;
    if (now === clock.measuredFrom) billing.startMeasuring();
    for (const e of incidents.timedEventsUntil(now)) {
      if (e.kind === "price") billing.priceChanged(e.region, e.cdn, e.pricePerGb);
      else if (e.kind === "commit-usage") {
        edge.setUsage(e.cdn, e.usedGb);
        billing.setUsage(e.cdn, e.usedGb);
      }
      edge.forgetViews();
    }
    edge.deliverSamples(now);
    if ((now - clock.t0) % (world.probe.everySeconds * 1000) === 0) edge.probe(now, incidents);
    if ((now - clock.t0) % BUCKET_MS === 0) edge.expireBuckets(now);
    for (let s of sessions.due(now)) {
      if (s.end <= now) {
        metrics.tallyStuck(s);
        s = sessions.replace(s, now);
      }
      if (s.reloadAt <= now) sessions.reload(s, now);
      while (s.nextFetch <= now + TICK_MS - 1 && s.nextFetch < s.end) {
        fetcher.fetch(s, s.nextFetch, measured);
        s.nextFetch += clock.segmentMs;
      }
      sessions.schedule(s);
    }
  }
  for (const s of sessions.live) metrics.tallyStuck(s);
  return metrics.result(billing.bill(), incidents.outages);
}

interface SimulationClock {
  /** Start of the warm-up. */
  t0: number;
  measuredFrom: number;
  endAt: number;
  /** Epoch ms of a world minute (counted from the end of the warm-up). */
  at: (minute: number) => number;
  segmentMs: number;
  segmentBytes: number;
}

function simulationClock(world: World & { warmupMinutes?: number }): SimulationClock {
  const warmup = (world.warmupMinutes ?? 10) * 60_000;
  const measuredFrom = Date.parse(world.start);
  return {
    t0: measuredFrom - warmup,
    measuredFrom,
    endAt: measuredFrom + world.durationMinutes * 60_000,
    at: (minute) => measuredFrom + minute * 60_000,
    segmentMs: world.segmentSeconds * 1000,
    segmentBytes: Math.round(((world.bitrateKbps * 1000) / 8) * world.segmentSeconds),
  };
}

interface Random {
  rng: () => number;
  /** Log-normal with this median whose 95th percentile is `spreadRatio` times the median. */
  logNormal: (median: number, spreadRatio: number) => number;
}

function seededRandom(seed: number): Random {
  const rng = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const logNormal = (median: number, spreadRatio: number) =>
    median * Math.exp((Math.log(spreadRatio) / 1.645) * normal());
  return { rng, logNormal };
}

/** The world's scripted events: outages and degradations by CDN x country, and timed price and commit changes. */
class Incidents {
  readonly outages: Array<Extract<WorldEvent, { kind: "outage" }> & { i: number; from: number; to: number }>;
  private readonly degrades: Array<Extract<WorldEvent, { kind: "degrade" }> & { from: number }>;
  private readonly timed: Array<{ e: WorldEvent; when: number }>;
  private nextTimed = 0;

  constructor(world: World, at: (minute: number) => number) {
    this.outages = world.events.flatMap((e, i) =>
      e.kind === "outage" ? [{ ...e, i, from: at(e.atMinute), to: at(e.atMinute + e.minutes) }] : [],
    );
    this.degrades = world.events.flatMap((e) => (e.kind === "degrade" ? [{ ...e, from: at(e.atMinute) }] : []));
    this.timed = world.events
      .filter((e) => e.kind === "price" || e.kind === "commit-usage")
      .map((e) => ({ e, when: at(e.atMinute) }))
      .sort((a, b) => a.when - b.when);
  }

  outageOf(cdn: CdnId, country: string, now: number) {
    for (const o of this.outages) if (o.cdn === cdn && o.country === country && now >= o.from && now < o.to) return o;
    return undefined;
  }

  /** TTFB and throughput multipliers of a degradation in progress (reached linearly, then held). */
  degradeFactor(cdn: CdnId, country: string, now: number): { ttfb: number; mbps: number } {
    let ttfb = 1;
    let mbps = 1;
    for (const d of this.degrades) {
      if (d.cdn !== cdn || d.country !== country || now < d.from) continue;
      const progress = Math.min(1, (now - d.from) / (d.minutes * 60_000));
      ttfb *= 1 + (d.ttfbFactor - 1) * progress;
      mbps *= 1 - (1 - d.mbpsFactor) * progress;
    }
    return { ttfb, mbps };
  }

  /** The price and commit events due by `now`, each once, in time order. */
  *timedEventsUntil(now: number): Generator<WorldEvent> {
    while (this.nextTimed < this.timed.length && (this.timed[this.nextTimed] as { when: number }).when <= now) {
      yield (this.timed[this.nextTimed++] as { e: WorldEvent }).e;
    }
  }
}

/**
 * Edge state as Redis holds it (measurement buckets per country and continent, month-to-date bytes, probe states),
 * the QoE samples still in flight through the events pipeline, and the per-isolate cache of the steering view.
 */
class EdgeState {
  private readonly store = new Map<string, Record<string, number>>();
  private readonly seenUsage = new Map<CdnId, number>();
  private probes: Partial<Record<CdnId, ProbeState>> = {};
  /** QoE samples in flight through the events pipeline, by the second they reach steering. */
  private readonly pending = new Map<number, QoeSample[]>();
  private readonly views = new Map<string, { view: SteeringView; at: number }>();

  constructor(
    private readonly world: World,
    private readonly cfg: SteeringConfig,
    private readonly readsState: boolean,
  ) {
    for (const cdn of CDN_IDS) this.setUsage(cdn, world.usedGbAtStart[cdn] ?? 0);
  }

  setUsage(cdn: CdnId, gb: number): void {
    this.seenUsage.set(cdn, gb * BYTES_PER_GB);
  }

  /** A sample on its way through the events pipeline: it reaches steering `qoeDelaySeconds` later. */
  report(sample: QoeSample): void {
    if (!this.readsState) return;
    const second = Math.ceil((sample.at + this.world.qoeDelaySeconds * 1000) / 1000);
    const list = this.pending.get(second);
    if (list) list.push(sample);
    else this.pending.set(second, [sample]);
  }

  /** Summed into the buckets exactly as the edge's HINCRBYs do (`sampleIncrements`). */
  applySample(sample: QoeSample, kind: "fetch" | "throughput-report"): void {
    if (!this.readsState) return;
    const increments = sampleIncrements(sample, kind);
    for (const key of [`country:${sample.country}`, `continent:${sample.continent}`]) {
      let fields = this.store.get(key);
      if (!fields) {
        fields = {};
        this.store.set(key, fields);
      }
      for (const [field, amount] of increments) fields[field] = (fields[field] ?? 0) + amount;
    }
    if (kind === "fetch") this.seenUsage.set(sample.cdn, (this.seenUsage.get(sample.cdn) ?? 0) + sample.bytes);
  }

  deliverSamples(now: number): void {
    const arriving = this.pending.get(now / 1000);
    if (!arriving) return;
    for (const sample of arriving) this.applySample(sample, "fetch");
    this.pending.delete(now / 1000);
  }

  /** The cron probes, run from the world's probe country: a CDN in an outage there fails. */
  probe(now: number, incidents: Incidents): void {
    const next: Partial<Record<CdnId, ProbeState>> = {};
    for (const cdn of CDN_IDS) {
      const ok = !incidents.outageOf(cdn, this.world.probe.country, now);
      next[cdn] = nextProbeState(
        this.probes[cdn],
        { ok, at: now, ttfbMs: ok ? 50 : undefined },
        this.cfg.thresholds.hysteresisSeconds * 1000,
      );
    }
    this.probes = next;
  }

  expireBuckets(now: number): void {
    const expired = bucketFields(Math.floor(now / BUCKET_MS) - RETENTION_BUCKETS);
    for (const fields of this.store.values()) for (const f of expired) delete fields[f];
  }

  /** What the edge reads for one client region, cached for `edgeCacheSeconds` as each isolate caches it. */
  viewFor(region: WorldRegion, now: number): SteeringView {
    const key = region.country;
    const cached = this.views.get(key);
    if (cached && now - cached.at < this.world.edgeCacheSeconds * 1000) return cached.view;
    const view: SteeringView = {
      config: this.cfg,
      country: parseRegionHash(this.store.get(`country:${region.country}`), now),
      continent: parseRegionHash(this.store.get(`continent:${region.continent}`), now),
      probes: this.probes,
      usage: { month: new Date(now).toISOString().slice(0, 7), bytes: Object.fromEntries(this.seenUsage) },
    };
    this.views.set(key, { view, at: now });
    return view;
  }

  forgetViews(): void {
    this.views.clear();
  }
}

/**
 * Egress billed as CDNs bill: bytes per price point in a ledger (the regional list price; for a CDN with a commit,
 * nothing inside it and the burst price above it), and each commit's monthly fee pro-rated to the measured window.
 */
class Billing {
  private readonly ledger = new Map<string, number>();
  private ledgerAtStart = new Map<string, number>();
  private readonly usage = new Map<CdnId, number>();
  private listPrices = new Map<string, number>();

  constructor(
    private readonly world: World,
    private readonly cfg: SteeringConfig,
  ) {
    for (const cdn of CDN_IDS) this.setUsage(cdn, world.usedGbAtStart[cdn] ?? 0);
  }

  setUsage(cdn: CdnId, gb: number): void {
    this.usage.set(cdn, gb * BYTES_PER_GB);
  }

  priceChanged(region: string, cdn: CdnId, pricePerGb: string): void {
    this.cfg.prices[region] = { ...this.cfg.prices[region], [cdn]: pricePerGb };
    this.listPrices = new Map();
  }

  /** Only what is billed from here on counts. */
  startMeasuring(): void {
    this.ledgerAtStart = new Map(this.ledger);
  }

  charge(cdn: CdnId, region: WorldRegion, bytes: number): void {
    const commit = this.cfg.commits[cdn];
    let rest = bytes;
    if (commit) {
      const cap = commit.volumeGb * BYTES_PER_GB;
      const used = this.usage.get(cdn) ?? 0;
      const inside = Math.max(0, Math.min(rest, cap - used));
      // Inside the commit a byte costs nothing more: the commit fee is paid whatever is used (counted once, below).
      if (inside > 0) this.add(`${cdn}|0`, inside);
      rest -= inside;
      if (rest > 0) this.add(`${cdn}|${decimalToMicros(commit.burstPricePerGb)}`, rest);
    } else {
      const key = `${cdn}|${region.country}`;
      let micros = this.listPrices.get(key);
      if (micros === undefined) {
        micros = listPriceMicros(this.cfg, cdn, regionChain(region));
        this.listPrices.set(key, micros);
      }
      this.add(`${cdn}|${micros}`, rest);
    }
    this.usage.set(cdn, (this.usage.get(cdn) ?? 0) + bytes);
  }

  private add(key: string, bytes: number): void {
    this.ledger.set(key, (this.ledger.get(key) ?? 0) + bytes);
  }

  /** The measured window's bill, commit fees included, and the fees alone. */
  bill(): { costMicros: bigint; commitFeeMicros: bigint } {
    // Each commit's monthly fee, pro-rated to the measured window: the same in every strategy's bill.
    let commitFeeMicros = 0n;
    for (const commit of Object.values(this.cfg.commits)) {
      const monthMs = 30 * 24 * 3600 * 1000;
      const fee = BigInt(commit.volumeGb) * BigInt(decimalToMicros(commit.pricePerGb) ?? 0);
      commitFeeMicros += (fee * BigInt(this.world.durationMinutes * 60_000)) / BigInt(monthMs);
    }
    let total = commitFeeMicros;
    for (const [key, bytes] of this.ledger) {
      const micros = Number(key.split("|")[1]);
      total += costMicros(bytes - (this.ledgerAtStart.get(key) ?? 0), micros);
    }
    return { costMicros: total, commitFeeMicros };
  }
}

/** The sessions of every region, kept at the region's count (one ending is replaced), woken by a timing wheel. */
class Sessions {
  readonly live = new Set<Session>();
  private readonly wheel = new Map<number, Session[]>();
  private earliestWake: number;
  private counter = 0;

  constructor(
    private readonly world: World,
    private readonly clock: SimulationClock,
    private readonly random: Random,
    private readonly strategy: Strategy,
    private readonly edge: EdgeState,
  ) {
    this.earliestWake = clock.t0;
  }

  /** Every region's sessions at the start of the warm-up, each already part-way through its life. */
  populate(): void {
    for (const region of this.world.regions) {
      for (let i = 0; i < region.sessions; i++) {
        const s = this.start(region, this.clock.t0, true);
        this.live.add(s);
        this.schedule(s);
      }
    }
  }

  /** The sessions due this second (each sleeps until its next fetch, reload or end). */
  due(now: number): Session[] {
    const due = this.wheel.get(now) ?? [];
    this.wheel.delete(now);
    this.earliestWake = now + TICK_MS;
    return due;
  }

  /** An ended session is replaced by a new one in its region: the region keeps its count. */
  replace(ended: Session, now: number): Session {
    this.live.delete(ended);
    const next = this.start(ended.region, now, false);
    this.live.add(next);
    return next;
  }

  /** Sleeps until its next fetch, reload or end. */
  schedule(s: Session): void {
    const wake = Math.max(this.earliestWake, Math.floor(Math.min(s.nextFetch, s.reloadAt, s.end) / TICK_MS) * TICK_MS);
    const list = this.wheel.get(wake);
    if (list) list.push(s);
    else this.wheel.set(wake, [s]);
  }

  private start(region: WorldRegion, now: number, firstSession: boolean): Session {
    const { rng, logNormal } = this.random;
    const [minLen, maxLen] = this.world.sessionMinutes;
    const length = (minLen + (maxLen - minLen) * rng()) * 60_000;
    const s: Session = {
      id: `${region.country}-${(this.counter++).toString(36)}-${Math.floor(rng() * 1e9).toString(36)}`,
      index: this.counter,
      region,
      end: now + (firstSession ? length * rng() : length),
      nextFetch: now + rng() * this.clock.segmentMs,
      pathways: [],
      reloadAt: 0,
      penalized: new Map(),
      clientMbps: logNormal(region.clientMbps, 3),
      stuck: new Map(),
    };
    this.reload(s, now);
    return s;
  }

  /** A steering manifest reload: new pathways until the TTL, carrying `_HLS_pathway` and `_HLS_throughput`. */
  reload(s: Session, now: number): void {
    const m = this.strategy.manifest({
      sessionId: s.id,
      index: s.index,
      region: s.region,
      now,
      current: s.current,
      view: () => this.edge.viewFor(s.region, now),
    });
    s.pathways = m.pathways;
    s.reloadAt = now + m.ttlSeconds * 1000;
    if (s.current && s.lastThroughputBps) {
      // The reload carries _HLS_pathway and _HLS_throughput: a measurement that arrives at once.
      this.edge.applySample(
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
  }
}

/**
 * One segment fetch as hls.js makes it: the first pathway of the manifest not penalised in the last 5 minutes (all
 * of them if every one is), moving on to the next at once after a failure, which penalises the one that failed.
 */
class SegmentFetcher {
  constructor(
    private readonly segmentBytes: number,
    private readonly random: Random,
    private readonly incidents: Incidents,
    private readonly edge: EdgeState,
    private readonly billing: Billing,
    private readonly metrics: Metrics,
  ) {}

  fetch(s: Session, now: number, measured: boolean): void {
    const usable: CdnId[] = [];
    for (const p of s.pathways) if ((s.penalized.get(p) ?? 0) <= now) usable.push(p);
    const order = usable.length > 0 ? usable : s.pathways;
    let latency = 0;
    let delivered = false;
    for (const cdn of order) {
      const attempt = this.attempt(s, cdn, now, measured);
      latency += attempt.ms;
      if (!attempt.ok) continue;
      delivered = true;
      break;
    }
    if (measured) this.metrics.segment(delivered, latency);
  }

  /** One attempt on one CDN: a failure (an outage's timeout, or a random error) or a delivered segment. */
  private attempt(s: Session, cdn: CdnId, now: number, measured: boolean): { ok: boolean; ms: number } {
    const { rng, logNormal } = this.random;
    const { country, continent } = s.region;
    const q = s.region.cdns[cdn];
    const outage = this.incidents.outageOf(cdn, country, now);
    if (outage || rng() < q.errorPercent / 100) {
      const ms = outage ? OUTAGE_FAILURE_MS : logNormal(q.ttfbMs[0], q.ttfbMs[1] / q.ttfbMs[0]);
      s.penalized.set(cdn, now + HLS_PENALTY_MS);
      this.edge.report({ country, continent, cdn, at: now, bytes: 0, error: true });
      if (measured) this.metrics.failedFetch();
      if (outage && measured) {
        const st = s.stuck.get(outage.i);
        s.stuck.set(outage.i, { first: st?.first ?? now, last: now });
      }
      return { ok: false, ms };
    }
    const f = this.incidents.degradeFactor(cdn, country, now);
    const ttfb = logNormal(q.ttfbMs[0], q.ttfbMs[1] / q.ttfbMs[0]) * f.ttfb;
    const mbps = Math.min(logNormal(q.mbps[0], q.mbps[0] / q.mbps[1]) * f.mbps, s.clientMbps);
    const transfer = ((this.segmentBytes * 8) / (mbps * 1e6)) * 1000;
    s.current = cdn;
    s.lastThroughputBps = Math.round(mbps * 1e6);
    const bytes = this.segmentBytes;
    this.edge.report({
      country,
      continent,
      cdn,
      at: now,
      bytes,
      error: false,
      ttfbMs: ttfb,
      throughputBps: mbps * 1e6,
    });
    this.billing.charge(cdn, s.region, bytes);
    if (measured) this.metrics.delivered(cdn, bytes);
    return { ok: true, ms: ttfb + transfer };
  }
}

/** What the measured window shows: fetches, failures, stalls, bytes per CDN, a latency histogram (1 ms bins). */
class Metrics {
  private readonly histogram = new Uint32Array(60_001);
  private fetches = 0;
  private failedFetches = 0;
  private stalls = 0;
  private readonly bytesByCdn: Record<CdnId, number> = { cloudfront: 0, akamai: 0, cloudflare: 0 };
  /** By world event index: the longest a session kept trying a CDN in that outage, s. */
  private readonly stuckByEvent: number[] = [];

  constructor(private readonly name: string) {}

  failedFetch(): void {
    this.failedFetches++;
  }

  delivered(cdn: CdnId, bytes: number): void {
    this.bytesByCdn[cdn] += bytes;
  }

  segment(delivered: boolean, latencyMs: number): void {
    this.fetches++;
    if (!delivered) this.stalls++;
    else this.histogram[Math.min(60_000, Math.round(latencyMs))]!++;
  }

  tallyStuck(s: Session): void {
    for (const [i, st] of s.stuck) {
      const sec = (st.last - st.first) / 1000;
      if ((this.stuckByEvent[i] ?? 0) < sec) this.stuckByEvent[i] = sec;
    }
  }

  result(bill: { costMicros: bigint; commitFeeMicros: bigint }, outages: Array<{ i: number }>): SimResult {
    const { p50, p95 } = this.percentiles();
    return {
      name: this.name,
      costMicros: bill.costMicros,
      commitFeeMicros: bill.commitFeeMicros,
      p50,
      p95,
      fetches: this.fetches,
      failedFetches: this.failedFetches,
      stalls: this.stalls,
      bytesByCdn: this.bytesByCdn,
      stuckMaxSeconds: outages.map((o) => this.stuckByEvent[o.i] ?? 0),
    };
  }

  private percentiles(): { p50: number; p95: number } {
    let p50 = 0;
    let p95 = 0;
    let count = 0;
    const total = this.histogram.reduce((a, b) => a + b, 0);
    for (let ms = 0; ms < this.histogram.length; ms++) {
      count += this.histogram[ms]!;
      if (!p50 && count >= total * 0.5) p50 = ms;
      if (!p95 && count >= total * 0.95) {
        p95 = ms;
        break;
      }
    }
    return { p50, p95 };
  }
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
