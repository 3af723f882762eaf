-- The text of attachments (.txt, .docx, .pdf, .ofd), read once when the
-- file is uploaded (internal/textextract) and kept by the file's SHA-256 as
-- the file itself is: a document's search entry takes the text of its
-- attachments from here, in the document's transaction.
CREATE TABLE attachment_texts (
	sha256 TEXT PRIMARY KEY,
	text   TEXT NOT NULL
);
