-- Supervision (督查督办): each item as JSON (supervise.Item, its route instance
-- and history inside) plus the columns that lists, warnings and statistics
-- read. next_notice_at is the scheduler's index: the sweep wakes only the
-- items whose next notice has come. The facts columns (first_assigned_at …
-- records) are what supervise.Facts reads, so statistics never decode items.
CREATE TABLE sup_items (
	id                TEXT PRIMARY KEY,
	source            TEXT NOT NULL,
	state             TEXT NOT NULL,
	light             TEXT NOT NULL DEFAULT '',
	office            TEXT NOT NULL,
	lead_unit         TEXT NOT NULL,
	title             TEXT NOT NULL,
	ref               TEXT NOT NULL DEFAULT '',
	created_at        BIGINT NOT NULL,
	updated_at        BIGINT NOT NULL,
	deadline_due      BIGINT NOT NULL DEFAULT 0,
	first_assigned_at BIGINT NOT NULL DEFAULT 0,
	closed_at         BIGINT NOT NULL DEFAULT 0,
	accepted_at       BIGINT NOT NULL DEFAULT 0,
	last_submit_at    BIGINT NOT NULL DEFAULT 0,
	last_review_at    BIGINT NOT NULL DEFAULT 0,
	records           TEXT NOT NULL DEFAULT '', -- extensions, urgings, proposal rounds as JSON ('' when none)
	next_notice_at    BIGINT NOT NULL DEFAULT 0, -- 0: nothing can fall due
	rev               BIGINT NOT NULL,           -- bumped at every write, for the statistics cache
	content           TEXT NOT NULL
);
CREATE INDEX sup_items_next ON sup_items(next_notice_at) WHERE next_notice_at > 0;
CREATE INDEX sup_items_state ON sup_items(state, light, updated_at);
CREATE INDEX sup_items_lead ON sup_items(lead_unit, updated_at);
CREATE INDEX sup_items_source ON sup_items(source, updated_at);
CREATE INDEX sup_items_rev ON sup_items(rev);
CREATE INDEX sup_items_ref ON sup_items(ref);

-- Every unit on an item (lead and co-units), for "my unit's items".
CREATE TABLE sup_units (
	item_id     TEXT NOT NULL REFERENCES sup_items(id),
	unit_id     TEXT NOT NULL,
	lead        INTEGER NOT NULL DEFAULT 0,
	responsible TEXT NOT NULL,
	PRIMARY KEY (item_id, unit_id)
);
CREATE INDEX sup_units_unit ON sup_units(unit_id, item_id);

-- The last revision handed out: rows take rev = last + 1 in the writing transaction.
CREATE TABLE sup_rev (
	id   INTEGER PRIMARY KEY,
	last BIGINT NOT NULL
);
INSERT INTO sup_rev (id, last) VALUES (1, 0);
