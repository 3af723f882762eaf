-- Search (检索): one row per searchable thing, written in the same
-- transaction as the thing itself, with what the access predicate, the
-- filters, ranking and snippets read; and its tokens (internal/search:
-- Chinese character pairs and single characters, words, 文号 marks) in a
-- contentless FTS5 table keyed by the row's rid. Snippets come from body,
-- so FTS5 keeps no second copy of the text.
CREATE TABLE search_entries (
	rid       INTEGER PRIMARY KEY,
	kind      TEXT NOT NULL,              -- document
	obj_id    TEXT NOT NULL,
	organ_id  TEXT NOT NULL DEFAULT '',   -- the organ whose 非密 things its people may open
	unit_id   TEXT NOT NULL DEFAULT '',   -- the unit shown and filtered on
	level     INTEGER NOT NULL DEFAULT 0, -- 密级
	doc_type  TEXT NOT NULL DEFAULT '',
	state     TEXT NOT NULL DEFAULT '',   -- active | done
	at        INTEGER NOT NULL,           -- last changed
	title     TEXT NOT NULL,
	number    TEXT NOT NULL DEFAULT '',   -- 发文字号 and 来文字号 as shown
	body      TEXT NOT NULL DEFAULT '',   -- the indexed text (at most search.MaxIndexedRunes)
	notes     TEXT NOT NULL DEFAULT ''    -- 批示 and 办理意见 (the route's comments), indexed with body
);
CREATE UNIQUE INDEX search_entries_obj ON search_entries(kind, obj_id);
CREATE INDEX search_entries_at ON search_entries(at);

CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
