/**
 * The numbers the events pipeline is built around, in one place: what a request may carry, how late an offline play
 * may arrive, how long event ids are remembered for dedupe, and Cloudflare Queues' own limits that the producer packs
 * messages within.
 */

/** A request carries at most this many events... */
export const MAX_EVENTS_PER_REQUEST = 500;
/** ...and at most this many bytes of body. */
export const MAX_BODY_BYTES = 512 * 1024;
/** One event, serialized, at most (Segment allows 32 KB; ours are a few hundred bytes). */
export const MAX_EVENT_BYTES = 16 * 1024;

/** Offline plays may arrive up to 30 days late; later ones are refused with a reason. */
export const MAX_LATENESS_MS = 30 * 24 * 3600_000;
/** A client clock this far ahead of ours is wrong, not early. */
export const MAX_CLOCK_AHEAD_MS = 24 * 3600_000;

/** Event ids are remembered for dedupe at the edge this long (the origin's unique key guards beyond it). */
export const DEDUPE_TTL_SECONDS = 48 * 3600;

/** Cloudflare Queues: per message, per `sendBatch` call (bytes and messages). */
export const QUEUE_MAX_MESSAGE_BYTES = 128 * 1024;
export const QUEUE_MAX_BATCH_BYTES = 256 * 1024;
export const QUEUE_MAX_BATCH_MESSAGES = 100;
/** We pack below the limits: the queue counts a little per-message overhead we cannot see. */
export const PACK_MESSAGE_BYTES = QUEUE_MAX_MESSAGE_BYTES - 4 * 1024;
export const PACK_BATCH_BYTES = QUEUE_MAX_BATCH_BYTES - 8 * 1024;

/** A stream qualifies for royalties once its session's listened time reaches this. */
export const QUALIFIED_STREAM_MS = 30_000;

/** Raw text of a refused event kept in failed events, at most. */
export const FAILED_RAW_MAX_CHARS = 4 * 1024;
