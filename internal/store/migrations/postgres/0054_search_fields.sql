-- Search (检索): the tsvector now labels an entry's title A and its number
-- (文号) B, its body D, so that ts_rank() ranks with a weight per field
-- (internal/search.TSRankWeights). Nothing changes in the schema; Migrate
-- re-indexes every entry after applying this (store.searchFieldsMigration).
COMMENT ON COLUMN search_entries.tokens IS 'title labelled A, number B, body D (internal/search.FieldTokens.TSVector)';
