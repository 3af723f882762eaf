-- Search (检索): nothing changes on PostgreSQL, whose window reads the
-- organ's entries through 0058's index and the phrase's candidates through
-- the GIN index (store.searchDocumentsPG); the number is kept in step with
-- SQLite's 0066, which adds an index for its window.
SELECT 1;
