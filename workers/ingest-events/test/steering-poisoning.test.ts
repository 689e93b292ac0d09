/**
 * Steering cannot be poisoned through QoE reports, and still sees real outages. Through the real intake (tokens, the
 * listener's own playback sessions, Redis): the attack, 2,000 `qoe_segment` events from one premium account
 * claiming CloudFront answered 503 for 1 GiB segments, changes no measurement, no share and no commit usage; a few
 * accounts flooding plausible failures and crawling downloads move nothing either (each listener's weight is capped and
 * the worst listeners are trimmed); and when every listener on a CDN fails, as in a real outage, the CDN goes down and
 * its share goes to the others at once, well within one steering TTL. Each test plays from its own country.
 */
import type { CdnId } from "@cadence/shared/cdn/cdn-id";
import { monthOf } from "@cadence/shared/steering/cost";
import { steer } from "@cadence/shared/steering/steer";
import { readSteeringView, steeringKeys } from "@cadence/shared/steering/store";
import { describe, expect, it } from "vitest";
import { eventually, listener, playbackSession, postEvents, qoe, redis, tokenFor, uuid } from "./helpers";

const CDNS: CdnId[] = ["cloudfront", "akamai", "cloudflare"];

const cfOf = (country: string) => ({ country, continent: "OC", colo: "AKL", asn: 9500 });

/** A listener with a live session in the country, and a way to send QoE as its player would. */
async function listenerIn(country: string, sub = `listener-${uuid()}`) {
  const token = await tokenFor(sub, "NZ");
  const session = await playbackSession(sub, `trk-${uuid()}`, { country, continent: "OC" });
  return {
    sub,
    session,
    send: (events: Array<Record<string, unknown>>) => postEvents(token, events, { cf: cfOf(country) }),
  };
}

const at = Date.now();
const ok = (sessionId: string, cdn: CdnId, ttfb: number) =>
  qoe(sessionId, {
    cdn,
    rendition: "aac-128",
    bytes: 96_000,
    ttfb_ms: ttfb,
    download_ms: 60,
    client_ts: new Date(at).toISOString(),
  });

/** Sends each honest listener's 4 good segments on every CDN, and waits until steering counted them. */
async function honestBaseline(country: string, listeners: number) {
  const all = await Promise.all(Array.from({ length: listeners }, () => listenerIn(country)));
  await Promise.all(
    all.map(async (l) => {
      const events = CDNS.flatMap((cdn, i) => Array.from({ length: 4 }, () => ok(l.session.id, cdn, 40 + 10 * i)));
      expect((await l.send(events)).status).toBe(200);
    }),
  );
  await countedUntil(country, (n) => CDNS.every((cdn) => n(cdn) >= 4 * listeners), "the honest baseline");
  return all;
}

async function countedUntil(country: string, done: (n: (cdn: CdnId) => number) => boolean, what: string) {
  return eventually(async () => {
    const view = await readSteeringView(redis, { country, continent: "OC" }, Date.now());
    const n = (cdn: CdnId) => (view.country[cdn] ?? []).reduce((a, b) => a + b.n, 0);
    return done(n) ? view : undefined;
  }, what);
}

/** What steering decides in the country at `now`: shares and status per CDN. */
async function decisionIn(country: string, now: number) {
  const view = await readSteeringView(redis, { country, continent: "OC" }, now);
  const d = steer({ sessionId: "probe", region: { country, continent: "OC" }, now, view });
  return Object.fromEntries(d.scores.map((s) => [s.cdn, { share: Math.round(s.sharePercent), status: s.status }]));
}

const usageNow = async (cdn: CdnId) => Number((await redis.hget(steeringKeys.usage(monthOf(Date.now())), cdn)) ?? 0);

