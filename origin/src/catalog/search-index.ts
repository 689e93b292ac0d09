/**
 * Upkeep of the search index: the FTS5 trigram table `catalog_search` (one row per track: title, artist, release)
 * and the vocabulary beside it (`catalog_search_terms`, each term with the number of tracks using it, and
 * `catalog_search_deletes`, each term under its 1- and 2-character deletions). Ingest keeps it current one track at
 * a time inside its transaction; metadata-only catalogs are indexed in bulk.
 */
import { sql } from "drizzle-orm";
import { deletionsOf, type Executor, maxEdits, type SearchDoc, termsOf } from "./search-terms";

/** Adds, replaces or (with `doc` undefined) removes a track in the index, keeping the vocabulary's counts right. */
export async function indexTrack(db: Executor, docid: number, doc: SearchDoc | undefined): Promise<void> {
  const old = await db.all<{ title: string; artist: string; release: string }>(
    sql`SELECT title, artist, release FROM catalog_search WHERE rowid = ${docid}`,
  );
  const before = old[0] ? termsOf(old[0]) : new Set<string>();
  const after = doc ? termsOf(doc) : new Set<string>();
  if (old[0]) await db.run(sql`DELETE FROM catalog_search WHERE rowid = ${docid}`);
  if (doc) {
    await db.run(
      sql`INSERT INTO catalog_search (rowid, title, artist, release) VALUES (${docid}, ${doc.title}, ${doc.artist}, ${doc.release})`,
    );
  }
  for (const term of before) if (!after.has(term)) await removeTerm(db, term);
  for (const term of after) if (!before.has(term)) await addTerm(db, term);
}

async function addTerm(db: Executor, term: string): Promise<void> {
  const existing = await db.all<{ docs: number }>(sql`SELECT docs FROM catalog_search_terms WHERE term = ${term}`);
  if (existing[0]) {
    await db.run(sql`UPDATE catalog_search_terms SET docs = docs + 1 WHERE term = ${term}`);
    return;
  }
  await db.run(sql`INSERT INTO catalog_search_terms (term, docs) VALUES (${term}, 1)`);
  for (const variant of deletionsOf(term, maxEdits(term.length))) {
    await db.run(sql`INSERT OR IGNORE INTO catalog_search_deletes (variant, term) VALUES (${variant}, ${term})`);
  }
}

async function removeTerm(db: Executor, term: string): Promise<void> {
  await db.run(sql`UPDATE catalog_search_terms SET docs = docs - 1 WHERE term = ${term}`);
  const left = await db.all<{ docs: number }>(sql`SELECT docs FROM catalog_search_terms WHERE term = ${term}`);
  if (left[0] && left[0].docs <= 0) {
    await db.run(sql`DELETE FROM catalog_search_terms WHERE term = ${term}`);
    await db.run(sql`DELETE FROM catalog_search_deletes WHERE term = ${term}`);
  }
}

/** Indexes many new documents at once (a fresh index: the metadata-only catalogs of tests and the benchmark). */
export async function indexMany(db: Executor, docs: Array<{ docid: number } & SearchDoc>): Promise<void> {
  const counts = new Map<string, number>();
  for (let i = 0; i < docs.length; i += 500) {
    const chunk = docs.slice(i, i + 500);
    await db.run(
      sql`INSERT INTO catalog_search (rowid, title, artist, release) VALUES ${sql.join(
        chunk.map((d) => sql`(${d.docid}, ${d.title}, ${d.artist}, ${d.release})`),
        sql`, `,
      )}`,
    );
    for (const d of chunk) for (const t of termsOf(d)) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const terms = [...counts.entries()];
  for (let i = 0; i < terms.length; i += 500) {
    const chunk = terms.slice(i, i + 500);
    await db.run(
      sql`INSERT INTO catalog_search_terms (term, docs) VALUES ${sql.join(
        chunk.map(([t, n]) => sql`(${t}, ${n})`),
        sql`, `,
      )} ON CONFLICT(term) DO UPDATE SET docs = docs + excluded.docs`,
    );
  }
  const pairs = terms.flatMap(([t]) => [...deletionsOf(t, maxEdits(t.length))].map((v) => [v, t] as const));
  for (let i = 0; i < pairs.length; i += 500) {
    await db.run(
      sql`INSERT OR IGNORE INTO catalog_search_deletes (variant, term) VALUES ${sql.join(
        pairs.slice(i, i + 500).map(([v, t]) => sql`(${v}, ${t})`),
        sql`, `,
      )}`,
    );
  }
}
