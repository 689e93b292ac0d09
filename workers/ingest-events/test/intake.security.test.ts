/**
 * Who may send events and on whose behalf: a listener needs an access token, another worker the service token, and
 * plays on sessions that were issued for another track or account (or never issued) are flagged, never taken at face
 * value.
 */
import { describe, expect, it } from "vitest";
import {
  adBeacon,
  expectProblem,
  type IntakeAnswer,
  landed,
  listener,
  play,
  playbackSession,
  postEvents,
  uuid,
} from "./helpers";

describe("tokens", () => {
  it("refuses a missing token with 401", async () => {
    await expectProblem(await postEvents(undefined, []), 401, "token-missing");
  });

  it("refuses server-sent events without the service token", async () => {
    await expectProblem(
      await postEvents(undefined, [adBeacon("ad_impression", "ps-x")], {
        path: "/v1/internal/events/server",
        headers: { "x-service-token": "wrong" },
      }),
      401,
      "service-token-invalid",
    );
  });

  it("does not take server-sent events at the old public path", async () => {
    const { env } = await import("cloudflare:workers");
    const res = await postEvents(undefined, [adBeacon("ad_impression", "ps-x")], {
      path: "/v1/events/server",
      headers: { "x-service-token": env.SERVICE_TOKEN },
    });
    expect(res.status).toBe(404);
  });
});

describe("sessions that are not the sender's", () => {
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
