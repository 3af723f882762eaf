-- 发文字号 series (文号系列): an organ has several (清政发, 清政办发, 清政函,
-- 清政明电, 纪要), each counted gap-free per year in number_counters under its
-- code. types lists the doc types a series carries, comma-separated; empty
-- means any. An organ without rows numbers under its 机关代字.
CREATE TABLE doc_series (
	code     TEXT PRIMARY KEY,
	organ_id TEXT NOT NULL REFERENCES units(id),
	name     TEXT NOT NULL,
	types    TEXT NOT NULL DEFAULT '',
	sort     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX doc_series_organ ON doc_series(organ_id, sort);
