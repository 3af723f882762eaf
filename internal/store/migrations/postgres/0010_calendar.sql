-- The working-day calendar as data the system administrator edits: one row
-- per year (calendar.Year as JSON) and one state row with the office hours
-- and a revision that every edit raises. Servers sharing the database compare
-- the revision (one primary-key read) and reload only when it moved.
CREATE TABLE calendar_years (
	year            INTEGER PRIMARY KEY,
	data            TEXT NOT NULL,             -- calendar.Year as JSON
	changed_by      TEXT NOT NULL DEFAULT '',  -- person ID; '' for the shipped data
	changed_by_name TEXT NOT NULL DEFAULT '',
	changed_at      BIGINT NOT NULL
);

CREATE TABLE calendar_state (
	id              INTEGER PRIMARY KEY CHECK (id = 1),
	revision        BIGINT NOT NULL,
	hours           TEXT NOT NULL DEFAULT '',  -- "08:30-12:00,14:30-17:30"; '' is the default
	changed_by      TEXT NOT NULL DEFAULT '',
	changed_by_name TEXT NOT NULL DEFAULT '',
	changed_at      BIGINT NOT NULL DEFAULT 0
);
INSERT INTO calendar_state (id, revision) VALUES (1, 0);
