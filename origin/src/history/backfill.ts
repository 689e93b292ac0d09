/**
 * Backfill: historical events of any age, one JSON object per line (NDJSON), land in the warehouse through the same
 * rules as intake: each event is judged by the same schema (only the 30-day late limit is lifted), repeated event ids
 * are stored once (within the input and against everything already stored), and each event is enriched with what
 * intake would know about its listener, taken here from the line's `listener` object (account id, tier, account
 * country, and where the play happened). Historical plays have no live playback session, so they carry the
 * `session-unknown` flag exactly as an offline play synced late does (it does not keep a play from qualifying).
 *
 * One call lands one chunk as one batch whose id is a hash of its content (`backfill:<sha256>`), so running the same
 * input again lands nothing twice: an identical chunk is an already-landed batch, any other overlap is caught by
 * event id. Refused lines are reported with their line number, reason and what to fix; nothing refused is stored.
 */
import { createHash } from "node:crypto";
import { TIERS } from "@cadence/shared/auth/claims";
import { type EdgeContext, type EnrichedEvent, EVENTS_MESSAGE_VERSION } from "@cadence/shared/events/message";
import { type FailureReason, judgeEvent } from "@cadence/shared/events/validate";
import { z } from "zod";
import type { Database } from "../db/client";
import { BACKFILL_BATCH_PREFIX, landMessages } from "../events/store";
import type { Warehouse } from "../warehouse/warehouse";

/** Lines per call at most (the CLI sends chunks of this size). */
export const BACKFILL_MAX_LINES = 20_000;
const MAX_REFUSAL_SAMPLES = 100;

const country = z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as DE");
export const listenerSchema = z.object({
  user_id: z.string().min(1).max(128),
  tier: z.enum(TIERS).nullable().default(null),
  account_country: country.nullable().default(null),
  country: country.nullable().default(null),
  colo: z.string().max(8).nullable().default(null),
  asn: z.number().int().nullable().default(null),
});

export type BackfillRefusalReason = FailureReason | "not-json" | "listener-invalid";

export interface BackfillReport {
  batch_id: string;
  lines: number;
  stored: number;
  duplicates: number;
  already_landed: boolean;
  refused: {
    total: number;
    by_reason: Partial<Record<BackfillRefusalReason, number>>;
    /** The first refusals, with their line number within this chunk (1-based, plus `first_line - 1`). */
    samples: Array<{ line: number; event_id: string | null; reason: BackfillRefusalReason; detail: string }>;
  };
}

export async function backfillChunk(
  db: Database,
  warehouse: Warehouse,
  text: string,
  options: { firstLine?: number; now?: number; source?: string } = {},
): Promise<BackfillReport> {
  const now = options.now ?? Date.now();
  const firstLine = options.firstLine ?? 1;
  const batchId = BACKFILL_BATCH_PREFIX + createHash("sha256").update(text).digest("hex").slice(0, 40);
  const refused: BackfillReport["refused"] = { total: 0, by_reason: {}, samples: [] };
  const refuse = (line: number, eventId: string | null, reason: BackfillRefusalReason, detail: string) => {
    refused.total += 1;
    refused.by_reason[reason] = (refused.by_reason[reason] ?? 0) + 1;
    if (refused.samples.length < MAX_REFUSAL_SAMPLES) refused.samples.push({ line, event_id: eventId, reason, detail });
  };
  const events: EnrichedEvent[] = [];
  const lines = text.split("\n");
  let count = 0;
  for (const [i, rawLine] of lines.entries()) {
    const lineText = rawLine.trim();
    if (!lineText) continue;
    count += 1;
    const line = firstLine + i;
    let raw: unknown;
    try {
      raw = JSON.parse(lineText);
    } catch {
      refuse(line, null, "not-json", "The line is not a JSON object.");
      continue;
    }
    const verdict = judgeEvent(raw, Buffer.byteLength(lineText), now, Number.POSITIVE_INFINITY);
    if (!verdict.ok) {
      refuse(line, verdict.eventId, verdict.reason, verdict.detail);
      continue;
    }
    const listener = listenerSchema.safeParse((raw as { listener?: unknown }).listener);
    if (!listener.success) {
      const issue = listener.error.issues[0];
      refuse(
        line,
        verdict.event.event_id,
        "listener-invalid",
        `listener${issue?.path.length ? `.${issue.path.join(".")}` : ""}: ${issue?.message ?? "is required"}`,
      );
      continue;
    }
    const edge: EdgeContext = {
      ...listener.data,
      received_at: verdict.clientTs,
      request_id: `${options.source ?? "backfill"}:${line}`.slice(0, 128),
      flags: ["session-unknown"],
      source: "server",
    };
    events.push({ ...verdict.event, edge } as EnrichedEvent);
  }
  const [result] = await landMessages(
    db,
    warehouse,
    [{ id: batchId, attempts: 1, body: { v: EVENTS_MESSAGE_VERSION, batch_id: batchId, events, failures: [] } }],
    now,
  );
  const stored = result?.status === "stored" ? result.inserted : 0;
  return {
    batch_id: batchId,
    lines: count,
    stored,
    duplicates: events.length - stored,
    already_landed: result?.status === "already-landed",
    refused,
  };
}
