-- Foundation: organization, accounts, sessions, settings, audit.
-- Times are INTEGER microseconds since the Unix epoch, UTC, on both stores.
CREATE TABLE units (
	id         TEXT PRIMARY KEY,
	parent_id  TEXT REFERENCES units(id),
	name       TEXT NOT NULL,
	short_name TEXT NOT NULL,
	organ_code TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL,
	sort       BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id, sort);
CREATE UNIQUE INDEX units_organ_code ON units(organ_code) WHERE organ_code <> '';

CREATE TABLE people (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	login         TEXT NOT NULL UNIQUE,
	phone         TEXT NOT NULL DEFAULT '',
	clearance     BIGINT NOT NULL DEFAULT 0,
	sort          BIGINT NOT NULL DEFAULT 0,
	password_hash TEXT NOT NULL DEFAULT '',
	must_change   BIGINT NOT NULL DEFAULT 1,
	failures      BIGINT NOT NULL DEFAULT 0,
	locked_until  BIGINT NOT NULL DEFAULT 0,
	disabled      BIGINT NOT NULL DEFAULT 0,
	password_at   BIGINT NOT NULL DEFAULT 0,
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL
);
CREATE INDEX people_name ON people(name);

CREATE TABLE positions (
	id         TEXT PRIMARY KEY,
	person_id  TEXT NOT NULL REFERENCES people(id),
	unit_id    TEXT NOT NULL REFERENCES units(id),
	title      TEXT NOT NULL,
	is_primary BIGINT NOT NULL DEFAULT 0,
	sort       BIGINT NOT NULL DEFAULT 0,
	UNIQUE (person_id, unit_id)
);
CREATE INDEX positions_unit ON positions(unit_id, sort);

CREATE TABLE oversight (
	leader_id TEXT NOT NULL REFERENCES people(id),
	unit_id   TEXT NOT NULL REFERENCES units(id),
	PRIMARY KEY (leader_id, unit_id)
);
CREATE INDEX oversight_unit ON oversight(unit_id);

CREATE TABLE delegations (
	id        TEXT PRIMARY KEY,
	from_id   TEXT NOT NULL REFERENCES people(id),
	to_id     TEXT NOT NULL REFERENCES people(id),
	starts_at BIGINT NOT NULL,
	ends_at   BIGINT NOT NULL,
	reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delegations_to ON delegations(to_id, ends_at);

CREATE TABLE role_assignments (
	person_id TEXT NOT NULL REFERENCES people(id),
	role      TEXT NOT NULL,
	unit_id   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (person_id, role, unit_id)
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	person_id  TEXT NOT NULL REFERENCES people(id),
	csrf       TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen  BIGINT NOT NULL,
	ip         TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_person ON sessions(person_id);

CREATE TABLE api_tokens (
	id         TEXT PRIMARY KEY,
	person_id  TEXT NOT NULL REFERENCES people(id),
	name       TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	last_used  BIGINT NOT NULL DEFAULT 0,
	revoked    BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE grants (
	id          TEXT PRIMARY KEY,
	person_id   TEXT NOT NULL REFERENCES people(id),
	object_kind TEXT NOT NULL,
	object_id   TEXT NOT NULL,
	granted_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	UNIQUE (person_id, object_kind, object_id)
);
CREATE INDEX grants_object ON grants(object_kind, object_id);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE audit_log (
	seq         BIGINT PRIMARY KEY,
	at          BIGINT NOT NULL,
	actor_id    TEXT NOT NULL DEFAULT '',
	actor_name  TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	object_kind TEXT NOT NULL DEFAULT '',
	object_id   TEXT NOT NULL DEFAULT '',
	outcome     TEXT NOT NULL,
	ip          TEXT NOT NULL DEFAULT '',
	detail      TEXT NOT NULL DEFAULT '',
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
);
CREATE INDEX audit_actor ON audit_log(actor_id, seq);
CREATE INDEX audit_action ON audit_log(action, seq);

-- The head of the chain: one row, updated under the write lock with each append.
CREATE TABLE audit_head (
	id   SMALLINT PRIMARY KEY CHECK (id = 1),
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- The log is append-only for the application; tampering requires disabling this.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE PROCEDURE audit_log_append_only();
