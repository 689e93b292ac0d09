/**
 * Play, ad and QoE events on their way to the ingest-events worker: batched, and never lost to a bad network.
 *
 * Every event is written to localStorage the moment it happens (one queue per account, so a different listener
 * signing in on this browser never sends someone else's plays under their own token), then sent in batches: every few
 * seconds, at once when a batch fills, when the browser comes back online, and with `keepalive` when the page is
 * hidden. An event leaves the queue only when the worker answered for it: accepted, duplicate or rejected (rejected
 * events are kept server-side as failed events with their reason). Network errors, 5xx and the worker's retryable
 * 503 keep them for the next try, with exponential backoff. Events are idempotent by `event_id`, so a batch resent
 * after a lost answer is counted once (the worker answers `duplicate`).
 */
import { MAX_EVENTS_PER_REQUEST } from "@cadence/shared/events/limits";
import type { WireEvent } from "@cadence/shared/events/schema";
import { ApiError } from "../common/api";

/** One event as the player builds it: the wire schema minus what the queue fills in. */
export type OutgoingEvent = WireEvent;

type Status = "accepted" | "duplicate" | "rejected" | "retry";

interface IntakeAnswer {
  accepted: number;
  duplicate: number;
  rejected: number;
  retry: number;
  results: Array<{ index: number; event_id: string | null; status: Status; reason?: string; detail?: string }>;
}

export interface QueueStats {
  pending: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Human summary of the last attempt, e.g. "sent 12 at 12:00:01" or "network down; retry in 8 s". */
  lastAttempt: string;
  failing: boolean;
}

const BATCH_SIZE = Math.min(100, MAX_EVENTS_PER_REQUEST);
const FLUSH_EVERY_MS = 5_000;
/** Oldest events are dropped beyond this (about a day of heavy listening); the worker refuses >30-day-old ones anyway. */
const MAX_STORED = 5_000;
const MAX_BACKOFF_MS = 60_000;

export class EventQueue {
  private sending = false;
  private failures = 0;
  private nextTryAt = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private listeners: Array<(stats: QueueStats) => void> = [];
  private counts = { accepted: 0, duplicate: 0, rejected: 0 };
  private lastAttempt = "nothing sent yet";

  constructor(
    private readonly storageKey: string,
    private readonly url: string,
    private readonly send: (url: string, init: RequestInit) => Promise<Response>,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    addEventListener("online", this.onOnline);
    addEventListener("pagehide", this.onHide);
    document.addEventListener("visibilitychange", this.onVisibility);
    void this.flush();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    removeEventListener("online", this.onOnline);
    removeEventListener("pagehide", this.onHide);
    document.removeEventListener("visibilitychange", this.onVisibility);
  }

  push(event: OutgoingEvent): void {
    const pending = this.read();
    pending.push(event);
    this.write(pending.slice(-MAX_STORED));
    this.emit();
    if (pending.length >= BATCH_SIZE) void this.flush();
  }

  onChange(listener: (stats: QueueStats) => void): void {
    this.listeners.push(listener);
    listener(this.stats());
  }

  stats(): QueueStats {
    return { pending: this.read().length, ...this.counts, lastAttempt: this.lastAttempt, failing: this.failures > 0 };
  }

  /** Sends what is pending, batch by batch, until the queue is empty or the network fails. */
  async flush(force = false): Promise<void> {
    if (this.sending || (!force && Date.now() < this.nextTryAt)) return;
    this.sending = true;
    try {
      for (let rounds = 0; rounds < 20; rounds++) {
        const batch = this.read().slice(0, BATCH_SIZE);
        if (batch.length === 0) break;
        const done = await this.sendBatch(batch);
        if (!done) break;
      }
    } finally {
      this.sending = false;
      this.emit();
    }
  }

  /** Returns whether to go on with the next batch. */
  private async sendBatch(batch: OutgoingEvent[]): Promise<boolean> {
    let res: Response;
    try {
      res = await this.send(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(batch),
      });
    } catch (err) {
      const why = err instanceof ApiError ? err.problem.detail : "network error";
      return this.backoff(`${why}; ${batch.length} events kept`);
    }
    if (res.ok || res.status === 503) {
      const answer = (await res.json().catch(() => null)) as IntakeAnswer | null;
      if (!answer?.results) return this.backoff(`the events service answered ${res.status}; events kept`);
      const settled = new Set<string>();
      for (const result of answer.results) {
        if (result.status === "retry") continue;
        const event = batch[result.index];
        if (event) settled.add(event.event_id);
        if (result.status === "rejected") console.warn("event rejected by the server", result, event);
        this.counts[result.status] += 1;
      }
      this.remove(settled);
      if (answer.retry > 0) return this.backoff(`the queue asked to resend ${answer.retry} events`);
      this.failures = 0;
      this.nextTryAt = 0;
      this.lastAttempt = `sent ${batch.length} at ${new Date().toLocaleTimeString("en-GB")}`;
      return true;
    }
    if (res.status >= 500 || res.status === 429 || res.status === 408 || res.status === 401) {
      return this.backoff(`the events service answered ${res.status}; events kept`);
    }
    // A 4xx for the whole body means this client built a bad request: keep nothing back silently, say so loudly.
    const problem = await res.text();
    console.error("events batch refused", res.status, problem);
    this.counts.rejected += batch.length;
    this.remove(new Set(batch.map((e) => e.event_id)));
    this.lastAttempt = `refused (${res.status}): ${problem.slice(0, 200)}`;
    return true;
  }

  private backoff(why: string): false {
    this.failures += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures, 6));
    this.nextTryAt = Date.now() + delay;
    this.lastAttempt = `${why}; retry in ${Math.round(delay / 1000)} s`;
    return false;
  }

  private read(): OutgoingEvent[] {
    try {
      return JSON.parse(localStorage.getItem(this.storageKey) ?? "[]") as OutgoingEvent[];
    } catch {
      return [];
    }
  }

  private write(events: OutgoingEvent[]): void {
    if (events.length === 0) localStorage.removeItem(this.storageKey);
    else localStorage.setItem(this.storageKey, JSON.stringify(events));
  }

  /** Removes answered events by id (re-reading storage: events pushed while the request was in flight stay). */
  private remove(ids: Set<string>): void {
    if (ids.size > 0) this.write(this.read().filter((e) => !ids.has(e.event_id)));
  }

  private emit(): void {
    const stats = this.stats();
    for (const listener of this.listeners) listener(stats);
  }

  private readonly onOnline = () => {
    this.nextTryAt = 0;
    void this.flush(true);
  };

  private readonly onVisibility = () => {
    if (document.visibilityState === "hidden") this.onHide();
  };

  /** Last chance before the page goes: fire one keepalive batch; whatever it does not settle is resent next time. */
  private readonly onHide = () => {
    const batch = this.read().slice(0, BATCH_SIZE);
    if (batch.length === 0 || this.sending) return;
    void this.send(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch),
      keepalive: true,
    }).catch(() => undefined);
  };
}
