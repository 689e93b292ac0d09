/**
 * The no-loss proof. 20,000 distinct valid events (plays, ad beacons, QoE samples over many playback sessions and
 * three accounts) go through the real worker and queue, mixed with 1,000 re-sent duplicates, 300 malformed events and
 * 200 that are more than 30 days late, while things break for real: the origin drops the connection on landing calls
 * (down), then answers 500s, and the consumer crashes mid-batch after the origin confirmed (so confirmed messages are
 * redelivered). Whatever the retries could not save is in the dead-letter store and is replayed. After recovery the
 * store holds exactly the distinct valid events, none twice, every refused event is a failed event with its reason,
 * and the counts API balances.
 */

import { EVENTS_CONSUMER_CRASH_KEY } from "@cadence/shared/events/keys";
import { describe, expect, it } from "vitest";
import {
  consumerCrashes,
  DAY,
  type EventsStats,
  eventually,
  type IntakeAnswer,
  iso,
  landingFault,
  landingFaultState,
  listener,
  lookup,
  opsFetch,
  originStats,
  playbackSession,
  postEvents,
  redis,
  uuid,
} from "./helpers";

const VALID = 20_000;
const DUPLICATES = 1_000;
const MALFORMED = 300;
const LATE = 200;
const PER_REQUEST = 500;

type Item = { event: Record<string, unknown>; kind: "valid" | "duplicate" | "malformed" | "late" };

