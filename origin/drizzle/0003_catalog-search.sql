-- The catalog's full-text index: FTS5 with the trigram tokenizer (substring and prefix matches in any language,
-- diacritics folded so "beyonce" finds "Beyoncé"). rowid = catalog_tracks.docid. Hand-written: drizzle cannot
-- model virtual tables.
CREATE VIRTUAL TABLE `catalog_search` USING fts5(`title`, `artist`, `release`, tokenize = 'trigram remove_diacritics 1');
