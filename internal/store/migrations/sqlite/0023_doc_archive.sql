-- 归档 (DA/T 22-2015): a document's place in its organ's 全宗 — 年度, 保管期限,
-- 机构（问题）, 件号 and the 档号 they make — with its line of the 归档文件目录
-- as filed (archive.Entry as JSON). 件号 are taken gap-free from
-- number_counters in the archiving transaction. Once a document has a row
-- here it does not change: every write path refuses it.
CREATE TABLE doc_archive (
	doc_id      TEXT PRIMARY KEY REFERENCES documents(id),
	organ_id    TEXT NOT NULL,
	code        TEXT NOT NULL UNIQUE,
	fonds       TEXT NOT NULL,
	year        INTEGER NOT NULL,
	retention   TEXT NOT NULL,
	unit_id     TEXT NOT NULL,
	unit_code   TEXT NOT NULL,
	piece       INTEGER NOT NULL,
	entry       TEXT NOT NULL,
	archived_by TEXT NOT NULL,
	archived_at BIGINT NOT NULL,
	UNIQUE (fonds, year, retention, unit_code, piece)
);
CREATE INDEX doc_archive_catalogue ON doc_archive(organ_id, year, retention, unit_code, piece);
