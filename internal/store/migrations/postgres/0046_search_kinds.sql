-- Search (检索) of supervision items, meetings, information and research
-- reports and the 范文 library: each entry keeps the facts its kind's read
-- rule needs (JSON, decided per hit by internal/access), and its readers —
-- the keys (p:person, u:unit, r:role, all) of whoever may possibly open it —
-- which the query joins as its access predicate. Both are written with the
-- entry, in the transaction that changes the thing.
ALTER TABLE search_entries ADD COLUMN facts TEXT NOT NULL DEFAULT '';
CREATE TABLE search_readers (
	kind   TEXT NOT NULL,
	obj_id TEXT NOT NULL,
	reader TEXT NOT NULL,
	PRIMARY KEY (kind, obj_id, reader)
);
