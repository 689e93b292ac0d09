/**
 * The foundation's tables: accounts (listeners, ops, advertiser users), the advertisers they may act for, refresh
 * token families and tokens, and the login throttle's counters.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () => integer("created_at", { mode: "number" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const advertisers = sqliteTable("advertisers", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  domain: text("domain").notNull(),
  createdAt: createdAt(),
});

export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    tier: text("tier", { enum: ["free", "premium", "hifi"] }).notNull(),
    country: text("country").notNull(),
    /** Space-separated scopes: listener, ops, advertiser:<id>. */
    scopes: text("scopes").notNull(),
    advertiserId: text("advertiser_id").references(() => advertisers.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("accounts_email_unique").on(t.email)],
);

/** A login starts a family; every refresh rotates within it; reuse of a rotated token revokes the whole family. */
export const refreshFamilies = sqliteTable(
  "refresh_families",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    createdAt: createdAt(),
    revokedAt: integer("revoked_at", { mode: "number" }),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("refresh_families_account").on(t.accountId)],
);

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    /** SHA-256 of the token; the token itself is never stored. */
    tokenHash: text("token_hash").primaryKey(),
    familyId: text("family_id")
      .notNull()
      .references(() => refreshFamilies.id),
    expiresAt: integer("expires_at", { mode: "number" }).notNull(),
    /** Set when the token was exchanged; presenting it again is reuse. */
    rotatedAt: integer("rotated_at", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [index("refresh_tokens_family").on(t.familyId)],
);

/** Fixed-window counters for failed logins, per account and per client IP. */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start", { mode: "number" }).notNull(),
  failures: integer("failures", { mode: "number" }).notNull(),
});
