/**
 * POST /v1/events as a player meets it: per-event answers, dedupe, enrichment from the token and request.cf, and the
 * same intake for other workers (`POST /v1/internal/events/server`, service token). Refused events and malformed
 * requests: intake.errors.test.ts; tokens, service tokens and sessions that are not the sender's:
 * intake.security.test.ts.
 */
import { steeringKeys } from "@cadence/shared/steering/store";
import { describe, expect, it } from "vitest";
import {
  adBeacon,
  eventually,
  type IntakeAnswer,
  landed,
  listener,
  play,
  playbackSession,
  postEvents,
  qoe,
  redis,
} from "./helpers";

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
});

describe("server-sent events (ads worker beacons)", () => {
  it("takes the account from the playback session when another worker sends with the service token", async () => {
    const { sub } = await listener("free@demo.test");
    const session = await playbackSession(sub, "trk-ad", { tier: "free", accountCountry: "US" });
    const beacon = adBeacon("ad_impression", session.id);
    const { env } = await import("cloudflare:workers");
    const res = await postEvents(undefined, [beacon], {
      path: "/v1/internal/events/server",
      headers: { "x-service-token": env.SERVICE_TOKEN },
    });
    expect(res.status).toBe(200);
    const found = await landed([beacon.event_id as string], 1);
    expect(found.stored[0]).toMatchObject({ user_id: sub, tier: "free", account_country: "US" });
  });
});
