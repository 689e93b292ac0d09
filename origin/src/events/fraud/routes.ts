/**
 * The fraud review's endpoints, for the edge only (service token): the api worker calls them for
 * `GET /v1/ops/fraud/report` and `POST /v1/ops/fraud/decisions` after checking the ops scope, passing who decides.
 * Days are validated as real calendar days; bad input is a 400 that names the field.
 */
import { parseWith, readJson } from "@cadence/shared/http";
import { problems } from "@cadence/shared/problem";
import { edgeOnly } from "@cadence/shared/trust/edge-only";
import type { Redis } from "@upstash/redis";
import { Hono } from "hono";
import { z } from "zod";
import type { OriginEnv } from "../../context";
import type { Database } from "../../db/client";
import { licenseAbuse } from "./license-abuse";
import { decide, fraudReport } from "./review";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day, YYYY-MM-DD")
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, "is not a calendar day");
const reportQuery = z
  .object({
    from: day.optional(),
    to: day.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
const decisionsBody = z
  .object({
    actor: z.object({ sub: z.string().min(1).max(200), email: z.string().max(254).optional() }).strict(),
    decisions: z
      .array(
        z
          .object({
            session_id: z.string().min(1).max(128),
            decision: z.enum(["clear", "confirm"]),
            note: z.string().max(1000).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function fraudRoutes(db: Database, redis: Redis): Hono<OriginEnv> {
  const app = new Hono<OriginEnv>();
  app.use("/v1/internal/fraud/*", edgeOnly("The fraud review is reached through the api worker's ops routes."));

  app.get("/v1/internal/fraud/report", async (c) => {
    const q = parseWith(reportQuery, c.req.query(), "query");
    const to = q.to ?? isoDay(Date.now());
    const from = q.from ?? isoDay(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000);
    if (from > to) throw problems.badRequest("from must not be after to.");
    c.header("cache-control", "no-store");
    const window = { from, to, limit: q.limit };
    // The licence path's abuse signals (docs/drm.md) sit beside the earned-play verdicts.
    const [report, license] = await Promise.all([fraudReport(db, window), licenseAbuse(redis, window)]);
    return c.json({ ...report, license_abuse: license });
  });

  app.post("/v1/internal/fraud/decisions", async (c) => {
    const body = await readJson(c, decisionsBody);
    const results = await decide(db, body.actor, body.decisions, c.req.header("x-request-id"));
    return c.json({ results });
  });
  return app;
}
