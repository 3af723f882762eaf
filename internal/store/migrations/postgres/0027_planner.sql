-- The week programme (一周工作安排) of an organ, one per organ and week
-- (the Monday, YYYY-MM-DD): its rows as JSON (planner.Row), its status
-- (draft | submitted | approved | published) and a version for concurrent
-- edits.
CREATE TABLE week_programmes (
	organ_id     TEXT NOT NULL REFERENCES units(id),
	week         TEXT NOT NULL,
	status       TEXT NOT NULL,
	rows_json    TEXT NOT NULL,
	version      INTEGER NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	edited_by    TEXT NOT NULL DEFAULT '',
	edited_at    BIGINT NOT NULL DEFAULT 0,
	approved_by  TEXT NOT NULL DEFAULT '',
	approved_at  BIGINT NOT NULL DEFAULT 0,
	published_at BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (organ_id, week)
);
-- A person's iCalendar feed: a secret URL whose token only the hash of is
-- kept; revoked, the URL answers nothing. One live feed per person.
CREATE TABLE schedule_feeds (
	id           TEXT PRIMARY KEY,
	person_id    TEXT NOT NULL REFERENCES people(id),
	token_hash   TEXT NOT NULL UNIQUE,
	created_by   TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	revoked_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX schedule_feeds_person ON schedule_feeds (person_id);
