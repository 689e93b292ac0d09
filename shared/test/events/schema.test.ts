/**
 * The event schema's judgement of single events, and the VAST mapping the ads worker relies on.
 */
import { describe, expect, it } from "vitest";
import { AD_EVENT_TYPES, adEventTypeOf, VAST_TRACKING_EVENTS, vastEventOf } from "../../src/events/schema";
import { judgeEvent } from "../../src/events/validate";

const now = Date.parse("2026-11-20T12:00:00Z");
const base = {
  event_id: "6f1c1a52-3c7e-4a55-9d7e-6e6b1f0b9a10",
  session_id: "ps-1",
  client_ts: "2026-11-20T11:59:00Z",
};

describe("judgeEvent", () => {
  it("accepts each type with its fields", () => {
    const ok = [
      { ...base, type: "play_start", track_id: "t1" },
      { ...base, type: "play_progress", track_id: "t1", ms_played: 1 },
      { ...base, type: "play_end", track_id: "t1", ms_played: 1, end_reason: "completed" },
      { ...base, type: "skip", track_id: "t1", position_ms: 3 },
      { ...base, type: "seek", track_id: "t1", from_ms: 3, to_ms: 9 },
      { ...base, type: "ad_complete", ad_serving_id: "a", campaign_id: "c", creative_id: "cr" },
      { ...base, type: "qoe_segment", cdn: "akamai", rendition: "flac", bytes: 1, ttfb_ms: 1, download_ms: 1 },
    ];
    for (const event of ok) expect(judgeEvent(event, 100, now)).toMatchObject({ ok: true });
  });

  it("refuses with a reason and a detail that names the field", () => {
    expect(judgeEvent({ ...base, type: "play_end", track_id: "t", ms_played: 1 }, 100, now)).toMatchObject({
      ok: false,
      reason: "invalid-event",
      detail: expect.stringContaining("end_reason"),
      eventId: base.event_id,
    });
    expect(judgeEvent({ ...base, type: "play_start", track_id: "t" }, 20_000, now)).toMatchObject({
      reason: "event-too-large",
    });
    const late = { ...base, type: "play_start", track_id: "t", client_ts: "2026-10-20T11:00:00Z" };
    expect(judgeEvent(late, 100, now)).toMatchObject({ reason: "too-late" });
    const lateButFine = { ...base, type: "play_start", track_id: "t", client_ts: "2026-10-22T12:00:00Z" };
    expect(judgeEvent(lateButFine, 100, now)).toMatchObject({ ok: true });
    expect(judgeEvent([], 2, now)).toMatchObject({ reason: "not-an-object", eventId: null });
  });
});

describe("VAST mapping", () => {
  it("maps every VAST tracking event to one ad event type and back", () => {
    expect(VAST_TRACKING_EVENTS.map(adEventTypeOf)).toEqual([...AD_EVENT_TYPES]);
    for (const vast of VAST_TRACKING_EVENTS) expect(vastEventOf(adEventTypeOf(vast))).toBe(vast);
  });
});
