/**
 * Demo accounts for development (never created in production): one listener per tier, an ops user and an
 * advertiser user, all with password `demo-password`. Idempotent: existing accounts are left as they are.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { accounts, advertisers } from "../db/schema";
import { hashPassword } from "../identity/passwords";

export const DEMO_PASSWORD = "demo-password";
export const DEMO_ADVERTISER_ID = "adv-demo";

export const DEMO_ACCOUNTS = [
  { email: "free@demo.test", tier: "free", country: "US", scopes: "listener" },
  { email: "premium@demo.test", tier: "premium", country: "DE", scopes: "listener" },
  { email: "hifi@demo.test", tier: "hifi", country: "GB", scopes: "listener" },
  { email: "ops@demo.test", tier: "premium", country: "US", scopes: "listener ops" },
  { email: "advertiser@demo.test", tier: "free", country: "US", scopes: `advertiser:${DEMO_ADVERTISER_ID}` },
] as const;

export async function seedDemoAccounts(db: Database): Promise<number> {
  await db
    .insert(advertisers)
    .values({ id: DEMO_ADVERTISER_ID, name: "Demo Advertiser", domain: "demo-advertiser.example" })
    .onConflictDoNothing();
  let created = 0;
  for (const demo of DEMO_ACCOUNTS) {
    const existing = await db.query.accounts.findFirst({ where: eq(accounts.email, demo.email) });
    if (existing) continue;
    await db
      .insert(accounts)
      .values({
        id: randomUUID(),
        email: demo.email,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        tier: demo.tier,
        country: demo.country,
        scopes: demo.scopes,
        advertiserId: demo.scopes.startsWith("advertiser:") ? DEMO_ADVERTISER_ID : null,
      })
      .onConflictDoNothing();
    created++;
  }
  return created;
}
