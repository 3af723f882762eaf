-- Each version keeps the 密级 it had. 定密, 变更密级 and 解密 are an operation of
-- their own that makes a new version (saving the text no longer changes the
-- marking), and reading an earlier version is decided at its own level, not
-- at the document's level now: a document lowered to 非密 does not open its
-- 机密 versions to everyone in the unit.
ALTER TABLE doc_versions ADD COLUMN level BIGINT NOT NULL DEFAULT 0;
UPDATE doc_versions SET level = CASE content::jsonb #>> '{classification,level}'
	WHEN 'confidential' THEN 1 WHEN '1' THEN 1
	WHEN 'secret' THEN 2 WHEN '2' THEN 2
	WHEN 'top_secret' THEN 3 WHEN '3' THEN 3
	ELSE 0 END;
