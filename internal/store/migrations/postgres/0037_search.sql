-- Search (检索): one row per searchable thing, written in the same
-- transaction as the thing itself, with what the access predicate, the
-- filters, ranking and snippets read, and its tokens (internal/search:
-- Chinese character pairs and single characters, words, 文号 marks) as a
-- tsvector written as a literal — no text search parser is involved, so the
-- 'simple' configuration's treatment of Chinese does not matter.
CREATE TABLE search_entries (
	rid       BIGSERIAL PRIMARY KEY,
	kind      TEXT NOT NULL,
	obj_id    TEXT NOT NULL,
	organ_id  TEXT NOT NULL DEFAULT '',
	unit_id   TEXT NOT NULL DEFAULT '',
	level     INTEGER NOT NULL DEFAULT 0,
	doc_type  TEXT NOT NULL DEFAULT '',
	state     TEXT NOT NULL DEFAULT '',
	at        BIGINT NOT NULL,
	title     TEXT NOT NULL,
	number    TEXT NOT NULL DEFAULT '',
	body      TEXT NOT NULL DEFAULT '',
	notes     TEXT NOT NULL DEFAULT '',
	tokens    TSVECTOR NOT NULL
);
CREATE UNIQUE INDEX search_entries_obj ON search_entries(kind, obj_id);
CREATE INDEX search_entries_at ON search_entries(at);
CREATE INDEX search_entries_tokens ON search_entries USING GIN (tokens);
