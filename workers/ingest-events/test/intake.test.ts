/**
 * POST /v1/events as a player meets it: per-event answers, dedupe, enrichment from the token and request.cf, refused
 * events kept as failed events with their reason, and every malformed request a 4xx problem+json that says what to fix.
 */
import { steeringKeys } from "@cadence/shared/steering/store";
import { describe, expect, it } from "vitest";
import {
  adBeacon,
  DAY,
  eventually,
  type IntakeAnswer,
  iso,
  landed,
  listener,
  play,
  playbackSession,
  postEvents,
  qoe,
  redis,
  uuid,
} from "./helpers";

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  return body as Record<string, unknown> & { detail: string };
}

describe("happy path", () => {
  it("accepts plays, ad beacons and QoE samples, and they land at the origin enriched from the token", async () => {
    const { token, sub } = await listener("premium@demo.test");
    const session = await playbackSession(sub, "trk-happy");
    const events = [
      play("play_start", session.id, "trk-happy", { position_ms: 0 }),
      play("play_progress", session.id, "trk-happy", { ms_played: 10_000 }),
      play("play_end", session.id, "trk-happy", { ms_played: 12_000, end_reason: "skip_forward" }),
      adBeacon("ad_first_quartile", session.id),
      qoe(session.id),
    ];
    const res = await postEvents(token, events);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as IntakeAnswer;
    expect(answer).toMatchObject({ accepted: 5, duplicate: 0, rejected: 0, retry: 0 });
    expect(answer.results.map((r) => r.status)).toEqual(Array(5).fill("accepted"));

    const ids = events.map((e) => e.event_id as string);
    const found = await landed(ids, 5);
    for (const row of found.stored) {
      expect(row).toMatchObject({ user_id: sub, tier: "premium", account_country: "DE", flags: [] });
      expect(row).toMatchObject({ country: "DE", colo: "FRA", asn: 3320 });
      expect(row.received_at).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(found.stored.map((r) => r.type).sort()).toEqual(
      ["ad_first_quartile", "play_end", "play_progress", "play_start", "qoe_segment"].sort(),
    );
  });

  it("feeds accepted QoE samples to steering's measurements for the client's region and CDN", async () => {
    const { token, sub } = await listener();
    const session = await playbackSession(sub, "trk-qoe");
    const region = steeringKeys.quality("country", "JP");
    await redis.del(region);
    const samples = [
      qoe(session.id, { cdn: "akamai" }),
      qoe(session.id, { cdn: "akamai", error: "timeout", bytes: 0 }),
    ];
    const res = await postEvents(token, samples, { cf: { country: "JP", continent: "AS", colo: "NRT", asn: 2516 } });
    expect(res.status).toBe(200);
    const hash = await eventually(async () => {
      const h = await redis.hgetall<Record<string, number>>(region);
      return h && Object.keys(h).some((k) => k.endsWith(":akamai:e")) ? h : undefined;
    }, "QoE samples in steering's measurements");
    const fetches = Object.entries(hash).filter(([k]) => k.endsWith(":akamai:n"));
    expect(fetches.reduce((n, [, v]) => n + Number(v), 0)).toBe(2);
  });

  it("accepts NDJSON", async () => {
    const { token, sub } = await listener();
    const session = await playbackSession(sub, "trk-ndjson");
    const events = [
      play("play_start", session.id, "trk-ndjson"),
      play("skip", session.id, "trk-ndjson", { position_ms: 5 }),
    ];
    const res = await postEvents(token, `${events.map((e) => JSON.stringify(e)).join("\n")}\n`, {
      contentType: "application/x-ndjson",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2 });
  });
});

describe("per-event answers", () => {
  it("answers a repeated event_id as duplicate, within a request and across requests, and stores it once", async () => {
    const { token, sub } = await listener();
    const session = await playbackSession(sub, "trk-dup");
    const first = play("play_start", session.id, "trk-dup");
    const res = await postEvents(token, [first, first]);
    const answer = (await res.json()) as IntakeAnswer;
    expect(answer.results.map((r) => r.status)).toEqual(["accepted", "duplicate"]);
    const again = (await (await postEvents(token, [first])).json()) as IntakeAnswer;
    expect(again.results[0]).toMatchObject({ event_id: first.event_id, status: "duplicate" });
    const found = await landed([first.event_id as string], 1);
    expect(found.stored).toHaveLength(1);
  });

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

  it("flags plays whose session was issued for another track, another account, or is unknown", async () => {
    const { token, sub } = await listener("hifi@demo.test");
    const mine = await playbackSession(sub, "trk-issued");
    const someoneElses = await playbackSession("another-account", "trk-other");
    const wrongTrack = play("play_start", mine.id, "trk-not-issued");
    const right = play("play_start", mine.id, "trk-issued");
    const notMine = play("play_start", someoneElses.id, "trk-other");
    const unknown = play("play_start", `ps-${uuid()}`, "trk-issued");
    const answer = (await (await postEvents(token, [wrongTrack, right, notMine, unknown])).json()) as IntakeAnswer;
    expect(answer.results.map((r) => r.flags ?? [])).toEqual([
      ["track-not-in-session"],
      [],
      ["session-user-mismatch"],
      ["session-unknown"],
    ]);
    const found = await landed(
      [wrongTrack, right, notMine, unknown].map((e) => e.event_id as string),
      4,
    );
    const flags = new Map(found.stored.map((s) => [s.event_id, s.flags]));
    expect(flags.get(wrongTrack.event_id as string)).toEqual(["track-not-in-session"]);
    expect(flags.get(right.event_id as string)).toEqual([]);
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

  it("refuses other content types with 415 and a missing token with 401", async () => {
    const { token } = await listener();
    await expectProblem(await postEvents(token, "x", { contentType: "text/plain" }), 415, "unsupported-media-type");
    await expectProblem(await postEvents(undefined, []), 401, "token-missing");
  });
});

describe("server-sent events (ads worker beacons)", () => {
  it("takes the account from the playback session when another worker sends with the service token", async () => {
    const { sub } = await listener("free@demo.test");
    const session = await playbackSession(sub, "trk-ad", { tier: "free", accountCountry: "US" });
    const beacon = adBeacon("ad_impression", session.id);
    const { env } = await import("cloudflare:workers");
    const res = await postEvents(undefined, [beacon], {
      path: "/v1/events/server",
      headers: { "x-service-token": env.SERVICE_TOKEN },
    });
    expect(res.status).toBe(200);
    const found = await landed([beacon.event_id as string], 1);
    expect(found.stored[0]).toMatchObject({ user_id: sub, tier: "free", account_country: "US" });
  });

  it("refuses server-sent events without the service token", async () => {
    await expectProblem(
      await postEvents(undefined, [adBeacon("ad_impression", "ps-x")], {
        path: "/v1/events/server",
        headers: { "x-service-token": "wrong" },
      }),
      401,
      "service-token-invalid",
    );
  });
});
