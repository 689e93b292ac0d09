/**
 * Redis keys of the events pipeline, shared by the ingest-events worker (which writes them) and the origin (which
 * reads the edge-side counters for the counts API), so the two sides cannot drift apart.
 */

/** Set-if-absent per event id before queueing: the edge's dedupe (the origin's unique key is the final guard). */
export const eventDedupeKey = (eventId: string) => `events:dedupe:${eventId}`;

/**
 * Hash of edge-side counters: `accepted`, `duplicate`, `rejected`, `rejected:<reason>`, `requests`,
 * `queue_refused` (events answered 503 because the queue refused them).
 */
export const EVENTS_EDGE_STATS_KEY = "events:edge-stats";

/** Test/dev only: how many upcoming consumer batches crash after the origin confirmed them (ignored in production). */
export const EVENTS_CONSUMER_CRASH_KEY = "events:fault:consumer-crash";
