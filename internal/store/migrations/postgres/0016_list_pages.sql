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
UPDATE open_tasks t SET level = d.level FROM documents d WHERE d.id = t.instance_id;
UPDATE participants p SET level = d.level, closed = CASE WHEN d.status = 'done' THEN 1 ELSE 0 END
FROM documents d WHERE d.id = p.doc_id;

CREATE FUNCTION open_tasks_level() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.level := COALESCE((SELECT d.level FROM documents d WHERE d.id = NEW.instance_id), 3);
	RETURN NEW;
END $$;
CREATE TRIGGER open_tasks_level BEFORE INSERT ON open_tasks
FOR EACH ROW EXECUTE PROCEDURE open_tasks_level();

CREATE FUNCTION participants_level() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT d.level, CASE WHEN d.status = 'done' THEN 1 ELSE 0 END INTO NEW.level, NEW.closed
	FROM documents d WHERE d.id = NEW.doc_id;
	NEW.level := COALESCE(NEW.level, 3);
	NEW.closed := COALESCE(NEW.closed, 0);
	RETURN NEW;
END $$;
CREATE TRIGGER participants_level BEFORE INSERT ON participants
FOR EACH ROW EXECUTE PROCEDURE participants_level();

CREATE FUNCTION documents_lists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE open_tasks SET level = NEW.level WHERE instance_id = NEW.id AND level <> NEW.level;
	UPDATE participants SET level = NEW.level, closed = CASE WHEN NEW.status = 'done' THEN 1 ELSE 0 END WHERE doc_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER documents_lists AFTER UPDATE OF level, status ON documents
FOR EACH ROW WHEN (OLD.level <> NEW.level OR OLD.status <> NEW.status) EXECUTE PROCEDURE documents_lists();

-- One index per way of holding a task serves both the page (newest first
-- within 待办 or 待阅) and the count (kind and level read from the index).
DROP INDEX open_tasks_person;
DROP INDEX open_tasks_assignee;
CREATE INDEX open_tasks_person ON open_tasks(person, circulate, handed_at, kind, level);
CREATE INDEX open_tasks_assignee ON open_tasks(unit, kind, role, circulate, handed_at, level);
DROP INDEX participants_person;
CREATE INDEX participants_person ON participants(person_id, closed, acted_at, level);
