/**
 * Failed-login throttling per account and per client IP (fixed windows in the origin database). A locked key answers
 * 429 with Retry-After until its window ends; a successful login clears the account's counter.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { loginThrottle } from "../db/schema";

export interface ThrottleLimits {
  windowMs: number;
  perAccount: number;
  perIp: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { windowMs: 15 * 60_000, perAccount: 5, perIp: 30 };

export type ThrottleDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; reason: "account" | "ip" };

export class LoginThrottle {
  constructor(
    private readonly db: Database,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
  ) {}

  async check(email: string, ip: string, now = Date.now()): Promise<ThrottleDecision> {
    for (const [reason, key, limit] of [
      ["account", accountKey(email), this.limits.perAccount],
      ["ip", ipKey(ip), this.limits.perIp],
    ] as const) {
      const row = await this.db.query.loginThrottle.findFirst({ where: eq(loginThrottle.key, key) });
      if (row && now - row.windowStart < this.limits.windowMs && row.failures >= limit) {
        return {
          allowed: false,
          reason,
          retryAfterSeconds: Math.ceil((row.windowStart + this.limits.windowMs - now) / 1000),
        };
      }
    }
    return { allowed: true };
  }

  async recordFailure(email: string, ip: string, now = Date.now()): Promise<void> {
    for (const key of [accountKey(email), ipKey(ip)]) {
      await this.db
        .insert(loginThrottle)
        .values({ key, windowStart: now, failures: 1 })
        .onConflictDoUpdate({
          target: loginThrottle.key,
          set: {
            failures: sql`CASE WHEN ${now} - ${loginThrottle.windowStart} >= ${this.limits.windowMs} THEN 1 ELSE ${loginThrottle.failures} + 1 END`,
            windowStart: sql`CASE WHEN ${now} - ${loginThrottle.windowStart} >= ${this.limits.windowMs} THEN ${now} ELSE ${loginThrottle.windowStart} END`,
          },
        });
    }
  }

  async recordSuccess(email: string): Promise<void> {
    await this.db.delete(loginThrottle).where(eq(loginThrottle.key, accountKey(email)));
  }
}

const accountKey = (email: string) => `account:${email.toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;
