-- Search (检索): the window's access predicate and filters read from an
-- index instead of the entry's row. FTS5 gives the matching rowids newest
-- first; checking each against its row (kind, 密级, organ, filters) read
-- the whole wide row (title, body and notes inline, about one row a page)
-- for every match of every organ, most of them refused: 24,000 page reads
-- for a phrase in most of 30,000 entries. The index, keyed by rid, holds
-- what the check needs; the row is read only for an entry that passes
-- (store.searchDocuments names it with INDEXED BY).
CREATE INDEX search_entries_window ON search_entries(rid, kind, level, organ_id, unit_id, doc_type, state, at);
