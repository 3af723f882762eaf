-- Encryption at rest of the files of 秘密 and 机密 documents: a document
-- whose files may need encrypting or decrypting (created classified, raised,
-- lowered, a file added) is queued here in the transaction that changes it;
-- the server then converts its files on disk (blob.Reconcile) and removes
-- the row if it was not queued again meanwhile (gen). Documents already
-- classified when this migration runs are queued, so their files are
-- encrypted at the first start with a master key.
CREATE TABLE file_crypt_queue (
	doc_id TEXT PRIMARY KEY REFERENCES documents(id),
	gen    INTEGER NOT NULL DEFAULT 1
);
INSERT INTO file_crypt_queue (doc_id) SELECT id FROM documents WHERE level > 0;
