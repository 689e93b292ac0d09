/**
 * Feeds accepted `qoe_segment` events to steering's measurements (per region x CDN), at the edge where the client's
 * country and continent are known from `request.cf`. Called once per accepted event (the dedupe already ran), after
 * the response, so measurement never slows intake.
 */
import type { EnrichedEvent } from "@cadence/shared/events/message";
import { isQoeEvent } from "@cadence/shared/events/schema";
import type { Logger } from "@cadence/shared/log";
import type { QoeSample } from "@cadence/shared/steering/measurements";
import { recordQoeSamples, type SteeringRedis } from "@cadence/shared/steering/store";
import type { RequestOrigin } from "./intake";

export function qoeSamplesOf(events: EnrichedEvent[], where: RequestOrigin): QoeSample[] {
  if (!where.country || !where.continent) return [];
  const samples: QoeSample[] = [];
  for (const e of events) {
    if (!isQoeEvent(e)) continue;
    const failed = Boolean(e.error) || (e.http_status !== undefined && e.http_status >= 400);
    samples.push({
      country: where.country,
      continent: where.continent,
      cdn: e.cdn,
      ttfbMs: failed ? null : e.ttfb_ms,
      throughputBps: !failed && e.download_ms > 0 && e.bytes > 0 ? (e.bytes * 8 * 1000) / e.download_ms : null,
      bytes: e.bytes,
      error: failed,
      at: Date.parse(e.client_ts),
    });
  }
  return samples;
}

export async function feedSteering(redis: SteeringRedis, samples: QoeSample[], log: Logger): Promise<void> {
  if (samples.length === 0) return;
  try {
    const { rejected } = await recordQoeSamples(redis, samples);
    if (rejected.length) log.warn("steering refused QoE samples", { rejected: rejected.slice(0, 5) });
  } catch (err) {
    log.error("could not record QoE samples for steering", { err });
  }
}
