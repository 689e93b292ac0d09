/**
 * Packing events into queue messages: every message under 128 KB, every sendBatch call under 100 messages and 256 KB,
 * every event exactly once, and each message valid JSON the origin's schema can read back.
 */
import { describe, expect, it } from "vitest";
import { QUEUE_MAX_BATCH_BYTES, QUEUE_MAX_BATCH_MESSAGES, QUEUE_MAX_MESSAGE_BYTES } from "../../src/events/limits";
import { groupForSendBatch, packMessages, utf8Length } from "../../src/events/message";

function items(count: number, size: (i: number) => number): string[] {
  return Array.from({ length: count }, (_, i) => JSON.stringify({ i, pad: "é".repeat(size(i)) }));
}

describe("packMessages / groupForSendBatch", () => {
  it("keeps messages and sendBatch calls within the queue's limits and carries every item once", () => {
    const events = items(2_000, (i) => (i * 7919) % 6_000);
    const failures = items(300, (i) => (i * 104_729) % 2_000);
    const messages = packMessages(events, failures);
    for (const m of messages) {
      expect(utf8Length(m.body)).toBeLessThanOrEqual(QUEUE_MAX_MESSAGE_BYTES);
      expect(utf8Length(m.body)).toBe(m.bytes);
      const parsed = JSON.parse(m.body) as { batch_id: string; events: unknown[]; failures: unknown[] };
      expect(parsed.events).toHaveLength(m.eventIndexes.length);
      expect(parsed.failures).toHaveLength(m.failureIndexes.length);
    }
    expect(messages.flatMap((m) => m.eventIndexes).sort((a, b) => a - b)).toEqual(events.map((_, i) => i));
    expect(messages.flatMap((m) => m.failureIndexes).sort((a, b) => a - b)).toEqual(failures.map((_, i) => i));
    expect(new Set(messages.map((m) => m.batchId)).size).toBe(messages.length);

    const groups = groupForSendBatch(messages);
    expect(groups.flat()).toEqual(messages);
    for (const g of groups) {
      expect(g.length).toBeLessThanOrEqual(QUEUE_MAX_BATCH_MESSAGES);
      expect(g.reduce((n, m) => n + m.bytes, 0)).toBeLessThanOrEqual(QUEUE_MAX_BATCH_BYTES);
    }
  });

  it("caps a sendBatch at 100 messages even when they are small", () => {
    const messages = packMessages(
      items(250, () => 0),
      [],
      undefined,
      110,
    ); // one item per message
    expect(messages.length).toBe(250);
    expect(groupForSendBatch(messages).map((g) => g.length)).toEqual([100, 100, 50]);
  });
});
