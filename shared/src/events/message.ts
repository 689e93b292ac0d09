/**
 * What travels on the events queue: messages of enriched events (a valid event plus what the edge knows and the
 * client cannot forge) and failed events (a refused event kept with its reason). Each message has a `batch_id` the
 * origin records when the message lands, so a redelivered or replayed message is counted once.
 *
 * `packMessages` packs already-serialized items into messages under the queue's per-message size, and
 * `groupForSendBatch` groups messages into `sendBatch` calls under its per-call count and size, so the producer never
 * builds a batch the queue would refuse for size.
 */
import { z } from "zod";
import { TIERS } from "../auth/claims";
import { PACK_BATCH_BYTES, PACK_MESSAGE_BYTES, QUEUE_MAX_BATCH_MESSAGES } from "./limits";
import { eventSchema, type WireEvent } from "./schema";
import { FAILURE_REASONS } from "./validate";

export const EVENTS_MESSAGE_VERSION = 1;

/** Marks on an accepted event; flagged plays are stored but never qualify as streams. */
export const EVENT_FLAGS = [
  /** The playback session is not (or no longer) in Redis: e.g. an offline play synced days later. */
  "session-unknown",
  /** The session belongs to another account than the token's. */
  "session-user-mismatch",
  /** A play for a track the session was not issued for. */
  "track-not-in-session",
  /** A play naming another device than the one the session was minted for. */
  "device-not-in-session",
] as const;
export type EventFlag = (typeof EVENT_FLAGS)[number];
/** Flags that keep a play from counting as a stream. */
export const DISQUALIFYING_FLAGS: readonly EventFlag[] = [
  "session-user-mismatch",
  "track-not-in-session",
  "device-not-in-session",
];

/**
 * The playback session as the edge read it from Redis when the event arrived (plays only): how the origin learns,
 * durably, that the playback worker minted it, for whom, for which device and track, and when it ended.
 */
export const sessionSnapshotSchema = z.object({
  sub: z.string().max(128),
  track_id: z.string().max(128),
  device_id: z.string().max(128),
  created_at: z.number().int(),
  expires_at: z.number().int(),
  ended_at: z.number().int().nullable(),
});
export type SessionSnapshot = z.infer<typeof sessionSnapshotSchema>;

/** What the delivery side had served to the session when the event arrived (plays only; see served-media.ts). */
export const servedSnapshotSchema = z.object({
  playlists: z.number().int().min(0),
  bytes: z.number().int().min(0),
  requests: z.number().int().min(0),
});
export type ServedSnapshot = z.infer<typeof servedSnapshotSchema>;

export const edgeContextSchema = z.object({
  /** Account id (token `sub`, or the playback session's for server-sent events). */
  user_id: z.string().max(128).nullable(),
  tier: z.enum(TIERS).nullable(),
  account_country: z.string().max(8).nullable(),
  /** request.cf: where the request came from. */
  country: z.string().max(8).nullable(),
  colo: z.string().max(8).nullable(),
  asn: z.number().int().nullable(),
  /** Server receive time, epoch ms. */
  received_at: z.number().int(),
  request_id: z.string().max(128),
  flags: z.array(z.enum(EVENT_FLAGS)),
  source: z.enum(["client", "server"]),
  session: sessionSnapshotSchema.nullable().optional(),
  served: servedSnapshotSchema.optional(),
});
export type EdgeContext = z.infer<typeof edgeContextSchema>;

// One object schema per event type with `edge` added (one pass per event, unlike an intersection's two).
const enrichedOptions = eventSchema.options.map((option) => option.extend({ edge: edgeContextSchema }));
type EnrichedOption = (typeof enrichedOptions)[number];
export const enrichedEventSchema = z.discriminatedUnion(
  "type",
  enrichedOptions as [EnrichedOption, ...EnrichedOption[]],
);
export type EnrichedEvent = WireEvent & { edge: EdgeContext };

export const failedEventSchema = z.object({
  /** Made at the edge; the origin's idempotency key for failed events. */
  failure_id: z.uuid(),
  event_id: z.string().max(128).nullable(),
  type: z.string().max(128).nullable(),
  reason: z.enum(FAILURE_REASONS),
  detail: z.string().max(2000),
  /** The event as received, truncated. */
  raw: z.string(),
  received_at: z.number().int(),
  request_id: z.string().max(128),
  user_id: z.string().max(128).nullable(),
});
export type FailedEvent = z.infer<typeof failedEventSchema>;

export const eventsMessageSchema = z.object({
  v: z.literal(EVENTS_MESSAGE_VERSION),
  batch_id: z.uuid(),
  events: z.array(enrichedEventSchema),
  failures: z.array(failedEventSchema),
});
export type EventsMessage = z.infer<typeof eventsMessageSchema>;

/** A message ready for `sendBatch`: its JSON text and which input items it carries. */
export interface PackedMessage {
  batchId: string;
  body: string;
  bytes: number;
  /** Indexes into the `events` / `failures` arrays given to `packMessages`. */
  eventIndexes: number[];
  failureIndexes: number[];
}

/** UTF-8 length without allocating. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Packs serialized events and failures into as few messages as fit `maxBytes` each. Every item must fit a message on
 * its own (the validator caps events far below it; failures carry a truncated raw text).
 */
export function packMessages(
  events: readonly string[],
  failures: readonly string[],
  newBatchId: () => string = () => crypto.randomUUID(),
  maxBytes = PACK_MESSAGE_BYTES,
): PackedMessage[] {
  const messages: PackedMessage[] = [];
  let current: { batchId: string; events: string[]; failures: string[]; ei: number[]; fi: number[]; bytes: number };
  const envelope = (id: string) => utf8Length(`{"v":1,"batch_id":"${id}","events":[],"failures":[]}`);
  const open = () => {
    const batchId = newBatchId();
    current = { batchId, events: [], failures: [], ei: [], fi: [], bytes: envelope(batchId) };
  };
  const close = () => {
    if (current.ei.length + current.fi.length === 0) return;
    messages.push({
      batchId: current.batchId,
      body: `{"v":${EVENTS_MESSAGE_VERSION},"batch_id":"${current.batchId}","events":[${current.events.join(",")}],"failures":[${current.failures.join(",")}]}`,
      bytes: current.bytes,
      eventIndexes: current.ei,
      failureIndexes: current.fi,
    });
  };
  open();
  const add = (text: string, index: number, kind: "events" | "failures") => {
    const comma = () => (current[kind].length > 0 ? 1 : 0);
    if (current.bytes + utf8Length(text) + comma() > maxBytes && current.ei.length + current.fi.length > 0) {
      close();
      open();
    }
    const size = utf8Length(text) + comma();
    current[kind].push(text);
    (kind === "events" ? current.ei : current.fi).push(index);
    current.bytes += size;
  };
  events.forEach((text, i) => {
    add(text, i, "events");
  });
  failures.forEach((text, i) => {
    add(text, i, "failures");
  });
  close();
  return messages;
}

/** Groups messages into `sendBatch` calls within the queue's per-call message count and bytes. */
export function groupForSendBatch(
  messages: readonly PackedMessage[],
  maxBytes = PACK_BATCH_BYTES,
  maxMessages = QUEUE_MAX_BATCH_MESSAGES,
): PackedMessage[][] {
  const groups: PackedMessage[][] = [];
  let group: PackedMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (group.length > 0 && (group.length >= maxMessages || bytes + message.bytes > maxBytes)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(message);
    bytes += message.bytes;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
