/**
 * Judges one event: schema (this module's version of it), size, and time window. The answer is a value, never an
 * exception, because a batch mixes good and bad events and each gets its own answer; a refusal carries a stable
 * `reason` code (what failed-event counts group by) and a `detail` that says what to fix.
 */

import { describeIssues, plainIssue } from "../validation-messages";
import { MAX_CLOCK_AHEAD_MS, MAX_EVENT_BYTES, MAX_LATENESS_MS } from "./limits";
import { EVENT_TYPES, eventSchema, SUPPORTED_SCHEMA_VERSIONS, type WireEvent } from "./schema";

export const FAILURE_REASONS = [
  "not-an-object",
  "event-too-large",
  "unsupported-version",
  "unknown-type",
  "invalid-event",
  "too-late",
  "clock-ahead",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export type EventVerdict =
  | { ok: true; event: WireEvent; clientTs: number }
  | { ok: false; reason: FailureReason; detail: string; eventId: string | null; type: string | null };

/**
 * @param raw one element of the request's array (or one NDJSON line), already JSON-parsed
 * @param bytes its serialized size
 * @param now the server's receive time (epoch ms)
 * @param maxLatenessMs how late an event may be; the backfill of history lifts it (Infinity), intake never does
 */
export function judgeEvent(raw: unknown, bytes: number, now: number, maxLatenessMs = MAX_LATENESS_MS): EventVerdict {
  const refuse = (reason: FailureReason, detail: string): EventVerdict => ({
    ok: false,
    reason,
    detail,
    eventId: stringField(raw, "event_id"),
    type: stringField(raw, "type"),
  });
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return refuse("not-an-object", "Each event must be a JSON object.");
  }
  if (bytes > MAX_EVENT_BYTES) {
    return refuse("event-too-large", `An event may be at most ${MAX_EVENT_BYTES} bytes; this one is ${bytes}.`);
  }
  const v = (raw as { v?: unknown }).v;
  if (v !== undefined && !SUPPORTED_SCHEMA_VERSIONS.includes(v as number)) {
    return refuse(
      "unsupported-version",
      `Schema version ${JSON.stringify(v)} is not supported; send v: ${SUPPORTED_SCHEMA_VERSIONS.join(" or ")}.`,
    );
  }
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== "string" || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return refuse("unknown-type", `type must be one of ${EVENT_TYPES.join(", ")}; got ${JSON.stringify(type)}.`);
  }
  const parsed = eventSchema.safeParse(raw, { error: plainIssue });
  if (!parsed.success) {
    const sentences = describeIssues(parsed.error.issues, "event").slice(0, 5);
    return refuse("invalid-event", sentences.map((s) => s.message).join(" "));
  }
  const clientTs = Date.parse(parsed.data.client_ts);
  if (now - clientTs > maxLatenessMs) {
    const days = Math.floor((now - clientTs) / 86_400_000);
    return refuse(
      "too-late",
      `client_ts is ${days} days ago; events may arrive at most ${MAX_LATENESS_MS / 86_400_000} days late.`,
    );
  }
  if (clientTs - now > MAX_CLOCK_AHEAD_MS) {
    return refuse("clock-ahead", "client_ts is more than a day ahead of the server's clock; fix the device clock.");
  }
  return { ok: true, event: parsed.data, clientTs };
}

function stringField(raw: unknown, field: string): string | null {
  if (typeof raw !== "object" || raw === null) return null;
  const value = (raw as Record<string, unknown>)[field];
  return typeof value === "string" ? value.slice(0, 128) : null;
}
