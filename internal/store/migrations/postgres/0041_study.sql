-- Study and training (学习培训): plans and sessions as JSON (study.Plan,
-- study.Training) with the people they name, for a person's own list and
-- the hours per year; the library of 范文 and 经验交流, searched by title,
-- kind and unit.
CREATE TABLE study_plans (
	id         TEXT PRIMARY KEY,
	office_id  TEXT NOT NULL,
	year       BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	seq        BIGINT NOT NULL,
	content    TEXT NOT NULL
);
CREATE INDEX study_plans_office ON study_plans(office_id, year);

CREATE TABLE study_plan_people (
	plan_id   TEXT NOT NULL REFERENCES study_plans(id),
	person_id TEXT NOT NULL,
	PRIMARY KEY (plan_id, person_id)
);
CREATE INDEX study_plan_people_person ON study_plan_people(person_id);

CREATE TABLE trainings (
	id        TEXT PRIMARY KEY,
	office_id TEXT NOT NULL,
	start_at  BIGINT NOT NULL,
	seq       BIGINT NOT NULL,
	content   TEXT NOT NULL
);
CREATE INDEX trainings_office ON trainings(office_id, start_at);

CREATE TABLE training_people (
	training_id TEXT NOT NULL REFERENCES trainings(id),
	person_id   TEXT NOT NULL,
	PRIMARY KEY (training_id, person_id)
);
CREATE INDEX training_people_person ON training_people(person_id);

CREATE TABLE study_library (
	id        TEXT PRIMARY KEY,
	office_id TEXT NOT NULL,
	kind      TEXT NOT NULL,
	title     TEXT NOT NULL,
	unit_id   TEXT NOT NULL,
	doc_id    TEXT NOT NULL DEFAULT '',
	added_at  BIGINT NOT NULL,
	content   TEXT NOT NULL
);
CREATE INDEX study_library_office ON study_library(office_id, kind, added_at);
CREATE UNIQUE INDEX study_library_doc ON study_library(office_id, doc_id) WHERE doc_id <> '';
