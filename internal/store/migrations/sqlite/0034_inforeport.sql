-- Information reports (信息报送): each report as JSON (inforeport.Report)
-- plus the columns lists, the editors' queue and scoring read; 约稿 with
-- the units they ask (for the units' 待办); the publications' issues, one
-- number per office, publication and year; the scoring rules' versions.
CREATE TABLE info_reports (
	id              TEXT PRIMARY KEY,
	office_id       TEXT NOT NULL,            -- the office it is submitted to
	unit_id         TEXT NOT NULL,            -- submitting unit
	person_id       TEXT NOT NULL,
	state           TEXT NOT NULL,
	level           INTEGER NOT NULL DEFAULT 0, -- 密级
	category        TEXT NOT NULL,
	title           TEXT NOT NULL,
	solicitation_id TEXT NOT NULL DEFAULT '',
	top_level       TEXT NOT NULL DEFAULT '', -- highest adoption level
	submitted_at    INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	seq             INTEGER NOT NULL,
	content         TEXT NOT NULL
);
CREATE INDEX info_reports_office ON info_reports(office_id, state, submitted_at);
CREATE INDEX info_reports_unit ON info_reports(unit_id, submitted_at);
CREATE INDEX info_reports_solicitation ON info_reports(solicitation_id) WHERE solicitation_id <> '';

CREATE TABLE info_solicitations (
	id         TEXT PRIMARY KEY,
	office_id  TEXT NOT NULL,
	due_at     INTEGER NOT NULL,
	closed     INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	content    TEXT NOT NULL
);
CREATE INDEX info_solicitations_office ON info_solicitations(office_id, due_at);

CREATE TABLE info_solicitation_units (
	solicitation_id TEXT NOT NULL REFERENCES info_solicitations(id),
	unit_id         TEXT NOT NULL,
	PRIMARY KEY (solicitation_id, unit_id)
);
CREATE INDEX info_solicitation_units_unit ON info_solicitation_units(unit_id);

CREATE TABLE info_issues (
	id          TEXT PRIMARY KEY,
	office_id   TEXT NOT NULL,
	publication TEXT NOT NULL,
	year        INTEGER NOT NULL,
	seq         INTEGER NOT NULL,
	issued_at   INTEGER NOT NULL,
	document_id TEXT NOT NULL DEFAULT '',
	content     TEXT NOT NULL
);
CREATE UNIQUE INDEX info_issues_number ON info_issues(office_id, publication, year, seq);
