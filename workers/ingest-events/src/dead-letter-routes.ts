/**
 * Ops endpoints for the dead-letter queue under `/v1/ops/events/dead-letters` (what `npm run dlq` calls): list the
 * messages the consumer gave up on, parked at the origin, and replay them, which re-enqueues their bodies unchanged on
 * the events queue (the origin's landing is idempotent per batch, so a replay of something that landed after all
 * changes nothing) and marks them replayed.
 */
import { edgeAuth } from "@cadence/shared/edge";
import { groupForSendBatch, type PackedMessage, utf8Length } from "@cadence/shared/events/message";
import { parseWith } from "@cadence/shared/http";
import { Problem } from "@cadence/shared/problem";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context";
import { callOrigin } from "./origin-client";

interface DeadLetter {
  batch_id: string;
  events: number;
  failures: number;
  body?: string;
}

const listQuery = z.object({
  status: z.enum(["pending", "replayed", "all"]).default("pending"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const replayBody = z.object({
  batch_ids: z.array(z.string().min(1).max(200)).min(1).max(500).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

/** Operator routes live under `/v1/ops/`. */
export const DEAD_LETTERS_PATH = "/v1/ops/events/dead-letters";

export function deadLetterRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(`${DEAD_LETTERS_PATH}*`, edgeAuth({ scopes: ["ops"] }));

  app.get(DEAD_LETTERS_PATH, async (c) => {
    const q = parseWith(listQuery, c.req.query(), "query");
    const answer = await callOrigin<{ dead_letters: DeadLetter[] }>(
      c.env,
      "GET",
      `/v1/internal/events/dead-letters?status=${q.status}&limit=${q.limit}`,
    );
    c.header("cache-control", "no-store");
    return c.json(answer);
  });

  app.post(`${DEAD_LETTERS_PATH}/replay`, async (c) => {
    let raw: unknown = {};
    const text = await c.req.text();
    if (text.trim()) {
      try {
        raw = JSON.parse(text);
      } catch {
        throw new Problem("bad-request", 'The body must be JSON: {"batch_ids": [...]} or {"limit": n}, or empty.');
      }
    }
    const { batch_ids, limit } = parseWith(replayBody, raw, "body");
    const ids = (batch_ids ?? []).map((id) => `&batch_id=${encodeURIComponent(id)}`).join("");
    const { dead_letters } = await callOrigin<{ dead_letters: DeadLetter[] }>(
      c.env,
      "GET",
      `/v1/internal/events/dead-letters?status=pending&bodies=1&limit=${batch_ids?.length ?? limit}${ids}`,
    );
    const messages: PackedMessage[] = dead_letters.map((d) => ({
      batchId: d.batch_id,
      body: d.body ?? "",
      bytes: utf8Length(d.body ?? ""),
      eventIndexes: [],
      failureIndexes: [],
    }));
    const replayed: DeadLetter[] = [];
    let refused = 0;
    for (const group of groupForSendBatch(messages)) {
      try {
        await c.env.EVENTS_QUEUE.sendBatch(group.map((m) => ({ body: m.body, contentType: "text" as const })));
        for (const m of group) replayed.push(dead_letters.find((d) => d.batch_id === m.batchId) as DeadLetter);
      } catch (err) {
        c.var.log.error("queue refused a dead-letter replay", { err });
        refused += group.length;
      }
    }
    if (replayed.length) {
      await callOrigin(
        c.env,
        "POST",
        "/v1/internal/events/dead-letters/replayed",
        JSON.stringify({ batch_ids: replayed.map((d) => d.batch_id) }),
      );
    }
    const summary = {
      replayed: replayed.length,
      events: replayed.reduce((n, d) => n + d.events, 0),
      failed_events: replayed.reduce((n, d) => n + d.failures, 0),
      batch_ids: replayed.map((d) => d.batch_id),
      refused,
    };
    if (refused > 0) {
      throw new Problem(
        "events-queue-unavailable",
        `The queue refused ${refused} of the dead letters; run the replay again.`,
        {
          headers: { "retry-after": "5" },
          extensions: summary,
        },
      );
    }
    return c.json(summary);
  });

  return app;
}
