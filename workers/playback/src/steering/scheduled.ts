/**
 * The playback worker's cron handler: the steering probes (probes.ts). A failing run is logged, never thrown, so
 * one bad minute does not mark the cron as broken; the next run starts from the stored states.
 */
import { redisFor } from "@cadence/shared/edge";
import { createLogger } from "@cadence/shared/log";
import type { Env } from "../context";
import { runSteeringProbes } from "./probes";

const log = createLogger("playback");

export async function scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  ctx.waitUntil(
    runSteeringProbes(env, redisFor(env)).then(
      (states) => log.info("steering probes", { states }),
      (err: unknown) => log.error("steering probes failed", { err }),
    ),
  );
}
