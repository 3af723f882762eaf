-- The 待办 query reads each of a person's matching groups newest first
-- through one index prefix — (unit, kind, role) or person — and stops after
-- the page it needs. The partial indexes of 0002 could not serve that.
DROP INDEX open_tasks_person;
DROP INDEX open_tasks_role;
DROP INDEX open_tasks_unit;
CREATE INDEX open_tasks_person ON open_tasks(person, handed_at);
CREATE INDEX open_tasks_assignee ON open_tasks(unit, kind, role, handed_at);
