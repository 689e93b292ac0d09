/**
 * `POST /v1/internal/history/backfill` (edge only; the api worker's `POST /v1/ops/history/backfill` checks the ops
 * scope): one chunk of historical events as NDJSON (at most 20,000 lines, 32 MB), imported through backfill.ts.
 * Query: `first_line` (the chunk's first line number in its file, for the refusal report) and `source` (the file name,
 * kept as each event's request id). Answers the chunk's report: stored, duplicates, refused by reason with samples.
 */
import { parseWith } from "@cadence/shared/http";
import { Problem, problems } from "@cadence/shared/problem";
import { requireEdgeCaller } from "@cadence/shared/trust/edge-only";
import { Hono } from "hono";
import { z } from "zod";
import type { OriginEnv } from "../context";
import type { Database } from "../db/client";
import type { Warehouse } from "../warehouse/warehouse";
import { BACKFILL_MAX_LINES, backfillChunk } from "./backfill";

const MAX_BYTES = 32 * 1024 * 1024;
const query = z.object({
  first_line: z.coerce.number().int().min(1).default(1),
  source: z
    .string()
    .max(100)
    .regex(/^[\w.\-/]*$/, "letters, digits and . _ - / only")
    .default("backfill"),
});

export function historyRoutes({ db, warehouse }: { db: Database; warehouse: Warehouse }): Hono<OriginEnv> {
  const app = new Hono<OriginEnv>();
  app.post("/v1/internal/history/backfill", async (c) => {
    requireEdgeCaller(c.var.fromEdge, "Only the edge may call this endpoint.");
    const q = parseWith(query, c.req.query(), "query");
    const type = c.req.header("content-type") ?? "";
    if (!/^(application\/x-ndjson|application\/jsonl|text\/plain)\b/.test(type)) {
      throw new Problem("unsupported-media-type", "Send the events as NDJSON (content-type application/x-ndjson).");
    }
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > MAX_BYTES) throw new Problem("payload-too-large", `A chunk may be at most ${MAX_BYTES} bytes.`);
    const text = await c.req.text();
    if (text.length > MAX_BYTES) throw new Problem("payload-too-large", `A chunk may be at most ${MAX_BYTES} bytes.`);
    const lines = text.split("\n").filter((l) => l.trim()).length;
    if (lines === 0) throw problems.badRequest("The body has no events; send one JSON event per line.");
    if (lines > BACKFILL_MAX_LINES) {
      throw problems.badRequest(`A chunk may carry at most ${BACKFILL_MAX_LINES} lines; this one has ${lines}.`);
    }
    try {
      return c.json(
        await backfillChunk(db, warehouse, text, {
          firstLine: q.first_line,
          source: q.source,
        }),
      );
    } catch (err) {
      c.var.log.warn("backfill chunk failed", { err: String(err) });
      throw problems.unavailable("warehouse-unavailable", "The warehouse did not take the chunk; send it again.");
    }
  });
  return app;
}
