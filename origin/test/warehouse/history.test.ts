/**
 * History into the warehouse (DuckDB): the backfill endpoint imports events of any age through intake's rules,
 * reports every refusal with its line and reason, imports nothing twice when run again, and keeps the events
 * reconciliation balanced; the dashboard answers from what was imported; a data folder from before the warehouse is
 * carried forward.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { demoHistoryChunks } from "../../src/history/demo-history";
import { carryForwardLegacyEvents } from "../../src/warehouse/carry-forward";
import { freshOrigin } from "../helpers";
import { freshDuckDb } from "./engines";

const listener = { user_id: "acc_hist_1", tier: "premium", account_country: "DE", country: "DE" };
const TWO_YEARS_AGO = new Date(Date.now() - 730 * 86_400_000).toISOString();
const uuid = () => crypto.randomUUID();

async function setup() {
  const origin = await freshOrigin();
  const edge = { "x-service-token": origin.config.SERVICE_TOKEN };
  const backfill = (body: string, query = "", headers: Record<string, string> = {}) =>
    origin.request(`/v1/internal/history/backfill${query}`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", ...edge, ...headers },
      body,
    });
  const get = (path: string) => origin.request(path, { headers: edge });
  return { origin, backfill, get };
}

describe("backfill", () => {
  it("imports old events, reports refusals by line and reason, and imports nothing twice", async () => {
    const { origin, backfill, get } = await setup();
    const id = uuid();
    const lines = [
      { event_id: id, type: "play_start", session_id: "ses_h1", track_id: "trk_a", client_ts: TWO_YEARS_AGO, listener },
      {
        event_id: uuid(),
        type: "play_end",
        session_id: "ses_h1",
        track_id: "trk_a",
        ms_played: 95_000,
        end_reason: "completed",
        client_ts: TWO_YEARS_AGO,
        listener,
      },
      { event_id: id, type: "play_start", session_id: "ses_h1", track_id: "trk_a", client_ts: TWO_YEARS_AGO, listener },
      {
        event_id: uuid(),
        type: "play_progress",
        session_id: "ses_h1",
        track_id: "trk_a",
        client_ts: TWO_YEARS_AGO,
        listener,
      },
      { event_id: uuid(), type: "play_start", session_id: "ses_h2", track_id: "trk_a", client_ts: TWO_YEARS_AGO },
    ].map((l) => JSON.stringify(l));
    const body = `${lines.slice(0, 4).join("\n")}\nnot json\n${lines[4]}\n`;
    const res = await backfill(body, "?first_line=101&source=history.ndjson");
    expect(res.status).toBe(200);
    const report = (await res.json()) as Record<string, unknown>;
    expect(report).toMatchObject({
      lines: 6,
      stored: 2,
      duplicates: 1,
      already_landed: false,
      refused: { total: 3, by_reason: { "invalid-event": 1, "not-json": 1, "listener-invalid": 1 } },
    });
    const samples = (report.refused as { samples: Array<{ line: number; reason: string; detail: string }> }).samples;
    expect(samples.map((s) => [s.line, s.reason])).toEqual([
      [104, "invalid-event"],
      [105, "not-json"],
      [106, "listener-invalid"],
    ]);
    expect(samples[0]?.detail).toContain("ms_played");

    // The same file again lands nothing; the same events in another chunk are duplicates.
    expect(await (await backfill(body, "?first_line=101&source=history.ndjson")).json()).toMatchObject({
      stored: 0,
      already_landed: true,
    });
    expect(await (await backfill(`${lines[0]}\n${lines[1]}\n`)).json()).toMatchObject({ stored: 0, duplicates: 2 });

    // Imported events are stored with the listener's context, and the reconciliation counts them as backfilled.
    const stats = (await (await get("/v1/internal/events/stats?from=2020-01-01&to=2030-01-01")).json()) as {
      stored: number;
      backfilled: { events: number };
      reconciliation: { holds: boolean };
      qualified_streams: { total: number };
    };
    expect(stats).toMatchObject({ stored: 2, backfilled: { events: 2 }, reconciliation: { holds: true } });
    // History has no playback sessions for the earned-play review: its streams are counted from the warehouse.
    expect(stats.qualified_streams.total).toBe(0);
    const day = TWO_YEARS_AGO.slice(0, 10);
    const fromWarehouse = await origin.services.warehouse.qualifiedStreams({ from: day, to: day, limit: 5 });
    expect(fromWarehouse.total).toBe(1);
  });

  it("refuses callers without the edge's token, other content types and empty bodies", async () => {
    const { origin, backfill } = await setup();
    const anonymous = await origin.request("/v1/internal/history/backfill", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: "{}\n",
    });
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    expect((await backfill("{}", "", { "content-type": "application/xml" })).status).toBe(415);
    expect((await backfill("\n\n")).status).toBe(400);
    expect((await backfill("{}\n", "?first_line=0")).status).toBe(400);
  });
});

describe("dashboard", () => {
  it("answers plays, streams, listeners, CDN cost and ads from the warehouse, revenue labelled unavailable", async () => {
    const { backfill, get } = await setup();
    const now = Date.UTC(2026, 10, 20, 12);
    for (const chunk of demoHistoryChunks({ listeners: 60, now, seed: 3 }, 20_000)) {
      expect((await backfill(chunk)).status).toBe(200);
    }
    const res = await get("/v1/internal/ops/dashboard?from=2026-10-01&to=2026-11-20&granularity=month");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      summary: Record<string, unknown>;
      periods: Array<{ period: string; plays: number; qualified_streams: number }>;
      cdn_egress: Array<{ cdn: string; cost: string }>;
      revenue: Record<string, unknown>;
    };
    expect(body.periods.map((p) => p.period)).toEqual(["2026-10", "2026-11"]);
    for (const p of body.periods) expect(p.qualified_streams).toBeLessThanOrEqual(p.plays);
    expect(body.summary).toMatchObject({
      plays: expect.any(Number),
      active_listeners: expect.any(Number),
      cdn_cost: expect.stringMatching(/^\d+(\.\d+)?$/),
      ad_impressions: expect.any(Number),
    });
    expect(body.summary.active_listeners).toBeGreaterThan(10);
    expect(new Set(body.cdn_egress.map((e) => e.cdn))).toEqual(new Set(["cloudflare", "akamai", "cloudfront"]));
    expect(body.revenue).toMatchObject({ available: false, reason: "no revenue data yet", arpu: null });

    const germany = (await (
      await get("/v1/internal/ops/dashboard?from=2026-10-01&to=2026-11-20&granularity=month&country=DE")
    ).json()) as { summary: { plays: number } };
    expect(germany.summary.plays).toBeGreaterThan(0);
    expect(germany.summary.plays).toBeLessThan(body.summary.plays as number);
  });

  it("refuses a bad range with a problem saying what to fix", async () => {
    const { get } = await setup();
    for (const query of [
      "?from=2026-02-01&to=2026-01-01",
      "?from=2020-01-01&to=2026-01-01",
      "?granularity=week",
      "?country=de",
    ]) {
      const res = await get(`/v1/internal/ops/dashboard${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});

describe("carry forward", () => {
  it("copies event facts a data folder kept in libSQL into the warehouse, once", async () => {
    const { db, warehouse } = await freshDuckDb();
    const id = uuid();
    await db.run(sql`INSERT INTO event_ledger (event_id, type, session_id, user_id, batch_id, request_id, client_ts, received_at, stored_at)
      VALUES (${id}, 'play_end', 'ses_old', 'acc_old', 'batch_old', 'req_old', 1700000000000, 1700000000100, 1700000000200)`);
    await db.run(sql`INSERT INTO plays (event_id, type, session_id, track_id, ms_played, end_reason, disqualified, user_id, tier, country, client_ts, received_at, flags)
      VALUES (${id}, 'play_end', 'ses_old', 'trk_old', 40000, 'completed', 0, 'acc_old', 'free', 'US', 1700000000000, 1700000000100, '')`);
    expect(await carryForwardLegacyEvents(db, warehouse)).toBe(1);
    expect(await carryForwardLegacyEvents(db, warehouse)).toBe(0);
    expect(await warehouse.lookup([id])).toMatchObject([
      { event_id: id, type: "play_end", user_id: "acc_old", tier: "free", country: "US", batch_id: "batch_old" },
    ]);
    // Plays stay in libSQL too: the earned-play judge reads its working set there.
    expect(await db.all(sql`SELECT event_id FROM plays`)).toEqual([{ event_id: id }]);
    expect((await warehouse.qualifiedStreams({ from: "2023-11-14", to: "2023-11-14", limit: 5 })).total).toBe(1);
  });
});
