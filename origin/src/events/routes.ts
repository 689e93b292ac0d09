/**
 * The origin's events endpoints. Landing, dead letters and lookups are called only by the ingest-events worker and
 * must carry its HMAC signature (`x-events-signature`, secret `EVENTS_INGEST_SECRET`), which no other worker holds;
 * the counts are read by the api worker with the edge's service token after it checked the ops scope. A fault knob for
 * the landing endpoint exists outside production only.
 */

import type { IncomingMessage as NodeIncomingMessage } from "node:http";
import { eventsMessageSchema } from "@cadence/shared/events/message";
import { EVENTS_SIGNATURE_HEADER, verifyEventsRequest } from "@cadence/shared/events/signature";
import { parseWith } from "@cadence/shared/http";
import { Problem, problems } from "@cadence/shared/problem";
import { requireEdgeCaller } from "@cadence/shared/trust/edge-only";
import type { Redis } from "@upstash/redis";
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { OriginConfig } from "../config";
import type { OriginEnv } from "../context";
import type { Database } from "../db/client";
import type { Warehouse } from "../warehouse/warehouse";
import { listDeadLetters, markReplayed, storeDeadLetters } from "./dead-letters";
import { LandingFaults } from "./faults";
import { lookupEvents } from "./lookup";
import { eventsStats } from "./stats";
import { type IncomingMessage, type LandingResult, landMessages } from "./store";

const landingBody = z.object({
  messages: z
    .array(z.object({ id: z.string().min(1).max(128), attempts: z.number().int().min(0), body: z.unknown() }))
    .min(1)
    .max(100),
});
const deadLetterBody = z.object({
  messages: z
    .array(z.object({ id: z.string().min(1).max(128), attempts: z.number().int().min(0), body: z.string() }))
    .min(1)
    .max(100),
});
const batchIdsBody = z.object({ batch_ids: z.array(z.string().min(1).max(200)).min(1).max(500) });
const lookupBody = z.object({ event_ids: z.array(z.string().min(1).max(128)).min(1).max(5000) });
const faultBody = z.object({
  mode: z.enum(["down", "error", "none"]),
  calls: z.number().int().min(0).max(10_000).default(1),
});
// A real calendar day: the shape alone would let 2026-01-32 through to Date arithmetic (NaN, then a 500).
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day, YYYY-MM-DD")
  .refine((d) => {
    const at = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === d;
  }, "is not a calendar day");
