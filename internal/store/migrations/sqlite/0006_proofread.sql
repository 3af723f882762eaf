-- The proofreader's per-document state: the findings the clerks marked "not
-- an error" (by Finding.Key, which does not contain the position, so a mark
-- survives edits elsewhere), and how many suggestions were accepted at each
-- step (the error-rate figure of the evaluation module).
CREATE TABLE proofread_ignored (
	doc_id      TEXT NOT NULL REFERENCES documents(id),
	finding_key TEXT NOT NULL,
	person_id   TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	PRIMARY KEY (doc_id, finding_key)
);

CREATE TABLE proofread_accepted (
	doc_id     TEXT NOT NULL REFERENCES documents(id),
	step       TEXT NOT NULL,
	accepted   INTEGER NOT NULL DEFAULT 0,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (doc_id, step)
);
