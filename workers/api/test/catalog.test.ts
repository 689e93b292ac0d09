/**
 * The catalog through the api worker, in workerd against the test stack's real origin (happy path): an ops upload is
 * ingested (real ffmpeg at the origin), listeners page through tracks, read a track with its renditions, availability
 * and whether they may play it, search with a typo, and get cached answers until the catalog changes. Bad requests are
 * in catalog.errors.test.ts, refusals in catalog.security.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getWith, TRACK, uploadDelivery } from "./support/catalog";
import { tokensFor } from "./support/tokens";

let listener: string;
let free: string;
let ops: string;

const get = (path: string, token = listener) => getWith(token, path);
const upload = (index: number, token = ops) => uploadDelivery(index, token);

beforeAll(async () => {
  [listener, free, ops] = (
    await Promise.all([tokensFor("premium@demo.test"), tokensFor("free@demo.test"), tokensFor("ops@demo.test")])
  ).map((t) => t.access_token) as [string, string, string];
  const res = await upload(0);
  expect(res.status, await res.clone().text()).toBe(201);
}, 60_000);

describe("ops ingest through the api worker", () => {
  it("returns the ingest report", async () => {
    const res = await upload(0);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "unchanged", message: { id: "API-TEST-1" } });
  });
});

describe("GET /v1/catalog/tracks", () => {
  it("pages with a cursor", async () => {
    const first = await get("/v1/catalog/tracks?limit=1");
    expect(first.status).toBe(200);
    const page = (await first.json()) as { items: Array<{ id: string }>; next_cursor: string };
    expect(page.items).toHaveLength(1);
    expect(page.next_cursor).toBeTruthy();
    const rest = (await (await get(`/v1/catalog/tracks?limit=100&cursor=${page.next_cursor}`)).json()) as {
      items: Array<{ id: string }>;
    };
    const ids = [page.items[0]!.id, ...rest.items.map((i) => i.id)];
    expect(ids).toContain(TRACK);
    expect(ids).toContain("trk_qzapi2600002");
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("GET /v1/catalog/tracks/{id}", () => {
  it("has renditions, availability and whether the caller may play it", async () => {
    const res = await get(`/v1/catalog/tracks/${TRACK}`);
    expect(res.status).toBe(200);
    const track = (await res.json()) as Record<string, unknown> & {
      renditions: Array<{ id: string; codec: string; bandwidth: number; averageBandwidth: number }>;
    };
    expect(track).toMatchObject({
      id: TRACK,
      isrc: "QZAPI2600001",
      title: "Stale While Revalidate",
      artist: "The Cache Hits",
    });
    expect(track.renditions.map((r) => r.id)).toEqual(["aac-128", "aac-256", "aac-320", "flac"]);
    expect(track.renditions.every((r) => r.bandwidth >= r.averageBandwidth && r.averageBandwidth > 0)).toBe(true);
    expect(track).toMatchObject({
      availability: { rules: [{ territories: ["Worldwide"], tiers: ["free", "hifi", "premium"] }] },
      playable: { ok: true, country: "DE", tier: "premium" },
    });
    expect(res.headers.get("cache-control")).toBe("private, max-age=30");
  });

  it("is answered from the edge cache the second time, until the catalog changes", async () => {
    await get(`/v1/catalog/tracks/${TRACK}`, free);
    const again = await get(`/v1/catalog/tracks/${TRACK}`, free);
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect(await again.json()).toMatchObject({ playable: { ok: true, tier: "free" } });

    // A newer message makes the release subscription-only: the next read is fresh and free listeners are refused.
    const update = await upload(1);
    expect(update.status).toBe(201);
    const after = await get(`/v1/catalog/tracks/${TRACK}`, free);
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(await after.json()).toMatchObject({ playable: { ok: false, reason: "tier-not-licensed" } });
  });
});

describe("GET /v1/search", () => {
  it("finds a track from a misspelled artist", async () => {
    const res = await get("/v1/search?q=cahce%20hits");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { corrected: string; hits: Array<{ trackId: string; match: string }> };
    expect(body.corrected).toBe("cache hits");
    expect(body.hits.map((h) => h.trackId)).toContain(TRACK);
  });

  it("finds a partial title", async () => {
    const body = (await (await get("/v1/search?q=stale%20while%20rev")).json()) as {
      hits: Array<{ trackId: string; match: string }>;
    };
    expect(body.hits[0]).toMatchObject({ trackId: TRACK, match: "prefix" });
  });
});