/** A deterministic pseudo-random sequence, so a failure can be reproduced. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

async function workload(): Promise<{ items: Item[]; accounts: Array<{ token: string }> }> {
  const accounts = await Promise.all(["premium@demo.test", "hifi@demo.test", "free@demo.test"].map((e) => listener(e)));
  const sessions = await Promise.all(
    Array.from({ length: 60 }, (_, i) => {
      const account = accounts[i % accounts.length] as { sub: string };
      return playbackSession(account.sub, `trk-noloss-${i % 20}`);
    }),
  );
  const random = rng(42);
  const now = Date.now();
  const valid: Item[] = [];
  for (let i = 0; i < VALID; i++) {
    const session = sessions[i % sessions.length] as { id: string; trackId: string };
    const base = { event_id: uuid(), session_id: session.id, client_ts: iso(now - Math.floor(random() * 20 * DAY)) };
    const kind = i % 10;
    let event: Record<string, unknown>;
    if (kind < 6) event = { ...base, type: "play_progress", track_id: session.trackId, ms_played: i % 240_000 };
    else if (kind === 6)
      event = { ...base, type: "play_end", track_id: session.trackId, ms_played: 31_000, end_reason: "completed" };
    else if (kind === 7)
      event = {
        ...base,
        type: "ad_midpoint",
        ad_serving_id: `srv-${i}`,
        campaign_id: "camp-noloss",
        creative_id: "cr-1",
      };
    else
      event = {
        ...base,
        type: "qoe_segment",
        cdn: "akamai",
        rendition: "aac-128",
        bytes: 96_000,
        ttfb_ms: 30,
        download_ms: 90,
      };
    valid.push({ event, kind: "valid" });
  }
  const items: Item[] = [...valid];
  for (let i = 0; i < DUPLICATES; i++) {
    items.push({ event: (valid[Math.floor(random() * VALID)] as Item).event, kind: "duplicate" });
  }
  for (let i = 0; i < MALFORMED; i++) {
    const session = sessions[i % sessions.length] as { id: string };
    // Missing ms_played on a progress event, or a CDN that does not exist.
    const event =
      i % 2 === 0
        ? { event_id: uuid(), type: "play_progress", session_id: session.id, track_id: "t", client_ts: iso(now) }
        : {
            event_id: uuid(),
            type: "qoe_segment",
            session_id: session.id,
            client_ts: iso(now),
            cdn: "fastly",
            rendition: "aac-128",
            bytes: 1,
            ttfb_ms: 1,
            download_ms: 1,
          };
    items.push({ event, kind: "malformed" });
  }
  for (let i = 0; i < LATE; i++) {
    const session = sessions[i % sessions.length] as { id: string; trackId: string };
    items.push({
      event: {
        event_id: uuid(),
        type: "play_end",
        session_id: session.id,
        track_id: session.trackId,
        ms_played: 60_000,
        end_reason: "completed",
        client_ts: iso(now - 35 * DAY),
      },
      kind: "late",
    });
  }
  // Shuffle, but keep every duplicate after its original so the original is the one accepted.
  const order = items.map((item, i) => ({ item, key: random() + (item.kind === "duplicate" ? 1 : 0), i }));
  order.sort((a, b) => a.key - b.key);
  return { items: order.map((o) => o.item), accounts };
}

const delta = (after: number, before: number) => after - before;

describe("no-loss proof", () => {
  it("lands exactly the distinct valid events through origin outages, 500s and consumer crashes", async () => {
    const { items, accounts } = await workload();
    const before: EventsStats = await originStats();

    // Faults, armed before the first event: the origin is down for the first landing calls, and the consumer
    // crashes after the origin confirmed its first batches.
    await landingFault("down", 8);
    await consumerCrashes(3);

    const answers: IntakeAnswer[] = [];
    const requests: Item[][] = [];
    for (let i = 0; i < items.length; i += PER_REQUEST) requests.push(items.slice(i, i + PER_REQUEST));
    let sent = 0;
    const sender = async () => {
      for (;;) {
        const index = sent++;
        const batch = requests[index];
        if (!batch) return;
        if (index === Math.floor(requests.length / 2)) await landingFault("error", 8); // then it answers 500s
        const account = accounts[index % accounts.length] as { token: string };
        // A duplicate whose original another sender is still queueing is answered `retry` (in flight): the client
        // sends those again, as a player does, until each is answered for good.
        let events = batch.map((b) => b.event);
        while (events.length > 0) {
          const res = await postEvents(account.token, events);
          const answer = (await res.json()) as IntakeAnswer & { code?: string };
          if (res.status === 503) expect(answer.code).toBe("events-in-flight");
          else expect(res.status).toBe(200);
          answers.push(answer);
          const retry = new Set(answer.results.filter((r) => r.status === "retry").map((r) => r.index));
          events = events.filter((_, i) => retry.has(i));
          if (events.length) await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    await Promise.all([sender(), sender(), sender()]);

    const answered = { accepted: 0, duplicate: 0, rejected: 0 };
    for (const a of answers) {
      answered.accepted += a.accepted;
      answered.duplicate += a.duplicate;
      answered.rejected += a.rejected;
    }
    expect(answered).toEqual({ accepted: VALID, duplicate: DUPLICATES, rejected: MALFORMED + LATE });

    // Recovery: wait until everything accepted has either landed or been parked as a dead letter, replay those,
    // and wait until nothing is in flight.
    const settled = async (): Promise<EventsStats | undefined> => {
      const now = await originStats();
      const stored = delta(now.stored, before.stored);
      const parked = delta(now.dead_lettered.events, before.dead_lettered.events);
      const failed =
        delta(now.failed.stored, before.failed.stored) +
        delta(now.dead_lettered.failed_events, before.dead_lettered.failed_events);
      return stored + parked === VALID && failed === MALFORMED + LATE ? now : undefined;
    };
    const afterFaults = await eventually(settled, "every accepted event landed or dead-lettered", 150_000);
    if (afterFaults.dead_lettered.batches > before.dead_lettered.batches) {
      const replay = await opsFetch("/v1/ops/events/dead-letters/replay", {
        method: "POST",
        body: JSON.stringify({ limit: 500 }),
      });
      expect(replay.status).toBe(200);
    }
    const after = await eventually(
      async () => {
        const now = await originStats();
        return delta(now.stored, before.stored) === VALID && now.in_flight === 0 ? now : undefined;
      },
      "all valid events stored and nothing in flight",
      120_000,
    );

    // The faults really happened.
    expect(await landingFaultState()).toEqual({ mode: "none", remaining: 0 });
    expect(Number((await redis.get(EVENTS_CONSUMER_CRASH_KEY)) ?? 0)).toBeLessThanOrEqual(0);

    // Exactly the distinct valid events are stored, once each; every refused event is a failed event with its reason.
    const validIds = items.filter((i) => i.kind === "valid").map((i) => i.event.event_id as string);
    const refused = items.filter((i) => i.kind === "malformed" || i.kind === "late");
    const found = await lookup([...validIds, ...refused.map((i) => i.event.event_id as string)]);
    expect(found.stored.length).toBe(VALID);
    expect(new Set(found.stored.map((s) => s.event_id))).toEqual(new Set(validIds));
    const reasons = new Map(found.failed.map((f) => [f.event_id, f.reason]));
    expect(found.failed.length).toBe(MALFORMED + LATE);
    for (const item of refused) {
      expect(reasons.get(item.event.event_id as string)).toBe(item.kind === "late" ? "too-late" : "invalid-event");
    }

    // The counts API agrees.
    expect(delta(after.accepted, before.accepted)).toBe(VALID);
    expect(delta(after.duplicates, before.duplicates)).toBe(DUPLICATES);
    expect(delta(after.stored, before.stored)).toBe(VALID);
    expect(delta(after.duplicates_at_origin, before.duplicates_at_origin)).toBe(0);
    expect(delta(after.failed.stored, before.failed.stored)).toBe(MALFORMED + LATE);
    expect(delta(after.failed.by_reason["too-late"] ?? 0, before.failed.by_reason["too-late"] ?? 0)).toBe(LATE);
    expect(delta(after.failed.by_reason["invalid-event"] ?? 0, before.failed.by_reason["invalid-event"] ?? 0)).toBe(
      MALFORMED,
    );
    expect(after.reconciliation.holds).toBe(true);
  }, 300_000);
});
