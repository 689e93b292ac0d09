/**
 * The events queue consumer: lands each batch at the origin and acks a message only after the origin confirmed it
 * (stored, or already landed before). Anything else is retried with exponential backoff; after the queue's retry
 * limit the message goes to the dead-letter queue, whose batches this same handler parks at the origin (whole, for
 * `npm run dlq` to inspect and replay). Outside production, a Redis knob makes the consumer crash mid-batch after the
 * origin confirmed, to prove redelivery changes nothing.
 */

import { devOverridesEnabled, missingSettings } from "@cadence/shared/config/deployment";
import { redisFor } from "@cadence/shared/edge";
import { EVENTS_CONSUMER_CRASH_KEY } from "@cadence/shared/events/keys";
import type { Logger } from "@cadence/shared/log";
import { type Env, EVENTS_DLQ_NAME } from "./context";
import { callOrigin } from "./origin-client";
import { ingestSettings } from "./settings";

const MAX_DELAY_SECONDS = 300;

/** Attempt n (1-based) waits base * 2^(n-1) seconds, capped. */
export function backoffSeconds(env: Pick<Env, "EVENTS_RETRY_DELAY_SECONDS">, attempts: number): number {
  const base = ingestSettings(env).retryDelayBaseSeconds;
  return Math.min(MAX_DELAY_SECONDS, Math.round(base * 2 ** Math.max(0, attempts - 1)));
}

const textOf = (body: unknown) => (typeof body === "string" ? body : JSON.stringify(body));

export async function consumeEvents(batch: MessageBatch<unknown>, env: Env, log: Logger): Promise<void> {
  // A deployment that forgot a setting keeps its messages (retried later) instead of burning them into the DLQ.
  const missing = missingSettings("ingest-events", env);
  if (missing.length > 0) {
    log.error("events consumer is missing settings; batch retried", { missing });
    for (const m of batch.messages) m.retry({ delaySeconds: MAX_DELAY_SECONDS });
    return;
  }
  if (batch.queue === EVENTS_DLQ_NAME) return parkDeadLetters(batch, env, log);
  return landBatch(batch, env, log);
}

type LandingAnswer = { results: Array<{ id: string; status: string; detail?: string }> };

async function landBatch(batch: MessageBatch<unknown>, env: Env, log: Logger): Promise<void> {
  const sendable: Array<{ message: Message<unknown>; text: string }> = [];
  for (const message of batch.messages) {
    const text = textOf(message.body);
    try {
      JSON.parse(text);
      sendable.push({ message, text });
    } catch {
      // Cannot happen with our producer; retried so it ends in the dead-letter queue, where ops can see it.
      log.error("unreadable events message", { id: message.id });
      message.retry({ delaySeconds: backoffSeconds(env, message.attempts) });
    }
  }
  if (sendable.length === 0) return;
  const body = `{"messages":[${sendable
    .map(({ message, text }) => `{"id":${JSON.stringify(message.id)},"attempts":${message.attempts},"body":${text}}`)
    .join(",")}]}`;
  let answer: LandingAnswer;
  try {
    answer = await callOrigin<LandingAnswer>(env, "POST", "/v1/internal/events/batches", body);
  } catch (err) {
    log.warn("landing failed; the batch will be retried", { err: String(err), messages: sendable.length });
    for (const { message } of sendable) message.retry({ delaySeconds: backoffSeconds(env, message.attempts) });
    return;
  }
  const results = new Map(answer.results.map((r) => [r.id, r]));
  const confirmed: Array<Message<unknown>> = [];
  for (const { message } of sendable) {
    const result = results.get(message.id);
    if (result?.status === "stored" || result?.status === "already-landed") confirmed.push(message);
    else {
      log.error("origin did not store an events message", { id: message.id, result });
      message.retry({ delaySeconds: backoffSeconds(env, message.attempts) });
    }
  }
  if (await injectedCrash(env)) {
    // Ack half, then die as a crashing consumer would: the unacked rest is redelivered though it already landed.
    for (const message of confirmed.slice(0, Math.floor(confirmed.length / 2))) message.ack();
    throw new Error("injected consumer crash after the origin confirmed the batch");
  }
  for (const message of confirmed) message.ack();
}

async function parkDeadLetters(batch: MessageBatch<unknown>, env: Env, log: Logger): Promise<void> {
  const messages = batch.messages.map((m) => ({ id: m.id, attempts: m.attempts, body: textOf(m.body) }));
  try {
    await callOrigin(env, "POST", "/v1/internal/events/dead-letters", JSON.stringify({ messages }));
  } catch (err) {
    log.error("could not park dead letters at the origin; retrying", { err: String(err), messages: messages.length });
    for (const m of batch.messages) m.retry({ delaySeconds: backoffSeconds(env, m.attempts) });
    return;
  }
  log.warn("events messages dead-lettered and parked at the origin", { messages: messages.map((m) => m.id) });
  batch.ackAll();
}

/** Test/dev knob: `SET events:fault:consumer-crash <n>` crashes the next n batches. Never in production. */
async function injectedCrash(env: Env): Promise<boolean> {
  if (!devOverridesEnabled(env)) return false;
  try {
    const redis = redisFor(env);
    const left = Number((await redis.get(EVENTS_CONSUMER_CRASH_KEY)) ?? 0);
    if (left <= 0) return false;
    return (await redis.decr(EVENTS_CONSUMER_CRASH_KEY)) >= 0;
  } catch {
    return false;
  }
}
