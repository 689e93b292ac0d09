/**
 * When the queue refuses a `sendBatch` (Queues unavailable, or over its rate), the client gets a retryable 503 that
 * says which events were queued and which to resend, and the resend is not called a duplicate. The local queue cannot
 * be made to refuse on demand, so here the worker runs with a queue binding that passes the first `sendBatch` to the
 * real queue and refuses the rest, with the error the runtime throws.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { FRANKFURT, type IntakeAnswer, landed, listener, originStats, playbackSession, qoe } from "./helpers";

function queueRefusingAfter(passes: number): Queue<string> {
  let calls = 0;
  return {
    send: (body, options) => env.EVENTS_QUEUE.send(body, options),
    sendBatch: (messages, options) => {
      calls += 1;
      if (calls <= passes) return env.EVENTS_QUEUE.sendBatch(messages, options);
      return Promise.reject(new Error("Queue send failed: queue is temporarily unavailable"));
    },
  } as Queue<string>;
}

async function post(token: string, events: unknown[], queue: Queue<string>): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request("http://ingest-events.test/v1/events", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(events),
    cf: FRANKFURT,
  });
  const res = await worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    { ...env, EVENTS_QUEUE: queue },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe("queue refusal", () => {
  it("answers 503 with per-event status, releases the refused events' dedupe keys, and a resend lands each once", async () => {
    const { token, sub } = await listener();
    const session = await playbackSession(sub, "trk-refusal");
    const before = await originStats();
    // ~400 KB of events: more than one sendBatch call (256 KB each).
    const events = Array.from({ length: 500 }, (_, i) => qoe(session.id, { segment: `seg-${i}-${"x".repeat(240)}` }));

    const refused = await post(token, events, queueRefusingAfter(1));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("2");
    const problem = (await refused.json()) as IntakeAnswer & { code: string };
    expect(problem.code).toBe("events-queue-unavailable");
    expect(problem.accepted).toBeGreaterThan(0);
    expect(problem.retry).toBeGreaterThan(0);
    expect(problem.accepted + problem.retry).toBe(500);
    const statusOf = new Map(problem.results.map((r) => [r.event_id, r.status]));

    const resent = await post(token, events, env.EVENTS_QUEUE);
    expect(resent.status).toBe(200);
    const answer = (await resent.json()) as IntakeAnswer;
    for (const r of answer.results) {
      expect(r.status).toBe(statusOf.get(r.event_id) === "accepted" ? "duplicate" : "accepted");
    }
    expect(answer).toMatchObject({ accepted: problem.retry, duplicate: problem.accepted });

    const found = await landed(
      events.map((e) => e.event_id as string),
      500,
    );
    expect(new Set(found.stored.map((s) => s.event_id)).size).toBe(500);
    // The edge counts only what was queued: the refused events were taken back out and counted as refused.
    const after = await originStats();
    expect(after.accepted - before.accepted).toBe(500);
    expect(after.edge.queue_refused - before.edge.queue_refused).toBe(problem.retry);
  });
});