describe("steering inputs are robust", () => {
  it("2,000 qoe_segment 503 1 GiB events from one account change no measurement, share or commit usage", async () => {
    const country = "NZ";
    await honestBaseline(country, 30);
    const now = Date.now();
    const before = {
      hash: await redis.hgetall(steeringKeys.quality("country", country)),
      decision: await decisionIn(country, now),
    };
    const usageBefore = await usageNow("cloudfront");

    const { token, sub } = await listener("premium@demo.test");
    const session = await playbackSession(sub, `trk-${uuid()}`, { country, continent: "OC" });
    const flood = Array.from({ length: 2000 }, () =>
      qoe(session.id, { cdn: "cloudfront", http_status: 503, bytes: 1 << 30, ttfb_ms: 5, download_ms: 10 }),
    );
    for (let i = 0; i < flood.length; i += 500) {
      const res = await postEvents(token, flood.slice(i, i + 500), { cf: cfOf(country) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { accepted: number }).accepted).toBe(500); // stored as events, all the same
    }

    expect(await redis.hgetall(steeringKeys.quality("country", country))).toEqual(before.hash);
    expect(await decisionIn(country, now)).toEqual(before.decision);
    expect(before.decision.cloudfront?.status).toBe("eligible");
    // 2 TiB claimed; at most what other tests' real deliveries add meanwhile.
    expect((await usageNow("cloudfront")) - usageBefore).toBeLessThan(1 << 30);
  }, 60_000);

  it("a few accounts flooding plausible failures and crawling downloads move no share", async () => {
    const country = "TO";
    await honestBaseline(country, 30);
    const now = Date.now();
    const before = await decisionIn(country, now);
    const attackers = await Promise.all(Array.from({ length: 5 }, () => listenerIn(country)));
    await Promise.all(
      attackers.map(async (a) => {
        const failures = Array.from({ length: 200 }, () =>
          qoe(a.session.id, {
            cdn: "cloudfront",
            rendition: "aac-128",
            http_status: 503,
            bytes: 0,
            ttfb_ms: 0,
            download_ms: 0,
            client_ts: new Date(at).toISOString(),
          }),
        );
        const crawling = Array.from({ length: 200 }, () =>
          qoe(a.session.id, {
            cdn: "akamai",
            rendition: "aac-128",
            bytes: 96_000,
            ttfb_ms: 29_000,
            download_ms: 119_000,
            client_ts: new Date(at).toISOString(),
          }),
        );
        expect((await a.send([...failures, ...crawling])).status).toBe(200);
      }),
    );
    // Each attacker counts 2 failures or 4 good fetches per CDN and minute, however many it sends.
    await countedUntil(
      country,
      (n) => n("cloudfront") === 4 * 30 + 2 * 5 && n("akamai") === 4 * 35,
      "the attackers' capped samples",
    );
    const after = await decisionIn(country, now);
    expect(after).toEqual(before);
    expect(after.cloudfront?.status).toBe("eligible");
  }, 60_000);

  it("a real outage, every listener on a CDN failing, takes it out and moves its share at once", async () => {
    const country = "WS";
    const listeners = await honestBaseline(country, 30);
    const now = Date.now();
    const before = await decisionIn(country, now);
    expect(before.cloudfront?.status).toBe("eligible");
    expect(before.cloudfront?.share).toBeGreaterThan(0);
    // The CloudFront stand-in is down: each player's next segment there fails (503) and it fails over.
    await Promise.all(
      listeners.map(async (l) => {
        const failed = qoe(l.session.id, {
          cdn: "cloudfront",
          rendition: "aac-128",
          http_status: 503,
          bytes: 0,
          ttfb_ms: 0,
          download_ms: 0,
          error: "HTTP 503",
          client_ts: new Date(at).toISOString(),
        });
        expect((await l.send([failed])).status).toBe(200);
      }),
    );
    await countedUntil(country, (n) => n("cloudfront") >= 4 * 30 + 30, "the outage reports");
    // Decided from the state as it is now, so new sessions and the next manifest reload (TTL 60 s) move away.
    const after = await decisionIn(country, Date.now());
    expect(after.cloudfront).toEqual({ share: 0, status: "down" });
    expect((after.akamai?.share ?? 0) + (after.cloudflare?.share ?? 0)).toBe(100);
  }, 60_000);
});
