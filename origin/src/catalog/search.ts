/**
 * Catalog search: SQLite FTS5 with the trigram tokenizer finds titles, artists and release names by substring (so
 * "bohemian rhap" finds "Bohemian Rhapsody"), and a typo-tolerant step corrects words the index has never seen
 * ("beyonse" -> "beyonce", "teh" -> "the") through a SymSpell deletion index: every vocabulary term is stored under
 * its 1- and 2-character deletions, so a misspelling finds its candidates by index lookups, never by scanning.
 *
 * Ranking: exact matches first, then prefix matches (title or artist starting with the query, then every word
 * starting a word of the title or artist, then of the release), then substring matches, then corrected (fuzzy) ones;
 * inside each group popular tracks before obscure ones, then shorter titles. Every lookup reads a bounded number of index entries,
 * so a query costs about the same at 100 or 100,000 tracks.
 *
 * This module only reads; the index is kept by search-index.ts, and the words both agree on are in search-terms.ts.
 */
import { sql } from "drizzle-orm";
import { deletionsOf, type Executor, maxEdits, normalize, wordsOf } from "./search-terms";

/** Damerau-Levenshtein distance (optimal string alignment): insertions, deletions, substitutions, transpositions. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

export type MatchKind = "exact" | "prefix" | "contains" | "fuzzy";

export interface SearchHit {
  trackId: string;
  title: string;
  artist: string;
  releaseId: string;
  releaseTitle: string;
  durationMs: number;
  popularity: number;
  match: MatchKind;
}

export interface SearchResult {
  query: string;
  /** The query as corrected by the typo-tolerant step, when it changed a word. */
  corrected?: string;
  hits: SearchHit[];
  total: number;
}

interface Candidate {
  docid: number;
  titleNorm: string;
  artistNorm: string;
  trackId: string;
  title: string;
  artist: string;
  releaseId: string;
  releaseTitle: string;
  durationMs: number;
  popularity: number;
}

/**
 * Bounds on the work one query may do, whatever the catalog size: at most this many index entries are read per
 * lookup, and the most popular of them are kept. Exact and prefix matches come from B-tree ranges over the normalised
 * title and artist; substring and fuzzy matches from FTS5, read in index order and cut off early.
 */
const SCAN = 250;
const KEEP = 100;

const CANDIDATE_COLUMNS = sql`t.docid AS docid, t.id AS trackId, t.title AS title, t.display_artist AS artist,
  t.title_norm AS titleNorm, t.artist_norm AS artistNorm, t.release_id AS releaseId, r.title AS releaseTitle,
  t.duration_ms AS durationMs, t.popularity AS popularity`;

/** FTS5 query from groups of alternatives: `("a" OR "b") AND "c"`. Words are normalised, so they hold no quotes. */
const ftsQuery = (groups: string[][]) =>
  groups.map((g) => (g.length === 1 ? `"${g[0]}"` : `(${g.map((w) => `"${w}"`).join(" OR ")})`)).join(" AND ");

/**
 * Tracks whose normalised title or artist is the query or starts with it (B-tree ranges), and, given an FTS5 query,
 * those whose fields contain it; one statement, field matches kept first, each group popular first.
 */
function directMatches(db: Executor, query: string, match: string | undefined): Promise<Candidate[]> {
  const end = `${query}\uffff`;
  const substrings = match
    ? sql`UNION ALL SELECT docid, 1 AS src FROM (SELECT rowid AS docid FROM catalog_search WHERE catalog_search MATCH ${match} LIMIT ${SCAN})`
    : sql``;
  return db.all<Candidate>(sql`
    SELECT ${CANDIDATE_COLUMNS} FROM (
      SELECT docid, min(src) AS src FROM (
        SELECT docid, 0 AS src FROM (SELECT docid FROM catalog_tracks WHERE title_norm >= ${query} AND title_norm < ${end} LIMIT ${SCAN})
        UNION ALL
        SELECT docid, 0 AS src FROM (SELECT docid FROM catalog_tracks WHERE artist_norm >= ${query} AND artist_norm < ${end} LIMIT ${SCAN})
        ${substrings}
      ) GROUP BY docid
    ) c
    JOIN catalog_tracks t ON t.docid = c.docid
    JOIN catalog_releases r ON r.id = t.release_id
    ORDER BY c.src, t.popularity DESC LIMIT ${KEEP}`);
}

/** Tracks whose title, artist or release contains every group (FTS5 trigram substring match). */
function substringMatches(db: Executor, match: string): Promise<Candidate[]> {
  return db.all<Candidate>(sql`
    SELECT ${CANDIDATE_COLUMNS} FROM (
      SELECT rowid AS docid FROM catalog_search WHERE catalog_search MATCH ${match} LIMIT ${SCAN}
    ) c
    JOIN catalog_tracks t ON t.docid = c.docid
    JOIN catalog_releases r ON r.id = t.release_id
    ORDER BY t.popularity DESC LIMIT ${KEEP}`);
}

/**
 * How well a candidate matches, best first: 0 exact title or artist (or "artist title"); 1 title or artist starts with
 * the query; 2 every word starts a word of the title or artist; 3 ... of title, artist or release; 4 contains.
 */
