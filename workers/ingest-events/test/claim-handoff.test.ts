/**
 * Claim and hand-off are safe against a worker killed between the dedupe claim and `sendBatch`: such a worker leaves
 * only a pending claim, which a resend meets as `retry` (never `duplicate`, which would make the client drop an event
 * nobody queued), and once the pending claim is gone the resend is accepted and lands once. Events the queue took are
 * confirmed, so a later resend is a duplicate.
 */
import { eventDedupeKey } from "@cadence/shared/events/keys";
import { DEDUPE_TTL_SECONDS } from "@cadence/shared/events/limits";
import { describe, expect, it } from "vitest";
import { PENDING_CLAIM_SECONDS } from "../src/claim";
import { eventually, type IntakeAnswer, landed, listener, playbackSession, postEvents, qoe, redis } from "./helpers";

/** The confirmation runs after the answer (waitUntil): wait until the event's claim is confirmed. */
const confirmed = (eventId: string) =>
  eventually(async () => ((await redis.get(eventDedupeKey(eventId))) === "c" ? true : undefined), "a confirmed claim");

describe("claim and hand-off", () => {
  it("a claim left by a worker killed before sendBatch answers retry, and the resend after it lapses lands once", async () => {
    const { token, sub } = await listener();
    const session = await playbackSession(sub, "trk-handoff");
    const orphan = qoe(session.id);
    const other = qoe(session.id);
    // What a worker killed between the claim and sendBatch leaves behind: a pending claim that nobody confirms.
    await redis.set(eventDedupeKey(orphan.event_id as string), "p:killed-request", { ex: PENDING_CLAIM_SECONDS });

    const first = await postEvents(token, [orphan, other]);
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("2");
    const problem = (await first.json()) as IntakeAnswer & { code: string; detail: string };
    expect(problem.code).toBe("events-in-flight");
    expect(problem.results.map((r) => r.status)).toEqual(["retry", "accepted"]);
    expect(problem.detail).toContain("send those again");

    await confirmed(other.event_id as string);
    // The pending claim lapses (its TTL; deleted here so the test does not wait), and the resend is accepted.
    await redis.del(eventDedupeKey(orphan.event_id as string));
    const resent = await postEvents(token, [orphan, other]);
    expect(resent.status).toBe(200);
    const answer = (await resent.json()) as IntakeAnswer;
    expect(answer.results.map((r) => r.status)).toEqual(["accepted", "duplicate"]);

    const found = await landed([orphan.event_id as string, other.event_id as string], 2);
    expect(found.stored.map((s) => s.event_id).sort()).toEqual([orphan.event_id, other.event_id].sort());
  });

  it("confirms what the queue took: the claim becomes a lasting dedupe key", async () => {
    const { token, sub } = await listener();
    const session = await playbackSession(sub, "trk-handoff-2");
    const event = qoe(session.id);
    expect((await postEvents(token, [event])).status).toBe(200);
    const key = eventDedupeKey(event.event_id as string);
    await confirmed(event.event_id as string);
    expect(await redis.ttl(key)).toBeGreaterThan(DEDUPE_TTL_SECONDS - 600);
    const again = (await (await postEvents(token, [event])).json()) as IntakeAnswer;
    expect(again.results[0]?.status).toBe("duplicate");
  });
});
