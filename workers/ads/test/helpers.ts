/**
 * Test helpers: listener tokens signed with the origin's key, campaigns published to edge state as the origin does,
 * beacons fired as players fire them, and what the recorded EVENTS binding (vitest.config.ts) received.
 */
import { env, exports } from "cloudflare:workers";
import { adCampaignsKey, adCampaignsLogKey, adCampaignsVersionKey } from "@cadence/shared/ads/keys";
import type { EdgeCampaign, EdgeCreative } from "@cadence/shared/ads/model";
import { catalogTrackKey } from "@cadence/shared/catalog/edge-track";
import { redisFor } from "@cadence/shared/edge";
import { importJWK, type JWK, SignJWT } from "jose";
import { RECORDED_EVENTS_KEY } from "./recorded-events";

const originKey = JSON.parse(env.TEST_SIGNING_JWK) as JWK & { kid: string };

export async function listenerToken(claims: { sub?: string; tier?: string; country: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tier: claims.tier ?? "free", country: claims.country, scope: "listener" })
    .setProtectedHeader({ alg: "ES256", kid: originKey.kid })
    .setIssuer(env.AUTH_ISSUER)
    .setAudience(env.AUTH_AUDIENCE)
    .setSubject(claims.sub ?? `listener-${crypto.randomUUID()}`)
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(await importJWK(originKey, "ES256"));
}

/**
 * An audience of its own for one test: a country no other suite targets and a genre no other campaign targets, on a
 * track whose catalog record (in Redis, as the catalog publishes it) carries that genre. Campaigns of other tests
 * never compete with the test's own.
 */
export interface Audience {
  country: string;
  genre: string;
  trackId: string;
}

export async function isolatedAudience(): Promise<Audience> {
  const id = crypto.randomUUID().slice(0, 8);
  const audience = { country: "FJ", genre: `test-genre-${id}`, trackId: `trk-ads-${id}` };
  await redisFor(env).set(
    catalogTrackKey(audience.trackId),
    JSON.stringify({ id: audience.trackId, genres: [audience.genre] }),
    { ex: 3600 },
  );
  return audience;
}

export function creative(id = `cr_${crypto.randomUUID().slice(0, 8)}`): EdgeCreative {
  return {
    id,
    title: "Test spot",
    universalAdId: `CADTEST${id}`,
    universalAdIdRegistry: "cadence.example",
    durationMs: 15_000,
    path: `ads/${id}-a1`,
    mediaFiles: [{ file: "aac-128.aac", mimeType: "audio/aac", codec: "mp4a.40.2", bitrateKbps: 128, bytes: 240_000 }],
    mezzanine: {
      file: "mezzanine.wav",
      mimeType: "audio/wav",
      codec: "pcm_s16le",
      bitrateKbps: 1411,
      bytes: 2_646_078,
    },
    hls: {
      playlist: "hls/index.m3u8",
      init: "hls/init.mp4",
      codec: "mp4a.40.2",
      bandwidth: 131_000,
      targetDuration: 4,
      segments: [1, 2, 3, 4].map((i) => ({ uri: `hls/seg-0000${i}.m4s`, duration: 3.75 })),
    },
  };
}

export function campaign(audience: Audience, overrides: Partial<EdgeCampaign> = {}): EdgeCampaign {
  const now = Date.now();
  return {
    id: `cmp_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`,
    advertiserId: "adv-test",
    advertiserDomain: "test.example",
    name: "Worker test",
    status: "active",
    flightStart: now - 86_400_000,
    flightEnd: now + 86_400_000,
    totalBudgetMinor: 100_000,
    dailyBudgetMinor: null,
    cpmMinor: 2_000,
    priority: "standard",
    weight: 1,
    pacing: "asap",
    targeting: { countries: [audience.country], tiers: [], genres: [audience.genre], dayparts: [], deviceTypes: [] },
    frequencyCaps: [],
    category: null,
    creatives: [creative()],
    version: 1,
    ...overrides,
  };
}

const PUBLISH = `
local v = redis.call('INCR', KEYS[2])
for i = 1, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('ZADD', KEYS[3], v, ARGV[i])
end
return v`;

/** Publishes campaigns exactly as the origin's publisher does (hash, version, log). */
export async function publish(...campaigns: EdgeCampaign[]): Promise<void> {
  await redisFor(env).eval(
    PUBLISH,
    [adCampaignsKey, adCampaignsVersionKey, adCampaignsLogKey],
    campaigns.flatMap((c) => [c.id, JSON.stringify(c)]),
  );
}

export function vast(token: string, audience: Audience, query = "") {
  return exports.default.fetch(`http://ads.test/v1/ads/vast?track_id=${audience.trackId}&${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

/** The beacon URLs of each ad in a VAST answer, keyed by event (what a player would fire). */
export function beaconsIn(xml: string): Array<Record<string, string>> {
  return xml
    .split("<Ad ")
    .slice(1)
    .map((ad) => {
      const out: Record<string, string> = {};
      for (const m of ad.matchAll(
        /<(Impression|Error|Tracking)(?: [^>]*?event="(\w+)")?[^>]*><!\[CDATA\[(.*?)\]\]>/g,
      )) {
        const name = m[1] === "Impression" ? "impression" : m[1] === "Error" ? "error" : (m[2] as string);
        out[name] = m[3] as string;
      }
      return out;
    });
}

export const fire = (url: string, headers: Record<string, string> = {}) => {
  const u = new URL(url);
  return exports.default.fetch(`http://ads.test${u.pathname}${u.search}`, { headers });
};

/** Events the EVENTS binding received for one AdServingId. */
export async function eventsSentFor(adServingId: string) {
  const batches = (await redisFor(env).lrange<unknown[]>(RECORDED_EVENTS_KEY, 0, -1)) ?? [];
  return batches.flat().filter((e) => (e as { ad_serving_id?: string }).ad_serving_id === adServingId) as Array<
    Record<string, string>
  >;
}

export async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One campaign published for the audience, one VAST answer with its ad: the beacons and the AdServingId. */
export async function oneAd(audience: Audience, overrides: Partial<EdgeCampaign> = {}) {
  const c = campaign(audience, { cpmMinor: 2500, ...overrides });
  await publish(c);
  const xml = await (await vast(await listenerToken({ country: audience.country }), audience, "max_ads=1")).text();
  const beacons = beaconsIn(xml)[0]!;
  const adServingId = /<AdServingId>([^<]+)</.exec(xml)![1]!;
  return { c, beacons, adServingId };
}

/** The internal break request playback's stitcher sends, for a listener of the audience. */
export function breakRequest(audience: Audience, headers: Record<string, string>) {
  const body = {
    listener: {
      sub: "listener-x",
      tier: "free",
      country: audience.country,
      time_zone: "Europe/Berlin",
      device_type: "mobile",
    },
    session_id: "sess-123",
    track_id: audience.trackId,
    max_duration_ms: 60_000,
    max_ads: 2,
  };
  return exports.default.fetch("http://ads.test/v1/internal/ads/break", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}
