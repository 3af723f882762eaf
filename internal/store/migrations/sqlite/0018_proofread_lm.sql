-- The deployment's own language model (校对): the character n-gram counts of
-- its issued documents, the adaptive layer the proofreader lays over the
-- shipped model. A document is queued when it is signed off (签发); the
-- background job (schedule.ProofreadSweep) adds the queued documents' text
-- in chunks of counts, and merges the chunks now and then. Each server
-- reads the chunks it has not seen. Counts only: hashed n-grams, no text.
CREATE TABLE proofread_lm_docs (
	doc_id    TEXT PRIMARY KEY REFERENCES documents(id),
	queued_at INTEGER NOT NULL,
	chunk_id  INTEGER NOT NULL DEFAULT 0  -- 0: queued, not yet counted
);
CREATE INDEX proofread_lm_docs_queued ON proofread_lm_docs(chunk_id, queued_at);

CREATE TABLE proofread_lm_chunks (
	id         INTEGER PRIMARY KEY,
	docs       INTEGER NOT NULL,
	chars      INTEGER NOT NULL,
	counts     BLOB NOT NULL,
	created_at INTEGER NOT NULL
);
