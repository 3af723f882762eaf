-- Schedule entries (领导日程): the one source of a person's busy time. An
-- entry is kept by hand on the person's calendar (source_kind '') or owned by
-- another module (source_kind 'meeting', 'duty' with the owning object's ID
-- in source_id), which adds, replaces and removes its entries in its own
-- transaction. [start_at, end_at) in microseconds, UTC; an all-day entry runs
-- midnight to midnight in Asia/Shanghai. visibility: organ | leaders | private.
CREATE TABLE schedule_entries (
	id          TEXT PRIMARY KEY,
	person_id   TEXT NOT NULL REFERENCES people(id),
	start_at    BIGINT NOT NULL,
	end_at      BIGINT NOT NULL,
	all_day     INTEGER NOT NULL DEFAULT 0,
	title       TEXT NOT NULL,
	place       TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	visibility  TEXT NOT NULL,
	source_kind TEXT NOT NULL DEFAULT '',
	source_id   TEXT NOT NULL DEFAULT '',
	created_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	CHECK (end_at > start_at)
);
CREATE INDEX schedule_entries_person ON schedule_entries (person_id, start_at);
CREATE INDEX schedule_entries_start ON schedule_entries (start_at);
CREATE INDEX schedule_entries_source ON schedule_entries (source_kind, source_id) WHERE source_kind <> '';
