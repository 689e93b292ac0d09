/**
 * The dead-letter path: when the origin keeps failing, the consumer retries with backoff up to the queue's limit, the
 * message goes to the dead-letter queue, whose consumer parks it whole at the origin; ops list it and replay it, and
 * it lands once. Who may call the ops endpoints: dead-letters.security.test.ts.
 */
import { describe, expect, it } from "vitest";
import { backoffSeconds } from "../src/consumer";
import {
  eventually,
  landed,
  landingFault,
  listener,
  lookup,
  opsFetch,
  originStats,
  play,
  playbackSession,
  postEvents,
} from "./helpers";

interface DeadLetterRow {
  batch_id: string;
  events: number;
  attempts: number;
  replayed_at: string | null;
}

async function pendingDeadLetters(): Promise<DeadLetterRow[]> {
  const res = await opsFetch("/v1/ops/events/dead-letters?status=pending");
  expect(res.status).toBe(200);
  return ((await res.json()) as { dead_letters: DeadLetterRow[] }).dead_letters;
}

describe("retry backoff", () => {
  it("doubles the wait per attempt from the configured base, capped at five minutes", () => {
    const env = { EVENTS_RETRY_DELAY_SECONDS: "2" };
    expect([1, 2, 3, 4, 5].map((n) => backoffSeconds(env, n))).toEqual([2, 4, 8, 16, 32]);
    expect(backoffSeconds(env, 20)).toBe(300);
  });
});

describe("dead-letter queue", () => {
  it("parks a batch the origin kept refusing, lists it for ops, and a replay lands it exactly once", async () => {
    const before = new Set((await pendingDeadLetters()).map((d) => d.batch_id));
    const { token, sub } = await listener();
    const session = await playbackSession(sub, "trk-dlq");
    const events = Array.from({ length: 10 }, (_, i) => play("play_progress", session.id, "trk-dlq", { ms_played: i }));
    const ids = events.map((e) => e.event_id as string);

    await landingFault("error", 1000);
    try {
      expect((await postEvents(token, events)).status).toBe(200);
      const parked = await eventually(async () => {
        const fresh = (await pendingDeadLetters()).filter((d) => !before.has(d.batch_id));
        return fresh.some((d) => d.events === 10) ? fresh : undefined;
      }, "the batch in the dead letters");
      expect((await lookup(ids)).stored).toHaveLength(0);
      const mine = parked.find((d) => d.events === 10) as DeadLetterRow;
      expect(mine.replayed_at).toBeNull();
      const stats = await originStats();
      expect(stats.dead_lettered.events).toBeGreaterThanOrEqual(10);
      expect(stats.in_flight).toBeGreaterThanOrEqual(10);

      await landingFault("none");
      const replay = await opsFetch("/v1/ops/events/dead-letters/replay", {
        method: "POST",
        body: JSON.stringify({ batch_ids: [mine.batch_id] }),
      });
      expect(replay.status).toBe(200);
      expect(await replay.json()).toMatchObject({ replayed: 1, events: 10, batch_ids: [mine.batch_id] });
      const found = await landed(ids, 10);
      expect(found.stored).toHaveLength(10);
      await eventually(
        async () => ((await pendingDeadLetters()).some((d) => d.batch_id === mine.batch_id) ? undefined : true),
        "the batch to leave the pending dead letters",
      );
      const replayed = (await (await opsFetch("/v1/ops/events/dead-letters?status=replayed")).json()) as {
        dead_letters: DeadLetterRow[];
      };
      expect(replayed.dead_letters.find((d) => d.batch_id === mine.batch_id)?.replayed_at).toEqual(expect.any(String));
    } finally {
      await landingFault("none");
    }
  }, 90_000);
});
