-- Research (调研): each topic as JSON (research.Topic) with the columns the
-- lists read; the units it is assigned to (for a unit's own list); and the
-- library of accepted reports, refreshed with the topic, searched by title,
-- topic and unit.
CREATE TABLE research_topics (
	id         TEXT PRIMARY KEY,
	office_id  TEXT NOT NULL,
	state      TEXT NOT NULL,
	title      TEXT NOT NULL,
	due_at     INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	content    TEXT NOT NULL
);
CREATE INDEX research_topics_office ON research_topics(office_id, created_at);

CREATE TABLE research_topic_units (
	topic_id TEXT NOT NULL REFERENCES research_topics(id),
	unit_id  TEXT NOT NULL,
	PRIMARY KEY (topic_id, unit_id)
);
CREATE INDEX research_topic_units_unit ON research_topic_units(unit_id);

CREATE TABLE research_library (
	topic_id    TEXT NOT NULL REFERENCES research_topics(id),
	report_no   INTEGER NOT NULL,
	office_id   TEXT NOT NULL,
	title       TEXT NOT NULL,
	topic_title TEXT NOT NULL,
	unit_id     TEXT NOT NULL,
	accepted_at INTEGER NOT NULL,
	instructed  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (topic_id, report_no)
);
CREATE INDEX research_library_office ON research_library(office_id, accepted_at);
