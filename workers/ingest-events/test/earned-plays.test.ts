/**
 * Qualified streams are earned: through the real intake, queue and origin, a play counts only if the playback worker
 * minted its session for that listener, device and track, its listening fits the session's lifetime, and the media was
 * served to it. Each fraud of the issue (an unminted session, another listener's session, a track not in the session,
 * more listening than the session lasted, no segments served) is kept, flagged with its reason and excluded; a real
 * play counts. Ops see the flags in the fraud report and can clear one (it then counts) or confirm one, audited.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  eventually,
  landed,
  listener,
  originStats,
  play,
  playbackSession,
  postEvents,
  serveMedia,
  tokenFor,
  uuid,
} from "./helpers";

interface FraudReport {
  streams: Record<string, number>;
  flags_by_reason: Record<string, number>;
  accounts: Array<{ user_id: string; flagged: number; reasons: Record<string, number> }>;
  tracks: Array<{ track_id: string; flagged: number }>;
  pending: Array<{ session_id: string; user_id: string | null; track_id: string; reasons: string[] }>;
}

async function origin<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${env.ORIGIN_URL}${path}`, {
    ...init,
    headers: { "x-service-token": env.SERVICE_TOKEN, "content-type": "application/json", ...init.headers },
  });
  return { status: res.status, body: (await res.json()) as T };
}

const listened = (sessionId: string, trackId: string, ms: number, device?: string) => [
  play("play_start", sessionId, trackId, device ? { device_id: device } : {}),
  play("play_end", sessionId, trackId, {
    ms_played: ms,
    end_reason: "completed",
    ...(device ? { device_id: device } : {}),
  }),
];

describe("qualified streams are earned", () => {
  it("counts a real play and none of the frauds, which are kept with their reasons for ops", async () => {
    const { token, sub } = await listener("premium@demo.test");
    const other = await listener("free@demo.test");
    const track = `trk-earned-${uuid()}`;
    const now = Date.now();
    const started = { createdAt: now - 200_000, expiresAt: now + 600_000 };

    const real = await playbackSession(sub, track, started);
    await serveMedia(real.id, 190);
    const unminted = `ps-${uuid()}`;
    const othersSession = await playbackSession(other.sub, track, started);
    await serveMedia(othersSession.id, 190);
    const otherTrack = await playbackSession(sub, `trk-other-${uuid()}`, started);
    await serveMedia(otherTrack.id, 190);
    const tooShortLived = await playbackSession(sub, track, { createdAt: now - 60_000, expiresAt: now + 600_000 });
    await serveMedia(tooShortLived.id, 190);
    const unserved = await playbackSession(sub, track, started);
    const otherDevice = await playbackSession(sub, track, started);
    await serveMedia(otherDevice.id, 190);

    const events = [
      ...listened(real.id, track, 180_000, real.deviceId),
      ...listened(unminted, track, 180_000),
      ...listened(othersSession.id, track, 180_000),
      ...listened(otherTrack.id, track, 180_000),
      ...listened(tooShortLived.id, track, 180_000),
      ...listened(unserved.id, track, 180_000),
      ...listened(otherDevice.id, track, 180_000, "a-device-farm-phone"),
    ];
    const res = await postEvents(token, events);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(events.length);
    await landed(
      events.map((e) => e.event_id as string),
      events.length,
    );

    const report = await eventually(async () => {
      const r = await origin<FraudReport>("/v1/internal/fraud/report?limit=500");
      const mine = r.body.pending.filter((p) => p.track_id === track || p.session_id === otherTrack.id);
      return mine.length === 6 ? { r: r.body, mine } : undefined;
    }, "six flagged sessions");
    const reasons = Object.fromEntries(report.mine.map((p) => [p.session_id, p.reasons]));
    expect(reasons).toEqual({
      [unminted]: ["session-unknown"],
      [othersSession.id]: ["session-user-mismatch"],
      [otherTrack.id]: ["track-not-in-session"],
      [tooShortLived.id]: ["listening-exceeds-session"],
      [unserved.id]: ["media-not-served"],
      [otherDevice.id]: ["device-not-in-session"],
    });
    for (const reason of ["session-unknown", "session-user-mismatch", "media-not-served"]) {
      expect(report.r.flags_by_reason[reason]).toBeGreaterThanOrEqual(1);
    }
    expect(report.r.accounts.find((a) => a.user_id === sub)?.flagged).toBeGreaterThanOrEqual(4);
    expect(report.r.tracks.find((t) => t.track_id === track)?.flagged).toBeGreaterThanOrEqual(5);

    // Only the real play is a qualified stream.
    const stats = await originStats(`?track_id=${track}`);
    expect(stats.qualified_streams.total).toBe(1);

    // Ops clear one (it counts from then on) and confirm another (it never will); both are audited.
    const decided = await origin<{ results: Array<{ session_id: string; status: string; previous?: string }> }>(
      "/v1/internal/fraud/decisions",
      {
        method: "POST",
        body: JSON.stringify({
          actor: { sub: "ops-tester", email: "ops@demo.test" },
          decisions: [
            { session_id: unserved.id, decision: "clear", note: "CDN logs arrived late" },
            { session_id: tooShortLived.id, decision: "confirm" },
            { session_id: "ps-no-such-session", decision: "clear" },
          ],
        }),
      },
    );
    expect(decided.status).toBe(200);
    expect(decided.body.results).toEqual([
      { session_id: unserved.id, status: "cleared", previous: "flagged" },
      { session_id: tooShortLived.id, status: "confirmed", previous: "flagged" },
      { session_id: "ps-no-such-session", status: "not-found" },
    ]);
    expect((await originStats(`?track_id=${track}`)).qualified_streams.total).toBe(2);
    const audit = await origin<{
      entries: Array<{ action: string; actor: { sub: string }; new: { session_id: string } }>;
    }>("/v1/internal/audit?entity=stream-verdict&limit=10");
    expect(audit.body.entries.map((e) => [e.action, e.new.session_id, e.actor.sub])).toEqual(
      expect.arrayContaining([
        ["fraud.stream.clear", unserved.id, "ops-tester"],
        ["fraud.stream.confirm", tooShortLived.id, "ops-tester"],
      ]),
    );

    // A decision sticks when the session's later events are judged again.
    await postEvents(token, [play("play_progress", tooShortLived.id, track, { ms_played: 190_000 })]);
    await eventually(async () => {
      const r = await origin<FraudReport>("/v1/internal/fraud/report?limit=500");
      return r.body.pending.some((p) => p.session_id === tooShortLived.id) ? undefined : true;
    }, "the confirmed session to stay out of the pending list");
    expect((await originStats(`?track_id=${track}`)).qualified_streams.total).toBe(2);
  }, 60_000);

  it("refuses a report window that is not a calendar day, and decisions that are not clear or confirm", async () => {
    const bad = await origin<{ code: string; detail: string }>("/v1/internal/fraud/report?to=2026-01-32");
    expect(bad.status).toBe(400);
    const wrong = await origin<{ code: string }>("/v1/internal/fraud/decisions", {
      method: "POST",
      body: JSON.stringify({ actor: { sub: "x" }, decisions: [{ session_id: "s", decision: "delete" }] }),
    });
    expect(wrong.status).toBe(400);
  });
});

describe("implausible patterns", () => {
  /** Waits until the session was judged: a qualified stream of its track, or a flagged session; says which. */
  async function judged(session: { id: string; trackId: string }): Promise<string[]> {
    return eventually(async () => {
      const flagged = (await origin<FraudReport>("/v1/internal/fraud/report?limit=500")).body.pending.find(
        (p) => p.session_id === session.id,
      );
      if (flagged) return flagged.reasons;
      const stats = await originStats(`?track_id=${session.trackId}`);
      return stats.qualified_streams.total > 0 ? [] : undefined;
    }, `session ${session.id} judged`);
  }

  it("flags many accounts on one device, from the fourth in a day", async () => {
    const device = `farm-phone-${uuid()}`;
    const now = Date.now();
    const verdicts: string[][] = [];
    for (let i = 0; i < 5; i++) {
      const sub = `farm-account-${uuid()}`;
      const s = await playbackSession(sub, `trk-farm-${uuid()}`, {
        createdAt: now - 200_000,
        expiresAt: now + 600_000,
        deviceId: device,
      });
      await serveMedia(s.id, 190);
      expect((await postEvents(await tokenFor(sub), listened(s.id, s.trackId, 180_000))).status).toBe(200);
      verdicts.push(await judged(s)); // one after another: each is judged against the accounts before it
    }
    expect(verdicts).toEqual([[], [], [], ["shared-device"], ["shared-device"]]);
  }, 60_000);

  it("flags an account looping one track past 25 sessions a day", async () => {
    const sub = `looper-${uuid()}`;
    const token = await tokenFor(sub);
    const track = `trk-loop-${uuid()}`;
    const now = Date.now();
    const sessions = [];
    for (let i = 0; i < 27; i++) {
      const s = await playbackSession(sub, track, { createdAt: now - 200_000 + i, expiresAt: now + 600_000 });
      await serveMedia(s.id, 190);
      sessions.push(s);
    }
    // The first 25 in one request, then the 26th and 27th.
    expect(
      (
        await postEvents(
          token,
          sessions.slice(0, 25).flatMap((s) => listened(s.id, track, 180_000)),
        )
      ).status,
    ).toBe(200);
    await eventually(async () => {
      const stats = await originStats(`?track_id=${track}`);
      return stats.qualified_streams.total === 25 ? true : undefined;
    }, "25 qualified streams of the track");
    for (const [i, s] of sessions.slice(25).entries()) {
      expect((await postEvents(token, listened(s.id, track, 180_000))).status).toBe(200);
      const verdict = await eventually(
        async () => {
          const r = await origin<FraudReport>("/v1/internal/fraud/report?limit=500");
          const flagged = r.body.pending.find((p) => p.session_id === s.id);
          if (flagged) return flagged.reasons;
          const total = (await originStats(`?track_id=${track}`)).qualified_streams.total;
          return total > 25 + i ? ["counted"] : undefined;
        },
        `loop session ${i + 26} judged`,
      );
      expect(verdict).toEqual(["repeat-loop"]);
    }
    expect((await originStats(`?track_id=${track}`)).qualified_streams.total).toBe(25);
  }, 60_000);
});
