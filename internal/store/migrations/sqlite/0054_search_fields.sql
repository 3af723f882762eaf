-- Search (检索): the index holds an entry's title, number (文号) and body as
-- columns of their own, so that FTS5's bm25() ranks with a weight per
-- column (internal/search.TitleWeight …). The table is made anew; Migrate
-- re-indexes every entry after applying this (store.searchFieldsMigration).
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(title, number, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
