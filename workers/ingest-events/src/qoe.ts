/**
 * Feeds accepted `qoe_segment` events to steering's measurements (per region x CDN), at the edge where the client's
 * country and continent are known from `request.cf`. Called once per accepted event (the dedupe already ran), after
 * the response, so measurement never slows intake.
 *
 * A player's report is a claim, so only plausible ones steer: the sample must come from the listener's own live
 * session, name one of the session's pathways and renditions, and stay within physical limits for that rendition
 * (`qoeSampleProblem`). Each listener's weight is then capped per region x CDN x minute, and health needs a majority of
 * reporting listeners to fail (shared/src/steering/store.ts, measurements.ts). The event itself is stored either way.
 */
import type { EnrichedEvent } from "@cadence/shared/events/message";
import { isQoeEvent, type QoeSegmentEvent } from "@cadence/shared/events/schema";
import type { Logger } from "@cadence/shared/log";
import type { PlaybackSession } from "@cadence/shared/playback/session";
import type { QoeSample } from "@cadence/shared/steering/measurements";
import { qoeSampleProblem } from "@cadence/shared/steering/qoe-bounds";
import { recordQoeSamples, type SteeringRedis } from "@cadence/shared/steering/store";
import type { RequestOrigin } from "./intake";

export interface QoeIntake {
  samples: QoeSample[];
  /** Reports that do not steer, with why (counted in logs; the events are stored). */
  ignored: Array<{ event_id: string; reason: string }>;
}

export function qoeSamplesOf(
  events: EnrichedEvent[],
  where: RequestOrigin,
  sessions: ReadonlyMap<string, PlaybackSession> = new Map(),
): QoeIntake {
  const out: QoeIntake = { samples: [], ignored: [] };
  if (!where.country || !where.continent) return out;
  for (const e of events) {
    if (!isQoeEvent(e)) continue;
    const problem = sessionProblem(e, sessions.get(e.session_id)) ?? qoeSampleProblem(e);
    if (problem) {
      out.ignored.push({ event_id: e.event_id, reason: problem });
      continue;
    }
    const failed = Boolean(e.error) || (e.http_status !== undefined && e.http_status >= 400);
    out.samples.push({
      country: where.country,
      continent: where.continent,
      cdn: e.cdn,
      ttfbMs: failed ? null : e.ttfb_ms,
      throughputBps: !failed && e.download_ms > 0 && e.bytes > 0 ? (e.bytes * 8 * 1000) / e.download_ms : null,
      bytes: e.bytes,
      error: failed,
      at: Date.parse(e.client_ts),
      ...(e.edge.user_id ? { listener: e.edge.user_id } : {}),
    });
  }
  return out;
}

/** The report must come from the listener's own session and name one of its pathways and renditions. */
function sessionProblem(e: QoeSegmentEvent & EnrichedEvent, session: PlaybackSession | undefined): string | undefined {
  if (e.edge.source !== "client") return "not sent by a player";
  if (!session) return "no such playback session";
  if (session.sub !== e.edge.user_id) return "another listener's session";
  if (!session.pathways.includes(e.cdn)) return `the session has no pathway ${e.cdn}`;
  if (!(session.renditions as readonly string[]).includes(e.rendition)) {
    return `the session has no rendition ${e.rendition}`;
  }
  return undefined;
}

export async function feedSteering(redis: SteeringRedis, intake: QoeIntake, log: Logger): Promise<void> {
  if (intake.ignored.length) log.info("QoE reports not used for steering", { ignored: intake.ignored.slice(0, 5) });
  if (intake.samples.length === 0) return;
  try {
    const { rejected } = await recordQoeSamples(redis, intake.samples);
    if (rejected.length) log.warn("steering refused QoE samples", { rejected: rejected.slice(0, 5) });
  } catch (err) {
    log.error("could not record QoE samples for steering", { err });
  }
}
