/**
 * Engine parity: the same history (generated, imported through the backfill), the same live landing with duplicates,
 * and then the same rows appended a second time behind the landing's back (what ClickHouse holds until its
 * ReplacingMergeTree merges), on DuckDB and on a real two-shard ClickHouse cluster. Every warehouse query answers the
 * same on both engines, and the same before and after the extra copies: counting is exact despite lazy dedupe.
 */
import { EVENTS_MESSAGE_VERSION, type EventsMessage } from "@cadence/shared/events/message";
import { describe, expect, it } from "vitest";
import * as dashboard from "../../src/dashboard/queries";
import { landMessages } from "../../src/events/store";
import { backfillChunk } from "../../src/history/backfill";
import { demoHistoryChunks } from "../../src/history/demo-history";
import { type FactRow, type FactTableName, num } from "../../src/warehouse/engine";
import { FACT_TABLE_NAMES } from "../../src/warehouse/tables";
import type { Warehouse } from "../../src/warehouse/warehouse";
import { freshClickHouse, freshDuckDb } from "./engines";

const NOW = Date.UTC(2026, 10, 14, 18, 0, 0);
const RANGE = { from: "2026-10-01", to: "2026-11-14" };

async function answers(w: Warehouse, sampleIds: string[]) {
  const byDay = { ...RANGE, granularity: "day" as const };
  const byMonth = { ...RANGE, granularity: "month" as const };
  const inGermany = { ...byDay, country: "DE" };
  return {
    storedByType: await w.storedByType(),
    qualifiedStreams: await w.qualifiedStreams({ ...RANGE, limit: 1000 }),
    qualifiedStreamsOneTrack: await w.qualifiedStreams({ ...RANGE, trackId: "trk_qzcad2600001", limit: 50 }),
    lookup: (await w.lookup(sampleIds)).sort((a, b) => a.event_id.localeCompare(b.event_id)),
    activityDaily: await dashboard.activity(w, byDay),
    activityMonthly: await dashboard.activity(w, byMonth),
    totalsDaily: await dashboard.totals(w, byDay),
    totalsMonthlyGermany: await dashboard.totals(w, { ...byMonth, country: "DE" }),
    listeners: await dashboard.listenersInRange(w, byMonth),
    streams: await dashboard.qualifiedStreams(w, byMonth),
    streamsGermany: await dashboard.qualifiedStreams(w, inGermany),
    egress: await dashboard.cdnEgress(w, byDay),
    ads: await dashboard.adDelivery(w, byMonth),
  };
}

/** Every fact row once more, read from the engine and appended again as is. */
async function appendCopies(w: Warehouse): Promise<number> {
  let copied = 0;
  for (const table of FACT_TABLE_NAMES) {
    const rows = await w.engine.rows(`SELECT * FROM ${table} ORDER BY event_id LIMIT 3000`);
    const facts = rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          typeof v === "bigint" ||
          (typeof v === "string" && /^-?\d+$/.test(v) && k !== "event_id" && INT_COLUMNS.has(k))
            ? Number(v)
            : (v as string | number | null),
        ]),
      ),
    ) as FactRow[];
    await w.engine.insert(table as FactTableName, facts);
    copied += facts.length;
  }
  return copied;
}
const INT_COLUMNS = new Set([
  "ms_played",
  "position_ms",
  "from_ms",
  "to_ms",
  "disqualified",
  "asn",
  "client_ts",
  "received_at",
  "stored_at",
  "offset_ms",
  "bytes",
  "ttfb_ms",
  "download_ms",
  "http_status",
]);

