/**
 * The audit log's API, for the edge only (requests must carry the service token): the api worker appends an entry
 * for each ops change it applies, and reads entries back for the ops console. Listing is newest first, paged by
 * `before` (epoch ms) and `limit`.
 */
import { randomUUID } from "node:crypto";
import { parseWith, readJson } from "@cadence/shared/http";
import { edgeOnly } from "@cadence/shared/trust/edge-only";
import { and, desc, eq, lt } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { OriginEnv } from "../context";
import type { Database } from "../db/client";
import { auditLog } from "../db/schema";

const MAX_VALUE_CHARS = 200_000;
const jsonValue = z.unknown().refine((v) => v === undefined || JSON.stringify(v).length <= MAX_VALUE_CHARS, {
  error: `must serialise to at most ${MAX_VALUE_CHARS} characters`,
});

const entryBody = z
  .object({
    actor: z.object({ sub: z.string().min(1).max(200), email: z.string().max(254).optional() }).strict(),
    action: z
      .string()
      .regex(/^[a-z][a-z0-9.-]{2,99}$/, "must be a dotted lowercase name, e.g. steering.prices.replace"),
    entity: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, "must be a lowercase name, e.g. steering-config"),
    entityVersion: z.number().int().min(0).optional(),
    old: jsonValue,
    new: jsonValue,
    requestId: z.string().max(128).optional(),
  })
  .strict();

const listQuery = z.object({
  entity: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,63}$/)
    .optional(),
  before: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface AuditEntry {
  id: string;
  at: number;
  actor: { sub: string; email?: string };
  action: string;
  entity: string;
  entityVersion?: number;
  old: unknown;
  new: unknown;
  requestId?: string;
}

export function auditRoutes(db: Database): Hono<OriginEnv> {
  const app = new Hono<OriginEnv>();
  app.use("/v1/internal/audit", edgeOnly("The audit log is written and read by the edge only."));

  app.post("/v1/internal/audit", async (c) => {
    const body = await readJson(c, entryBody);
    const row = {
      id: randomUUID(),
      at: Date.now(),
      actorSub: body.actor.sub,
      actorEmail: body.actor.email ?? null,
      action: body.action,
      entity: body.entity,
      entityVersion: body.entityVersion ?? null,
      oldValue: body.old === undefined ? null : JSON.stringify(body.old),
      newValue: body.new === undefined ? null : JSON.stringify(body.new),
      requestId: body.requestId ?? null,
    };
    await db.insert(auditLog).values(row);
    return c.json({ id: row.id, at: row.at }, 201);
  });

  app.get("/v1/internal/audit", async (c) => {
    const q = parseWith(listQuery, c.req.query(), "query");
    const where = and(
      q.entity ? eq(auditLog.entity, q.entity) : undefined,
      q.before !== undefined ? lt(auditLog.at, q.before) : undefined,
    );
    const rows = await db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(q.limit);
    const entries: AuditEntry[] = rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { sub: r.actorSub, ...(r.actorEmail ? { email: r.actorEmail } : {}) },
      action: r.action,
      entity: r.entity,
      ...(r.entityVersion !== null ? { entityVersion: r.entityVersion } : {}),
      old: r.oldValue === null ? null : JSON.parse(r.oldValue),
      new: r.newValue === null ? null : JSON.parse(r.newValue),
      ...(r.requestId ? { requestId: r.requestId } : {}),
    }));
    const last = entries.at(-1);
    return c.json({ entries, next_before: entries.length === q.limit && last ? last.at : null });
  });
  return app;
}
