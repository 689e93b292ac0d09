/**
 * Lifecycle webhooks (lifecycle/): one row per lifecycle moment to deliver to the CRM (Braze `users/track`), keyed so
 * the same moment is never sent twice, with its delivery state, attempts and the last error ops see.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const lifecycleDeliveries = sqliteTable(
  "lifecycle_deliveries",
  {
    /** `<moment>:<account>:<period>`, e.g. `churn_risk:acc_1:2026-11-23`. */
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    moment: text("moment", { enum: ["churn_risk", "trial_ending", "payment_failed", "win_back"] }).notNull(),
    /** The `users/track` request body, exactly as sent. */
    body: text("body").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer("attempts", { mode: "number" }).notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: integer("next_attempt_at", { mode: "number" }).notNull(),
    createdAt: integer("created_at", { mode: "number" }).notNull(),
    deliveredAt: integer("delivered_at", { mode: "number" }),
  },
  (t) => [index("lifecycle_deliveries_due").on(t.status, t.nextAttemptAt)],
);