const statsQuery = z.object({
  from: day.optional(),
  to: day.optional(),
  track_id: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const deadLetterQuery = z.object({
  status: z.enum(["pending", "replayed", "all"]).default("pending"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  bodies: z.enum(["0", "1"]).default("0"),
  batch_id: z.string().max(200).optional(),
});
const batchIdList = z.array(z.string().min(1).max(200)).max(500);

type Ctx = Context<OriginEnv>;

export interface EventsDeps {
  db: Database;
  redis: Redis;
  config: Pick<OriginConfig, "EVENTS_INGEST_SECRET" | "CADENCE_ENV">;
  /** Where event facts land (DuckDB or ClickHouse); libSQL keeps the bookkeeping. */
  warehouse: Warehouse;
}

/** The request body, once its signature is verified with `secret`. */
async function signedBody(c: Ctx, secret: string | undefined): Promise<string> {
  if (!secret) {
    throw problems.unavailable(
      "events-ingest-not-configured",
      "The origin has no EVENTS_INGEST_SECRET; the events pipeline cannot land anything.",
    );
  }
  const body = await c.req.text();
  const url = new URL(c.req.url);
  const check = await verifyEventsRequest(
    secret,
    c.req.header(EVENTS_SIGNATURE_HEADER),
    c.req.method,
    url.pathname + url.search,
    body,
  );
  if (!check.ok) throw new Problem("events-signature-invalid", check.detail);
  return body;
}

function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw problems.badRequest("The body is not valid JSON.");
  }
}

const requireEdge = (c: Ctx) => requireEdgeCaller(c.var.fromEdge, "Only the edge may call this endpoint.");

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function eventsRoutes({ db, redis, config, warehouse }: EventsDeps): Hono<OriginEnv> {
  const app = new Hono<OriginEnv>();
  const faults = new LandingFaults();
  const signed = (c: Ctx) => signedBody(c, config.EVENTS_INGEST_SECRET);

  /** The queue consumer lands a batch of messages; each message is answered on its own. */
  app.post("/v1/internal/events/batches", async (c) => {
    const body = await signed(c);
    const fault = faults.take();
    if (fault === "down") {
      (c.env as { incoming?: NodeIncomingMessage } | undefined)?.incoming?.socket.destroy();
      throw new Error("injected fault: origin down");
    }
    if (fault === "error") throw new Problem("injected-fault", "Injected fault: the origin answers 500.");
    const { messages } = parseWith(landingBody, jsonOf(body), "body");
    const valid: IncomingMessage[] = [];
    const invalid: Array<{ id: string; status: "invalid"; detail: string }> = [];
    for (const m of messages) {
      const parsed = eventsMessageSchema.safeParse(m.body);
      if (parsed.success) valid.push({ id: m.id, attempts: m.attempts, body: parsed.data });
      else {
        const issue = parsed.error.issues[0];
        invalid.push({ id: m.id, status: "invalid", detail: `${issue?.path.join(".")}: ${issue?.message}` });
      }
    }
    let landed: LandingResult[] = [];
    try {
      if (valid.length) landed = await landMessages(db, warehouse, valid);
    } catch (err) {
      // The consumer retries the batch later and acks nothing.
      c.var.log.warn("landing failed; the consumer will retry", { err: String(err) });
      throw problems.unavailable("warehouse-unavailable", "The events store did not take the batch; retry later.");
    }
    if (invalid.length) c.var.log.warn("invalid events messages", { invalid });
    return c.json({ results: [...landed, ...invalid] });
  });

  /** The dead-letter queue's consumer parks messages the main consumer gave up on. */
  app.post("/v1/internal/events/dead-letters", async (c) => {
    const { messages } = parseWith(deadLetterBody, jsonOf(await signed(c)), "body");
    await storeDeadLetters(db, messages);
    c.var.log.warn("events dead-lettered", { messages: messages.map((m) => m.id) });
    return c.json({ stored: messages.length });
  });

  app.get("/v1/internal/events/dead-letters", async (c) => {
    await signed(c);
    const q = parseWith(deadLetterQuery, c.req.query(), "query");
    const rows = await listDeadLetters(db, {
      status: q.status,
      limit: q.limit,
      bodies: q.bodies === "1",
      batchIds: parseWith(batchIdList, c.req.queries("batch_id") ?? [], "query.batch_id"),
    });
    return c.json({ dead_letters: rows });
  });

  app.post("/v1/internal/events/dead-letters/replayed", async (c) => {
    const { batch_ids } = parseWith(batchIdsBody, jsonOf(await signed(c)), "body");
    return c.json({ marked: await markReplayed(db, batch_ids) });
  });

  /** Which of these event ids are stored, and which were refused (with their reasons). */
  app.post("/v1/internal/events/lookup", async (c) => {
    const { event_ids } = parseWith(lookupBody, jsonOf(await signed(c)), "body");
    return c.json(await lookupEvents(db, warehouse, event_ids));
  });

  app.get("/v1/internal/events/stats", async (c) => {
    requireEdge(c);
    const q = parseWith(statsQuery, c.req.query(), "query");
    const now = Date.now();
    const to = q.to ?? isoDay(now);
    const from = q.from ?? isoDay(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000);
    if (from > to) throw problems.badRequest("from must not be after to.");
    c.header("cache-control", "no-store");
    const stats = await eventsStats(db, warehouse, redis, { from, to, trackId: q.track_id, limit: q.limit }).catch(
      (err: unknown) => {
        c.var.log.warn("events stats failed", { err: String(err) });
        throw problems.unavailable("warehouse-unavailable", "The events store did not answer; try again shortly.");
      },
    );
    return c.json(stats);
  });

  app.get("/v1/internal/events/faults", (c) => {
    requireEdge(c);
    return c.json(faults.state());
  });

  app.put("/v1/internal/events/faults", async (c) => {
    requireEdge(c);
    if (config.CADENCE_ENV === "production") {
      throw new Problem("faults-disabled", "Fault injection is disabled in production.");
    }
    const { mode, calls } = parseWith(faultBody, jsonOf(await c.req.text()), "body");
    faults.set(mode, calls);
    return c.json(faults.state());
  });

  return app;
}
