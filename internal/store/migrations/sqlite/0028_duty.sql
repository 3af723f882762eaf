-- Duty (值班): rosters with their shifts, swap requests, each shift's log
-- (值班日志) and its entries, and the handovers (交接班) with the open
-- matters the incoming person acknowledges one by one. Dates are
-- 'YYYY-MM-DD' in Asia/Shanghai; instants are microseconds, UTC.
CREATE TABLE duty_rosters (
	id           TEXT PRIMARY KEY,
	unit_id      TEXT NOT NULL REFERENCES units(id),
	title        TEXT NOT NULL,
	from_date    TEXT NOT NULL,
	to_date      TEXT NOT NULL,
	rotation     TEXT NOT NULL,
	state        TEXT NOT NULL,
	created_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	published_by TEXT NOT NULL DEFAULT '',
	published_at INTEGER NOT NULL DEFAULT 0,
	version      INTEGER NOT NULL
);
CREATE INDEX duty_rosters_unit ON duty_rosters (unit_id, from_date);
CREATE TABLE duty_shifts (
	roster_id TEXT NOT NULL REFERENCES duty_rosters(id),
	date      TEXT NOT NULL,
	kind      TEXT NOT NULL,
	day_name  TEXT NOT NULL DEFAULT '',
	start_at  INTEGER NOT NULL,
	end_at    INTEGER NOT NULL,
	leader_id TEXT NOT NULL DEFAULT '',
	staff_id  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (roster_id, date)
);
CREATE INDEX duty_shifts_start ON duty_shifts (start_at);
CREATE INDEX duty_shifts_leader ON duty_shifts (leader_id, start_at);
CREATE INDEX duty_shifts_staff ON duty_shifts (staff_id, start_at);
CREATE TABLE duty_swaps (
	id           TEXT PRIMARY KEY,
	roster_id    TEXT NOT NULL REFERENCES duty_rosters(id),
	kind         TEXT NOT NULL,
	post         TEXT NOT NULL,
	date         TEXT NOT NULL,
	from_id      TEXT NOT NULL,
	to_id        TEXT NOT NULL,
	with_date    TEXT NOT NULL DEFAULT '',
	reason       TEXT NOT NULL,
	state        TEXT NOT NULL,
	requested_at INTEGER NOT NULL,
	decided_by   TEXT NOT NULL DEFAULT '',
	decided_at   INTEGER NOT NULL DEFAULT 0,
	note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX duty_swaps_roster ON duty_swaps (roster_id, requested_at);
CREATE TABLE duty_logs (
	roster_id    TEXT NOT NULL REFERENCES duty_rosters(id),
	date         TEXT NOT NULL,
	summary      TEXT NOT NULL,
	submitted_by TEXT NOT NULL,
	submitted_at INTEGER NOT NULL,
	PRIMARY KEY (roster_id, date)
);
CREATE TABLE duty_entries (
	id         TEXT PRIMARY KEY,
	roster_id  TEXT NOT NULL REFERENCES duty_rosters(id),
	date       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	at         INTEGER NOT NULL,
	party      TEXT NOT NULL DEFAULT '',
	party_unit TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL DEFAULT '',
	content    TEXT NOT NULL,
	handling   TEXT NOT NULL DEFAULT '',
	level      INTEGER NOT NULL DEFAULT 0,
	escalated  TEXT NOT NULL DEFAULT '',
	by_id      TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX duty_entries_shift ON duty_entries (roster_id, date, at);
CREATE TABLE duty_handovers (
	id           TEXT PRIMARY KEY,
	roster_id    TEXT NOT NULL REFERENCES duty_rosters(id),
	date         TEXT NOT NULL,
	post         TEXT NOT NULL,
	from_id      TEXT NOT NULL,
	to_roster_id TEXT NOT NULL,
	to_date      TEXT NOT NULL,
	to_id        TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	handed_at    INTEGER NOT NULL,
	ack_at       INTEGER NOT NULL DEFAULT 0,
	UNIQUE (roster_id, date, post)
);
CREATE INDEX duty_handovers_open ON duty_handovers (to_id) WHERE ack_at = 0;
CREATE TABLE duty_matters (
	handover_id TEXT NOT NULL REFERENCES duty_handovers(id),
	seq         INTEGER NOT NULL,
	text        TEXT NOT NULL,
	ack_at      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (handover_id, seq)
);
