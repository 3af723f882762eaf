-- Route templates by content: a route instance refers to the template it
-- started with (by the SHA-256 of its JSON) instead of carrying a copy, so its
-- state stays small. Rows are never changed or deleted; instances written
-- before this keep their embedded copy and stay readable.
CREATE TABLE route_template_versions (
	ref        TEXT PRIMARY KEY, -- hex SHA-256 of template
	template   TEXT NOT NULL,    -- route.Template as JSON
	created_at BIGINT NOT NULL
);

-- Audit entries waiting to be chained. A write chains its entries itself when
-- the chain's head row is free as its last statement (it never waits for it);
-- when another holds it, the entries go here instead, in the write's own
-- transaction, and after it commits a sealer (any server's, one at a time
-- under the head row's lock) moves the waiting entries into audit_log in id
-- order, giving each its chain sequence number and hash. So concurrent writes
-- no longer queue on the head row for the length of their transactions, and
-- the chain stays one gap-free line.
CREATE TABLE audit_pending (
	id          BIGSERIAL PRIMARY KEY,
	at          BIGINT NOT NULL,
	actor_id    TEXT NOT NULL DEFAULT '',
	actor_name  TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	object_kind TEXT NOT NULL DEFAULT '',
	object_id   TEXT NOT NULL DEFAULT '',
	outcome     TEXT NOT NULL,
	ip          TEXT NOT NULL DEFAULT '',
	detail      TEXT NOT NULL DEFAULT ''
);
