-- 起草助手: how many entries hold a term, read from FTS5's own vocabulary,
-- so that precedents are asked by the draft's rarest words
-- (store.rarestTerms). A view of the index: nothing is stored.
CREATE VIRTUAL TABLE search_fts_rows USING fts5vocab(search_fts, 'row');
