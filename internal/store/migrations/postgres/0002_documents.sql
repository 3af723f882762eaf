-- Documents (办文): the document, its versions and 批注, its route instance and
-- events, an index of open tasks for the 待办 lists, doc and incoming numbers.
ALTER TABLE positions ADD COLUMN is_head BIGINT NOT NULL DEFAULT 0;

CREATE TABLE documents (
	id          TEXT PRIMARY KEY,
	direction   TEXT NOT NULL,             -- outgoing | incoming
	unit_id     TEXT NOT NULL REFERENCES units(id), -- drafting unit, or receiving unit
	organ_id    TEXT NOT NULL REFERENCES units(id), -- the organ (non-section unit) it belongs to
	source_id   TEXT NOT NULL DEFAULT '',  -- incoming: the outgoing document it came from
	title       TEXT NOT NULL,
	doc_type    TEXT NOT NULL,
	level       BIGINT NOT NULL DEFAULT 0, -- classification: 0 非密, 1 秘密, 2 机密
	urgency     TEXT NOT NULL DEFAULT '',
	doc_number  TEXT NOT NULL DEFAULT '',
	in_number   TEXT NOT NULL DEFAULT '',
	sender      TEXT NOT NULL DEFAULT '',  -- incoming: the sending organ's name
	step        TEXT NOT NULL DEFAULT '',  -- current step name, for lists
	status      TEXT NOT NULL,             -- active | done
	version     BIGINT NOT NULL DEFAULT 1,
	content     TEXT NOT NULL,             -- document.Document as JSON
	created_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	closed_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX documents_unit ON documents(unit_id, updated_at);
CREATE INDEX documents_source ON documents(source_id);

CREATE TABLE doc_versions (
	doc_id     TEXT NOT NULL REFERENCES documents(id),
	n          BIGINT NOT NULL,
	content    TEXT NOT NULL,
	author     TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	PRIMARY KEY (doc_id, n)
);

CREATE TABLE doc_annotations (
	id         TEXT PRIMARY KEY,
	doc_id     TEXT NOT NULL REFERENCES documents(id),
	content    TEXT NOT NULL, -- document.Annotation as JSON
	resolved   BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);
CREATE INDEX doc_annotations_doc ON doc_annotations(doc_id);

CREATE TABLE doc_recipients (
	doc_id  TEXT NOT NULL REFERENCES documents(id),
	unit_id TEXT NOT NULL REFERENCES units(id),
	kind    TEXT NOT NULL, -- to | cc
	PRIMARY KEY (doc_id, unit_id)
);

CREATE TABLE route_instances (
	id         TEXT PRIMARY KEY, -- the document's ID
	seq        BIGINT NOT NULL, -- last event number: optimistic concurrency
	state      TEXT NOT NULL,    -- route.Instance as JSON
	updated_at BIGINT NOT NULL
);

CREATE TABLE route_events (
	instance_id TEXT NOT NULL REFERENCES route_instances(id),
	seq         BIGINT NOT NULL,
	at          BIGINT NOT NULL,
	actor       TEXT NOT NULL DEFAULT '',
	event       TEXT NOT NULL, -- route.Event as JSON
	PRIMARY KEY (instance_id, seq)
);

-- One row per open task, kept in step with the instance, so that a person's
-- 待办 is an index lookup however many documents there are.
CREATE TABLE open_tasks (
	instance_id TEXT NOT NULL,
	task_id     BIGINT NOT NULL,
	kind        TEXT NOT NULL, -- route.AssigneeKind
	person      TEXT NOT NULL DEFAULT '',
	role        TEXT NOT NULL DEFAULT '',
	unit        TEXT NOT NULL DEFAULT '',
	step        TEXT NOT NULL,
	circulate   BIGINT NOT NULL DEFAULT 0,
	handed_at   BIGINT NOT NULL,
	due_at      BIGINT NOT NULL DEFAULT 0,
	ack_due_at  BIGINT NOT NULL DEFAULT 0,
	acked       BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (instance_id, task_id)
);
CREATE INDEX open_tasks_person ON open_tasks(person, handed_at) WHERE person <> '';
CREATE INDEX open_tasks_role ON open_tasks(role, unit, handed_at) WHERE role <> '';
CREATE INDEX open_tasks_unit ON open_tasks(unit, kind, handed_at);

-- Who has taken part in a document (for access and for 已办).
CREATE TABLE participants (
	doc_id    TEXT NOT NULL REFERENCES documents(id),
	person_id TEXT NOT NULL,
	acted_at  BIGINT NOT NULL,
	PRIMARY KEY (doc_id, person_id)
);
CREATE INDEX participants_person ON participants(person_id, acted_at);

-- Gap-free counters: the row is updated inside the transaction that uses the
-- number, so a rolled-back transaction gives its number back.
CREATE TABLE number_counters (
	scope TEXT NOT NULL, -- organ code (发文字号) or "in:"+unit ID (收文编号)
	year  BIGINT NOT NULL,
	last  BIGINT NOT NULL,
	PRIMARY KEY (scope, year)
);

CREATE TABLE number_events (
	id         TEXT PRIMARY KEY,
	scope      TEXT NOT NULL,
	year       BIGINT NOT NULL,
	seq        BIGINT NOT NULL,
	doc_id     TEXT NOT NULL,
	kind       TEXT NOT NULL, -- assign | void
	reason     TEXT NOT NULL DEFAULT '',
	by_person  TEXT NOT NULL,
	at         BIGINT NOT NULL
);
CREATE INDEX number_events_scope ON number_events(scope, year, seq);

CREATE TABLE blobs (
	sha256     TEXT PRIMARY KEY,
	size       BIGINT NOT NULL,
	media_type TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE doc_files (
	doc_id   TEXT NOT NULL REFERENCES documents(id),
	sha256   TEXT NOT NULL REFERENCES blobs(sha256),
	name     TEXT NOT NULL,
	role     TEXT NOT NULL, -- attachment | scan
	added_by TEXT NOT NULL,
	added_at BIGINT NOT NULL,
	PRIMARY KEY (doc_id, sha256, name)
);
