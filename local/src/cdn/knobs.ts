/**
 * Operator knobs of a CDN stand-in, for failover tests, demos and the ops console: added latency, a share of
 * requests failed, or the whole CDN down (answering 503, or resetting connections like an unreachable edge).
 * Set from env at start and over HTTP (`POST /__control`) while running.
 */
import { z } from "zod";

export const knobsSchema = z.object({
  latencyMs: z.number().int().min(0).max(60_000),
  failureRate: z.number().min(0).max(1),
  failStatus: z.number().int().min(500).max(599),
  down: z.boolean(),
  downMode: z.enum(["http-503", "connection-reset"]),
});

export type Knobs = z.infer<typeof knobsSchema>;

export const DEFAULT_KNOBS: Knobs = {
  latencyMs: 0,
  failureRate: 0,
  failStatus: 503,
  down: false,
  downMode: "http-503",
};

/** Knobs from `CDN_LATENCY_MS`, `CDN_FAILURE_RATE`, `CDN_FAIL_STATUS`, `CDN_DOWN`, `CDN_DOWN_MODE`. */
export function knobsFromEnv(env: Record<string, string | undefined>): Knobs {
  const raw = {
    latencyMs: env.CDN_LATENCY_MS === undefined ? DEFAULT_KNOBS.latencyMs : Number(env.CDN_LATENCY_MS),
    failureRate: env.CDN_FAILURE_RATE === undefined ? DEFAULT_KNOBS.failureRate : Number(env.CDN_FAILURE_RATE),
    failStatus: env.CDN_FAIL_STATUS === undefined ? DEFAULT_KNOBS.failStatus : Number(env.CDN_FAIL_STATUS),
    down: env.CDN_DOWN === undefined ? DEFAULT_KNOBS.down : env.CDN_DOWN === "true" || env.CDN_DOWN === "1",
    downMode: env.CDN_DOWN_MODE ?? DEFAULT_KNOBS.downMode,
  };
  const parsed = knobsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `Invalid CDN knobs: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}
