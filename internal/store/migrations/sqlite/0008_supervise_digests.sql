-- Supervision at scale (issue 4): the sweep's digests. The notices that fall
-- due for a great many items at once (the daily reminder of every overdue
-- item; the report reminders and warnings of weekly and monthly schedules;
-- the due-soon, overdue and escalation warnings of items' own deadlines) are
-- sent as one digest per recipient and slot, found with the set-based queries
-- below instead of waking each item, and the lights they change are set with
-- set-based updates (and, for missed reports, report_yellow_at below). The columns mirror the predicates of supervise/digest.go;
-- each row of sup_units carries what they read of its item.
ALTER TABLE sup_units ADD COLUMN handling INTEGER NOT NULL DEFAULT 0;        -- item assigned or in progress
ALTER TABLE sup_units ADD COLUMN released INTEGER NOT NULL DEFAULT 0;        -- co-unit released at 申请办结
ALTER TABLE sup_units ADD COLUMN sched_kind TEXT NOT NULL DEFAULT '';        -- weekly, monthly, milestones
ALTER TABLE sup_units ADD COLUMN sched_day INTEGER NOT NULL DEFAULT 0;       -- weekday or day of month
ALTER TABLE sup_units ADD COLUMN round_start INTEGER NOT NULL DEFAULT 0;      -- the item's (last) 交办
ALTER TABLE sup_units ADD COLUMN last_report_at INTEGER NOT NULL DEFAULT 0;   -- this unit's latest report
ALTER TABLE sup_units ADD COLUMN deadline_due INTEGER NOT NULL DEFAULT 0;     -- the item's current deadline
ALTER TABLE sup_units ADD COLUMN deadline_set_at INTEGER NOT NULL DEFAULT 0;  -- when that deadline was set
ALTER TABLE sup_units ADD COLUMN registrar TEXT NOT NULL DEFAULT '';         -- the item's 督查室 person
-- In the order the digests group by, so a query reads its rows in order and
-- counts them without sorting.
CREATE INDEX sup_units_report ON sup_units(sched_kind, sched_day, unit_id, responsible, registrar, round_start, last_report_at, item_id)
	WHERE handling = 1 AND released = 0;
CREATE INDEX sup_units_overdue ON sup_units(unit_id, responsible, registrar, deadline_due, item_id) WHERE handling = 1 AND lead = 1;
CREATE INDEX sup_units_deadline ON sup_units(deadline_due, deadline_set_at, unit_id, responsible, registrar, item_id)
	WHERE handling = 1 AND lead = 1;
-- The lights that deadlines change (yellow when the window opens, red after).
CREATE INDEX sup_items_deadline ON sup_items(deadline_due) WHERE state IN ('assigned', 'in_progress');

-- When a missed weekly or monthly report turns the item yellow
-- (supervise.Sweep.ReportYellowAt): the light shown is yellow where the stored
-- light is green and this time has come, so the many items that miss a report
-- at one close of office need no update.
ALTER TABLE sup_items ADD COLUMN report_yellow_at INTEGER NOT NULL DEFAULT 0;

-- The item as JSON moves to a table of its own: sup_items keeps the small
-- columns that lists, lights and statistics read and write, so the sweep's
-- set-based light updates rewrite a row of a few hundred bytes, not the
-- whole item with its history (SQLite rewrites a changed record whole).
CREATE TABLE sup_item_content (
	id      TEXT PRIMARY KEY REFERENCES sup_items(id),
	content TEXT NOT NULL
);
INSERT INTO sup_item_content (id, content) SELECT id, content FROM sup_items;
ALTER TABLE sup_items DROP COLUMN content;

-- Rows written before this migration have the columns empty: the sweep wakes
-- every open item once and fills them (units_fresh = 0 until then).
ALTER TABLE sup_items ADD COLUMN units_fresh INTEGER NOT NULL DEFAULT 0;
UPDATE sup_items SET next_notice_at = 1 WHERE state IN ('assigned', 'in_progress', 'pending_review');
