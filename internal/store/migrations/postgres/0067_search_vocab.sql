-- 起草助手: nothing changes on PostgreSQL, where how common a term is comes
-- from the statistics ANALYZE keeps of the tokens column (pg_stats'
-- most_common_elems; store.rarestTerms); the number is kept in step with
-- SQLite's 0067, which adds a view of FTS5's vocabulary.
SELECT 1;
