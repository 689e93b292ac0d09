/**
 * Search quality on named examples, over a metadata-only catalog with look-alike distractors: misspelled artists and
 * partial titles find the track, and the order is exact, then prefix, then substring, then fuzzy, popular first.
 * What the search route refuses: search.errors.test.ts and search.security.test.ts.
 */
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { seedMetadataCatalog } from "../../src/catalog/demo/metadata-catalog";
import { corrections, editDistance, searchCatalog } from "../../src/catalog/search";
import { indexTrack } from "../../src/catalog/search-index";
import { deletionsOf, normalize } from "../../src/catalog/search-terms";
import { freshOrigin } from "../helpers";

let origin: Awaited<ReturnType<typeof freshOrigin>>;
const search = async (q: string, limit = 10) => searchCatalog(origin.services.db, q, limit);
const titles = async (q: string, limit = 10) => (await search(q, limit)).hits.map((h) => `${h.title} / ${h.artist}`);

beforeAll(async () => {
  origin = await freshOrigin();
  await seedMetadataCatalog(origin.services.db, [
    { title: "Halo", artist: "Beyoncé Tribute Ensemble", release: "Halo: The Synth Sessions", popularity: 900 },
    {
      title: "Crazy in Love",
      artist: "Beyoncé Tribute Ensemble",
      release: "Halo: The Synth Sessions",
      popularity: 950,
    },
    { title: "Beyond the Sea", artist: "Beyond Quartet", release: "Shorelines", popularity: 5000 },
    { title: "Come Together", artist: "The Beatles Revival Band", release: "Abbey Road Revisited", popularity: 700 },
    { title: "Let It Be", artist: "The Beatles Revival Band", release: "Abbey Road Revisited", popularity: 800 },
    { title: "Beetle Juice", artist: "The Bugs", release: "Insects", popularity: 4000 },
    {
      title: "Bohemian Rhapsody",
      artist: "Queen Rhapsody Orchestra",
      release: "Bohemian Rhapsody and Other Epics",
      popularity: 600,
    },
    {
      title: "Radio Ga Ga",
      artist: "Queen Rhapsody Orchestra",
      release: "Bohemian Rhapsody and Other Epics",
      popularity: 9999,
    },
    { title: "Bohemian Grove", artist: "Forest Folk", release: "Woods", popularity: 9000 },
    { title: "Rhapsody in Blue", artist: "Gershwin Players", release: "Blue", popularity: 9500 },
    { title: "Halo of Stars", artist: "Night Sky", release: "Constellations", popularity: 8000 },
    { title: "Shalom", artist: "Peace Choir", release: "Greetings", popularity: 9900 },
    { title: "Hello", artist: "Obscure Greeter", release: "Hi", popularity: 3 },
    { title: "Hello", artist: "Famous Greeter", release: "Hey", popularity: 3000 },
  ]);
});

describe("the fuzzy examples in docs/catalog.md", () => {
  it('"beyonse" finds the Beyoncé-named artist (and not Beyond Quartet), correcting the query', async () => {
    const result = await search("beyonse");
    expect(result.corrected).toBe("beyonce");
    expect(result.hits.map((h) => h.artist)).toEqual(["Beyoncé Tribute Ensemble", "Beyoncé Tribute Ensemble"]);
    expect(result.hits.map((h) => h.title)).toEqual(["Crazy in Love", "Halo"]); // popular first
    expect(result.hits[0]?.match).toBe("fuzzy");
  });

  it('"teh beatles" finds The Beatles Revival Band, popular track first', async () => {
    const result = await search("teh beatles");
    expect(result.corrected).toBe("the beatles");
    expect(await titles("teh beatles")).toEqual([
      "Let It Be / The Beatles Revival Band",
      "Come Together / The Beatles Revival Band",
    ]);
  });

  it('"bohemian rhap" puts Bohemian Rhapsody first although other matches are more popular', async () => {
    const result = await search("bohemian rhap");
    expect(result.hits[0]).toMatchObject({ title: "Bohemian Rhapsody", match: "prefix" });
    // A track whose release title matches comes after the track whose own title does, popular as it is.
    expect(result.hits[1]).toMatchObject({ title: "Radio Ga Ga", match: "prefix" });
    expect(result.corrected).toBeUndefined();
  });
});

describe("ranking", () => {
  it("exact before prefix before substring, whatever the popularity", async () => {
    expect(await titles("halo", 4)).toEqual([
      "Halo / Beyoncé Tribute Ensemble",
      "Halo of Stars / Night Sky",
      "Crazy in Love / Beyoncé Tribute Ensemble", // its release is "Halo: The Synth Sessions" (prefix of a word)
      "Shalom / Peace Choir",
    ]);
    const kinds = (await search("halo")).hits.map((h) => h.match);
    expect(kinds).toEqual(["exact", "prefix", "prefix", "contains"]);
  });

  it("popular before obscure among equally good matches", async () => {
    expect(await titles("hello")).toEqual(["Hello / Famous Greeter", "Hello / Obscure Greeter"]);
  });

  it("diacritics and case do not matter; nonsense finds nothing", async () => {
    expect((await search("BEYONCÉ")).hits[0]?.artist).toBe("Beyoncé Tribute Ensemble");
    expect((await search("beyonce")).hits[0]?.match).toBe("prefix");
    expect((await search("zzqxjv")).hits).toEqual([]);
  });

  it("updating a track's metadata updates the index and the vocabulary", async () => {
    const [row] = await origin.services.db.all<{ docid: number }>(
      sql`SELECT docid FROM catalog_tracks WHERE title = 'Shalom'`,
    );
    await indexTrack(origin.services.db, row!.docid, {
      title: "Shalom Aleichem",
      artist: "Peace Choir",
      release: "Greetings",
    });
    expect((await corrections(origin.services.db, "aleichen")).map((c) => c.term)).toEqual(["aleichem"]);
    await indexTrack(origin.services.db, row!.docid, { title: "Shalom", artist: "Peace Choir", release: "Greetings" });
    expect(await corrections(origin.services.db, "aleichen")).toEqual([]);
  });
});

describe("the typo-tolerant step's parts", () => {
  it("normalises, measures Damerau-Levenshtein distance and generates deletions", () => {
    expect(normalize("  Beyoncé — Halo (Live!) ")).toBe("beyonce halo live");
    expect(editDistance("teh", "the")).toBe(1);
    expect(editDistance("beyonse", "beyonce")).toBe(1);
    expect(editDistance("beyonse", "beyond")).toBe(2);
    expect([...deletionsOf("the", 1)].sort()).toEqual(["he", "te", "th", "the"]);
  });
});

describe("GET /v1/search on the origin", () => {
  it("answers the edge with hits and a cursor", async () => {
    const headers = { [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken };
    const res = await origin.request("/v1/search?q=beatles&limit=1", { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { hits: unknown[]; next_cursor: string | null; total: number };
    expect(body.hits).toHaveLength(1);
    expect(body.total).toBe(2);
    const next = await origin.request(`/v1/search?q=beatles&limit=1&cursor=${body.next_cursor}`, { headers });
    expect(((await next.json()) as { hits: Array<{ title: string }> }).hits[0]?.title).toBe("Come Together");
  });
});
