/**
 * Redis as a dependency with a time budget. Every edge call to Redis (Upstash REST) carries an AbortSignal that fires
 * after `REDIS_TIMEOUT_MS` (tens of ms), and two calls in a row that run out of budget open a per-isolate breaker:
 * for the next second every call fails at once instead of waiting again, so a route that makes several Redis calls
 * still answers within about two budgets when Redis hangs, and a paused Redis costs each isolate two waits per second,
 * not one per call. (Two, not one: a single slow call, a GC pause, must not fail an isolate's requests for a second.) Callers decide what a failed call means (docs/security.md#when-redis-is-down); they never hang on it.
 */
import type { Redis } from "@upstash/redis/cloudflare";

/**
 * Default budget of one Redis call: Upstash answers reads in a few ms from a nearby replica; writes go to the primary
 * region, so set it above the primary's round trip from the farthest colo.
 */
export const DEFAULT_REDIS_TIMEOUT_MS = 100;
/** How long the breaker stays open once it opened. */
export const REDIS_BREAKER_OPEN_MS = 1_000;
/** Calls in a row that ran out of budget before the breaker opens. */
export const REDIS_BREAKER_THRESHOLD = 2;

/** Raised (as the cause) when a call is refused because the breaker is open or it ran out of budget. */
export class RedisBudgetExceeded extends Error {
  readonly code = "ERR_REDIS_BUDGET";
  constructor(message: string) {
    super(message);
    this.name = "RedisBudgetExceeded";
  }
}

export interface RedisBreaker {
  /** The signal for the next call: already aborted while the breaker is open, else one that fires after the budget. */
  signal(): AbortSignal;
  /** Records how a call ended; a timeout or abort opens the breaker. */
  settled(error: unknown): void;
  isOpen(now?: number): boolean;
}

export function redisBreaker(
  timeoutMs: number,
  openMs = REDIS_BREAKER_OPEN_MS,
  threshold = REDIS_BREAKER_THRESHOLD,
): RedisBreaker {
  let openUntil = 0;
  let exceeded = 0;
  return {
    signal() {
      if (Date.now() < openUntil) {
        return AbortSignal.abort(new RedisBudgetExceeded("Redis breaker open after a call ran out of budget"));
      }
      return AbortSignal.timeout(timeoutMs);
    },
    settled(error) {
      if (error === undefined) {
        exceeded = 0;
        return;
      }
      if (!isBudgetError(error)) return;
      exceeded += 1;
      if (exceeded >= threshold) {
        openUntil = Math.max(openUntil, Date.now() + openMs);
        exceeded = 0;
      }
    },
    isOpen: (now = Date.now()) => now < openUntil,
  };
}

/** A call that ran out of budget; a call the open breaker refused is not one (it would keep the breaker open forever). */
function isBudgetError(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof RedisBudgetExceeded) return false;
  if (error.name === "TimeoutError" || error.name === "AbortError") return true;
  return error.cause !== undefined && error.cause !== error && isBudgetError(error.cause);
}

/** Parses `REDIS_TIMEOUT_MS` (10..2000 ms); a bad value fails with the setting's name. */
export function redisTimeoutSetting(raw: string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_REDIS_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 10 || value > 2_000) {
    throw new Error(`REDIS_TIMEOUT_MS=${raw} must be a whole number of milliseconds between 10 and 2000.`);
  }
  return value;
}

/**
 * Wraps a client so that every command's promise tells the breaker how it ended. Pipelines and multi-execs share the
 * client's signal (so they fail fast while the breaker is open) but do not themselves open it.
 */
export function withBreaker(client: Redis, breaker: RedisBreaker): Redis {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise) {
          return result.then(
            (ok) => {
              breaker.settled(undefined);
              return ok;
            },
            (err: unknown) => {
              breaker.settled(err);
              throw err;
            },
          );
        }
        return result;
      };
    },
  });
}
