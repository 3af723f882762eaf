-- Lists page and count in the database (issue 11). Each open task and each
-- participation carries its document's 密级 (and a participation whether the
-- document is closed), kept in step by triggers, so that a person's 待办,
-- 待阅, 已办 and 办结 are counted from one covering index and read a page at a
-- time, with the access predicate (密级 within the viewer's clearance) in SQL:
-- the cost of a page no longer grows with the backlog. A row whose document is
-- missing gets level 3, above every clearance: never listed nor counted.
ALTER TABLE open_tasks ADD COLUMN level INTEGER NOT NULL DEFAULT 3;
ALTER TABLE participants ADD COLUMN level INTEGER NOT NULL DEFAULT 3;
ALTER TABLE participants ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
UPDATE open_tasks SET level = COALESCE((SELECT d.level FROM documents d WHERE d.id = open_tasks.instance_id), 3);
UPDATE participants SET
	level = COALESCE((SELECT d.level FROM documents d WHERE d.id = participants.doc_id), 3),
	closed = COALESCE((SELECT CASE WHEN d.status = 'done' THEN 1 ELSE 0 END FROM documents d WHERE d.id = participants.doc_id), 0);

CREATE TRIGGER open_tasks_level AFTER INSERT ON open_tasks BEGIN
	UPDATE open_tasks SET level = COALESCE((SELECT d.level FROM documents d WHERE d.id = NEW.instance_id), 3)
	WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER participants_level AFTER INSERT ON participants BEGIN
	UPDATE participants SET
		level = COALESCE((SELECT d.level FROM documents d WHERE d.id = NEW.doc_id), 3),
		closed = COALESCE((SELECT CASE WHEN d.status = 'done' THEN 1 ELSE 0 END FROM documents d WHERE d.id = NEW.doc_id), 0)
	WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER documents_lists AFTER UPDATE OF level, status ON documents
WHEN OLD.level <> NEW.level OR OLD.status <> NEW.status BEGIN
	UPDATE open_tasks SET level = NEW.level WHERE instance_id = NEW.id AND level <> NEW.level;
	UPDATE participants SET level = NEW.level, closed = CASE WHEN NEW.status = 'done' THEN 1 ELSE 0 END WHERE doc_id = NEW.id;
END;

-- One index per way of holding a task serves both the page (newest first
-- within 待办 or 待阅) and the count (kind and level read from the index).
DROP INDEX open_tasks_person;
DROP INDEX open_tasks_assignee;
CREATE INDEX open_tasks_person ON open_tasks(person, circulate, handed_at, kind, level);
CREATE INDEX open_tasks_assignee ON open_tasks(unit, kind, role, circulate, handed_at, level);
DROP INDEX participants_person;
CREATE INDEX participants_person ON participants(person_id, closed, acted_at, level);