function grade(c: Candidate, query: string, words: string[]): number {
  const title = c.titleNorm;
  const artist = c.artistNorm;
  if (title === query || artist === query || `${artist} ${title}` === query || `${title} ${artist}` === query) return 0;
  if (title.startsWith(query) || artist.startsWith(query)) return 1;
  const own = `${title} ${artist}`.split(" ");
  if (words.every((w) => own.some((d) => d.startsWith(w)))) return 2;
  const all = [...own, ...wordsOf(c.releaseTitle)];
  if (words.every((w) => all.some((d) => d.startsWith(w)))) return 3;
  return 4;
}

const FUZZY = 5;
const kindOf = (g: number): MatchKind => (g === 0 ? "exact" : g <= 3 ? "prefix" : g === 4 ? "contains" : "fuzzy");

/** Which of these words the vocabulary has. */
async function knownTerms(db: Executor, words: string[]): Promise<Set<string>> {
  const rows = await db.all<{ term: string }>(
    sql`SELECT term FROM catalog_search_terms WHERE term IN (${sql.join(
      words.map((w) => sql`${w}`),
      sql`, `,
    )})`,
  );
  return new Set(rows.map((r) => r.term));
}

/** Whether some vocabulary term starts with the word (the word being typed). */
async function knownPrefix(db: Executor, word: string): Promise<boolean> {
  const rows = await db.all(
    sql`SELECT 1 FROM catalog_search_terms WHERE term >= ${word} AND term < ${`${word}\uffff`} LIMIT 1`,
  );
  return rows.length > 0;
}

/** The nearest vocabulary terms within the word's edit budget, most used first. */
export async function corrections(
  db: Executor,
  word: string,
  max = 3,
): Promise<Array<{ term: string; distance: number }>> {
  const edits = maxEdits(word.length);
  if (edits === 0) return [];
  const variants = [...deletionsOf(word, edits)];
  const rows = await db.all<{ term: string; docs: number }>(sql`
    SELECT DISTINCT d.term AS term, t.docs AS docs FROM catalog_search_deletes d
    JOIN catalog_search_terms t ON t.term = d.term
    WHERE d.variant IN (${sql.join(
      variants.map((v) => sql`${v}`),
      sql`, `,
    )})`);
  return (
    rows
      .map((r) => ({ term: r.term, docs: r.docs, distance: editDistance(word, r.term) }))
      .filter((r) => r.distance <= edits && r.term !== word)
      .sort((a, b) => a.distance - b.distance || b.docs - a.docs)
      // Only the nearest terms: "beyonse" means "beyonce" (1 edit), not also "beyond" (2 edits).
      .filter((r, _, all) => r.distance === all[0]!.distance)
      .slice(0, max)
      .map(({ term, distance }) => ({ term, distance }))
  );
}

export async function searchCatalog(db: Executor, rawQuery: string, limit = 20, offset = 0): Promise<SearchResult> {
  const query = normalize(rawQuery);
  const words = query.split(" ").filter(Boolean).slice(0, 8);
  if (query === "") return { query: rawQuery, hits: [], total: 0 };
  const indexable = words.filter((w) => w.length >= 3);

  const byDoc = new Map<number, Candidate & { grade: number }>();
  const add = (cs: Candidate[], fuzzy = false) => {
    for (const c of cs)
      if (!byDoc.has(c.docid)) byDoc.set(c.docid, { ...c, grade: fuzzy ? FUZZY : grade(c, query, words) });
  };
  add(await directMatches(db, query, indexable.length > 0 ? ftsQuery(indexable.map((w) => [w])) : undefined));

  // Typo-tolerant step: words the vocabulary does not know (as a word, or as the start of the last word typed) are
  // replaced by their nearest terms.
  let corrected: string | undefined;
  if (byDoc.size < offset + limit && indexable.length > 0) {
    const groups: string[][] = [];
    const chosen: string[] = [];
    let changed = false;
    const vocabulary = await knownTerms(db, indexable);
    for (const [i, word] of indexable.entries()) {
      const isLast = i === indexable.length - 1 && words.at(-1) === word;
      if (vocabulary.has(word) || (isLast && (await knownPrefix(db, word)))) {
        groups.push([word]);
        chosen.push(word);
        continue;
      }
      const fixes = await corrections(db, word);
      if (fixes.length === 0) continue;
      changed = true;
      groups.push(fixes.map((f) => f.term));
      chosen.push(fixes[0]!.term);
    }
    if (changed && groups.length > 0) {
      corrected = chosen.join(" ");
      add(await substringMatches(db, ftsQuery(groups)), true);
    }
  }

  const ranked = [...byDoc.values()].sort(
    (a, b) => a.grade - b.grade || b.popularity - a.popularity || a.title.length - b.title.length,
  );
  return {
    query: rawQuery,
    ...(corrected ? { corrected } : {}),
    total: ranked.length,
    hits: ranked
      .slice(offset, offset + limit)
      .map(({ docid: _d, grade: g, titleNorm: _t, artistNorm: _a, ...hit }) => ({ ...hit, match: kindOf(g) })),
  };
}
