/**
 * What intake refuses as the caller's mistake: events that fail validation are answered `rejected` with their reason
 * (and kept as failed events), and a malformed request is a 4xx problem+json that says what to fix.
 */
import { describe, expect, it } from "vitest";
import {
  DAY,
  expectProblem,
  type IntakeAnswer,
  iso,
  landed,
  listener,
  play,
  playbackSession,
  postEvents,
  uuid,
} from "./helpers";

describe("per-event answers: rejected events", () => {
  it("rejects invalid, unknown, too-late and clock-ahead events with reasons and keeps them as failed events", async () => {
    const { token, sub } = await listener();
    const session = await playbackSession(sub, "trk-bad");
    const ok = play("play_start", session.id, "trk-bad");
    const noMsPlayed = play("play_progress", session.id, "trk-bad");
    const unknownType = play("play_paused", session.id, "trk-bad");
    const late = play("play_end", session.id, "trk-bad", {
      ms_played: 40_000,
      end_reason: "completed",
      client_ts: iso(Date.now() - 31 * DAY),
    });
    const ahead = play("play_start", session.id, "trk-bad", { client_ts: iso(Date.now() + 2 * DAY) });
    const badVersion = play("play_start", session.id, "trk-bad", { v: 7 });
    const notUuid = play("play_start", session.id, "trk-bad", { event_id: "not-a-uuid" });
    const res = await postEvents(token, [ok, noMsPlayed, unknownType, late, ahead, badVersion, notUuid, 42]);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as IntakeAnswer;
    expect(answer).toMatchObject({ accepted: 1, rejected: 7 });
    const reasons = answer.results.map((r) => r.reason ?? r.status);
    expect(reasons).toEqual([
      "accepted",
      "invalid-event",
      "unknown-type",
      "too-late",
      "clock-ahead",
      "unsupported-version",
      "invalid-event",
      "not-an-object",
    ]);
    expect(JSON.stringify(answer.results[1])).toContain("ms_played");
    expect(JSON.stringify(answer.results[3])).toContain("30 days");

    const ids = [noMsPlayed, unknownType, late, ahead, badVersion].map((e) => e.event_id as string);
    const found = await landed([ok.event_id as string, ...ids], 1, 5);
    const byId = new Map(found.failed.map((f) => [f.event_id, f]));
    expect(byId.get(late.event_id as string)).toMatchObject({ reason: "too-late" });
    expect(byId.get(unknownType.event_id as string)).toMatchObject({ reason: "unknown-type" });
    expect(JSON.parse(byId.get(noMsPlayed.event_id as string)?.raw ?? "{}")).toMatchObject({ type: "play_progress" });
  });
});

describe("malformed requests", () => {
  it("a body that is not JSON is a 400 saying where it broke", async () => {
    const { token } = await listener();
    const body = await expectProblem(await postEvents(token, '[{"event_id": "x",\n  "type": }]'), 400, "bad-request");
    expect(body.detail).toContain("line 2, column 11");
  });

  it("an NDJSON line that is not JSON is a 400 naming the line", async () => {
    const { token, sub } = await listener();
    const session = await playbackSession(sub, "trk-nd");
    const good = JSON.stringify(play("play_start", session.id, "trk-nd"));
    const body = await expectProblem(
      await postEvents(token, `${good}\n{"event_id": nope}\n`, { contentType: "application/x-ndjson" }),
      400,
      "bad-request",
    );
    expect(body).toMatchObject({ line: 2 });
    expect(body.detail).toContain("line 2");
  });

  it("a body that is not an array, or an empty one, is a 400", async () => {
    const { token } = await listener();
    await expectProblem(await postEvents(token, { event_id: uuid() }), 400, "bad-request");
    await expectProblem(await postEvents(token, []), 400, "bad-request");
  });

  it("more than 500 events or 512 KB is a 413 naming both limits", async () => {
    const { token, sub } = await listener();
    const session = await playbackSession(sub, "trk-big");
    const many = Array.from({ length: 501 }, () => play("play_start", session.id, "trk-big"));
    const tooMany = await expectProblem(await postEvents(token, many), 413, "payload-too-large");
    expect(tooMany).toMatchObject({ max_events: 500, max_bytes: 524_288 });
    expect(tooMany.detail).toContain("500 events");
    expect(tooMany.detail).toContain("512 KB");
    const padded = [play("play_start", session.id, "trk-big", { device_id: "d", padding: "x".repeat(530_000) })];
    const tooBig = await expectProblem(await postEvents(token, padded), 413, "payload-too-large");
    expect(tooBig.detail).toContain("512 KB");
  });

  it("refuses other content types with 415", async () => {
    const { token } = await listener();
    await expectProblem(await postEvents(token, "x", { contentType: "text/plain" }), 415, "unsupported-media-type");
  });
});