async function load(target: { warehouse: Warehouse; db: Parameters<typeof backfillChunk>[0] }) {
  let lines = 0;
  let firstIds: string[] = [];
  for (const chunk of demoHistoryChunks({ listeners: 120, now: NOW, seed: 7 }, 4000)) {
    const report = await backfillChunk(target.db, target.warehouse, chunk, { now: NOW });
    expect(report.refused.total).toBe(0);
    lines += report.lines;
    if (!firstIds.length)
      firstIds = chunk
        .split("\n")
        .filter(Boolean)
        .slice(0, 40)
        .map((l) => JSON.parse(l).event_id);
  }
  // A live batch that repeats 10 stored events and carries 2 new ones, landed twice (a redelivery).
  const stored = await target.warehouse.lookup(firstIds.slice(0, 10));
  const body: EventsMessage = {
    v: EVENTS_MESSAGE_VERSION,
    batch_id: "7a1c2f1e-3c7b-4a51-9a7e-0c5f1d2e3a4b",
    events: [
      ...stored.map((s, i) => ({
        event_id: s.event_id,
        type: "play_start" as const,
        session_id: `ses_live_${i}`,
        track_id: "trk_qzcad2600001",
        client_ts: new Date(s.client_ts).toISOString(), // a resend: the same event, so the same time
        edge: edge(),
      })),
      ...[1, 2].map((i) => ({
        event_id: `0b7d6a3c-1f2e-4d5c-8b9a-00000000000${i}`,
        type: "play_end" as const,
        session_id: `ses_live_new_${i}`,
        track_id: "trk_qzcad2600001",
        ms_played: 45_000,
        end_reason: "completed" as const,
        client_ts: new Date(NOW - 3600_000).toISOString(),
        edge: edge(),
      })),
    ],
    failures: [],
  };
  const first = await landMessages(target.db, target.warehouse, [{ id: "m1", attempts: 1, body }]);
  const again = await landMessages(target.db, target.warehouse, [{ id: "m1", attempts: 2, body }]);
  return { lines, firstIds, first, again };
}

const edge = () => ({
  user_id: "acc_live_1",
  tier: "premium" as const,
  account_country: "DE",
  country: "DE",
  colo: "FRA",
  asn: 3320,
  received_at: NOW - 3500_000,
  request_id: "req-live",
  flags: [],
  source: "client" as const,
});

describe("warehouse engine parity (DuckDB and two-shard ClickHouse)", () => {
  it("answers every query the same on both engines, exactly, before and after duplicate copies", async () => {
    const duck = await freshDuckDb();
    const click = await freshClickHouse();
    const [d, c] = [await load(duck), await load(click)];
    expect(d.first).toEqual([
      { id: "m1", batch_id: expect.any(String), status: "stored", inserted: 2, duplicates: 10, failures: 0 },
    ]);
    expect(c.first).toEqual(d.first);
    expect(d.again).toEqual([{ id: "m1", batch_id: expect.any(String), status: "already-landed" }]);
    expect(c.again).toEqual(d.again);

    const duckAnswers = await answers(duck.warehouse, d.firstIds);
    const clickAnswers = await answers(click.warehouse, d.firstIds);
    expect(clickAnswers).toEqual(duckAnswers);
    // The history is all there: every line stored once, plus the 2 new live events.
    const stored = Object.values(duckAnswers.storedByType).reduce((n, v) => n + v, 0);
    expect(stored).toBe(d.lines + 2);
    expect(duckAnswers.qualifiedStreams.total).toBeGreaterThan(100);
    expect(duckAnswers.egress.length).toBeGreaterThan(10);
    expect(duckAnswers.ads.reduce((n, r) => n + r.impressions, 0)).toBeGreaterThan(10);

    // Rows present twice on both engines (ClickHouse: until a merge) change no answer.
    const copiedDuck = await appendCopies(duck.warehouse);
    const copiedClick = await appendCopies(click.warehouse);
    expect(copiedClick).toBe(copiedDuck);
    const [rawDuck] = await duck.warehouse.engine.rows("SELECT count(*) AS n FROM plays");
    const [rawClick] = await click.warehouse.engine.rows("SELECT count(*) AS n FROM plays");
    const distinctPlays = Object.entries(duckAnswers.storedByType)
      .filter(([type]) => ["play_start", "play_end", "skip"].includes(type))
      .reduce((n, [, v]) => n + v, 0);
    expect(num(rawDuck?.n)).toBeGreaterThan(distinctPlays);
    expect(num(rawClick?.n)).toBe(num(rawDuck?.n));
    expect(await answers(duck.warehouse, d.firstIds)).toEqual(duckAnswers);
    expect(await answers(click.warehouse, d.firstIds)).toEqual(duckAnswers);

    await click.warehouse.engine.close();
    await duck.warehouse.engine.close();
  });
});
