-- Search (检索): the 非密 document entries of one organ, newest first, so that
-- a query takes its window of a word found in most entries by walking this
-- index and stopping, instead of sorting every match (store.searchDocumentsPG;
-- docs/search.md "Measured").
CREATE INDEX search_entries_organ_at ON search_entries (organ_id, at) WHERE kind = 'document' AND level = 0;
