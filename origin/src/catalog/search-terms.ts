/**
 * The words of catalog search, shared by index upkeep (search-index.ts) and queries (search.ts): how text is
 * normalised, which words become vocabulary terms, and the SymSpell deletion variants under which each term is stored
 * and by which a misspelling finds it.
 */
import type { Database } from "../db/client";

/** What both index upkeep and queries need of a database: raw statements. Inside a transaction too. */
export type Executor = Pick<Database, "run" | "all">;

/** Lower-case, diacritics folded, anything but letters and digits turned into single spaces. */
export function normalize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export const wordsOf = (text: string) => normalize(text).split(" ").filter(Boolean);

/** How many edits a word of this length may carry and still be corrected. */
export const maxEdits = (length: number) => (length < 3 ? 0 : length <= 4 ? 1 : 2);

/** The word itself and every string made by deleting up to `edits` characters from it. */
export function deletionsOf(word: string, edits: number): Set<string> {
  const out = new Set([word]);
  let frontier = [word];
  for (let d = 0; d < edits; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const v = w.slice(0, i) + w.slice(i + 1);
        if (v.length > 0 && !out.has(v)) {
          out.add(v);
          next.push(v);
        }
      }
    }
    frontier = next;
  }
  return out;
}

export interface SearchDoc {
  title: string;
  artist: string;
  release: string;
}

/** Terms a document adds to the vocabulary: its distinct words of 3+ characters. */
export function termsOf(doc: SearchDoc): Set<string> {
  return new Set([...wordsOf(doc.title), ...wordsOf(doc.artist), ...wordsOf(doc.release)].filter((w) => w.length >= 3));
}
