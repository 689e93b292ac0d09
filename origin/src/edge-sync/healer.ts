/**
 * Edge state heals itself. Every `EDGE_STATE_CHECK_SECONDS` the origin reads the generation marker in Redis; when it
 * is missing (Redis restarted empty, was flushed, or is new) every edge copy is published again and the marker
 * written last, so plays work again within one check interval plus the publish, with no restart. Every
 * `EDGE_STATE_SWEEP_SECONDS` a sweep compares each copy with the origin's records and repairs the drift, and says what
 * it repaired (a log line and `GET /v1/ops/edge-state`). A Redis that cannot be reached is reported, not fatal: the
 * next tick tries again.
 */
import { randomUUID } from "node:crypto";
import { EDGE_STATE_MARKER_KEY } from "@cadence/shared/keys";
import type { Logger } from "@cadence/shared/log";
import type { Redis } from "@upstash/redis";
import type { EdgeCopy, EdgeCopyRepair } from "./copy";

export interface HealerSettings {
  checkIntervalMs: number;
  sweepIntervalMs: number;
}

export interface EdgeStateEvent {
  at: number;
  kind: "republished" | "repaired" | "failed";
  /** Why: `marker-missing`, `sweep`, or the error. */
  reason: string;
  copies: Record<string, { written?: number } & Partial<EdgeCopyRepair>>;
}

export interface EdgeStateReport {
  generation: string | null;
  lastCheckAt: number | null;
  lastSweepAt: number | null;
  checkIntervalMs: number;
  sweepIntervalMs: number;
  /** The most recent republishes, repairs and failures, newest first. */
  events: EdgeStateEvent[];
}

const KEEP_EVENTS = 50;

export class EdgeStateHealer {
  private generation: string | null = null;
  private lastCheckAt: number | null = null;
  private lastSweepAt: number | null = null;
  private readonly events: EdgeStateEvent[] = [];
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly copies: EdgeCopy[],
    private readonly settings: HealerSettings,
    private readonly logger: Logger,
  ) {}

  /** Checks at once, then on the intervals; `stop()` ends both. */
  start(): void {
    void this.check();
    this.timers.push(
      setInterval(() => void this.check(), this.settings.checkIntervalMs).unref(),
      setInterval(() => void this.sweep(), this.settings.sweepIntervalMs).unref(),
    );
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Republishes everything when the marker is missing; returns whether it did. One run at a time. */
  check(now = Date.now()): Promise<boolean> {
    const next = this.running.then(() => this.checkOnce(now));
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Compares every copy with the origin's records and repairs the drift. One run at a time. */
  sweep(now = Date.now()): Promise<EdgeStateEvent> {
    const next = this.running.then(() => this.sweepOnce(now));
    this.running = next.catch(() => undefined);
    return next;
  }

  report(): EdgeStateReport {
    return {
      generation: this.generation,
      lastCheckAt: this.lastCheckAt,
      lastSweepAt: this.lastSweepAt,
      checkIntervalMs: this.settings.checkIntervalMs,
      sweepIntervalMs: this.settings.sweepIntervalMs,
      events: [...this.events],
    };
  }

  private async checkOnce(now: number): Promise<boolean> {
    let marker: string | null;
    try {
      marker = await this.redis.get<string>(EDGE_STATE_MARKER_KEY);
    } catch (err) {
      this.record({ at: now, kind: "failed", reason: `marker unreadable: ${message(err)}`, copies: {} });
      return false;
    }
    this.lastCheckAt = now;
    if (marker) {
      this.generation = marker;
      return false;
    }
    const copies: EdgeStateEvent["copies"] = {};
    try {
      for (const copy of this.copies) copies[copy.name] = { written: await copy.republishAll(now) };
      const generation = `${new Date(now).toISOString()}/${randomUUID()}`;
      // The marker goes last: if the publish fails half-way, the next check sees no marker and publishes again.
      await this.redis.set(EDGE_STATE_MARKER_KEY, generation);
      this.generation = generation;
    } catch (err) {
      this.record({ at: now, kind: "failed", reason: `republish failed: ${message(err)}`, copies });
      return false;
    }
    this.record({ at: now, kind: "republished", reason: "marker-missing", copies });
    this.logger.warn("edge state was missing its generation marker; republished everything", { copies });
    return true;
  }

  private async sweepOnce(now: number): Promise<EdgeStateEvent> {
    const copies: EdgeStateEvent["copies"] = {};
    try {
      for (const copy of this.copies) copies[copy.name] = await copy.repair(now);
    } catch (err) {
      const failed: EdgeStateEvent = { at: now, kind: "failed", reason: `sweep failed: ${message(err)}`, copies };
      this.record(failed);
      return failed;
    }
    this.lastSweepAt = now;
    const event: EdgeStateEvent = { at: now, kind: "repaired", reason: "sweep", copies };
    const repaired = Object.values(copies).reduce((n, c) => n + (c.repaired ?? 0), 0);
    if (repaired > 0) {
      this.record(event);
      this.logger.warn("edge state drifted from the origin's records; repaired", { repaired, copies });
    }
    return event;
  }

  private record(event: EdgeStateEvent): void {
    this.events.unshift(event);
    if (this.events.length > KEEP_EVENTS) this.events.length = KEEP_EVENTS;
    if (event.kind === "failed") this.logger.warn("edge state check failed", { reason: event.reason });
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
