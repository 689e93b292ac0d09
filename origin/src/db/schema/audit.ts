/**
 * The durable audit log: every change ops make to live settings (steering weights, prices, commits, thresholds,
 * overrides), with who made it, when, and the value before and after. Append-only: rows are never updated or
 * deleted. Values are stored as the JSON documents they were.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    /** Epoch ms the change was recorded. */
    at: integer("at", { mode: "number" }).notNull(),
    /** Account id (token `sub`) of who made the change, and their email when the token carried it. */
    actorSub: text("actor_sub").notNull(),
    actorEmail: text("actor_email"),
    /** What was done, e.g. `steering.prices.replace`. */
    action: text("action").notNull(),
    /** What it was done to, e.g. `steering-config`, and that entity's version after the change. */
    entity: text("entity").notNull(),
    entityVersion: integer("entity_version", { mode: "number" }),
    oldValue: text("old_value"),
    newValue: text("new_value"),
    requestId: text("request_id"),
  },
  (t) => [index("audit_log_entity_at").on(t.entity, t.at)],
);
