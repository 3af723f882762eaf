-- Search (检索): nothing changes on SQLite, where FTS5 gives a query's window
-- newest first by rowid already (store.searchDocuments); the number is kept
-- in step with PostgreSQL's 0058, which adds an index for its window.
SELECT 1;
