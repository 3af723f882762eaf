-- 办会: meeting rooms and meetings. A meeting is kept whole as JSON
-- (content: invitees with their replies and sign-ins, agenda, its approval's
-- route, decisions) with the columns its lists and the room check read;
-- version guards a read-modify-write. A leader's time taken by a meeting is
-- a schedule entry (source_kind 'meeting'), written in the same transaction.
-- meeting_people lists everyone a meeting concerns, for "my meetings".
CREATE TABLE meeting_rooms (
	id       TEXT PRIMARY KEY,
	organ_id TEXT NOT NULL REFERENCES units(id),
	name     TEXT NOT NULL,
	sort     INTEGER NOT NULL DEFAULT 0,
	content  TEXT NOT NULL
);
CREATE TABLE meetings (
	id         TEXT PRIMARY KEY,
	office_id  TEXT NOT NULL REFERENCES units(id),
	kind       TEXT NOT NULL,
	room_id    TEXT NOT NULL REFERENCES meeting_rooms(id),
	start_at   INTEGER NOT NULL,
	end_at     INTEGER NOT NULL,
	status     TEXT NOT NULL,
	title      TEXT NOT NULL,
	level      INTEGER NOT NULL DEFAULT 0,
	content    TEXT NOT NULL,
	version    INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (end_at > start_at)
);
CREATE INDEX meetings_room_start ON meetings (room_id, start_at);
CREATE INDEX meetings_start ON meetings (start_at);
CREATE TABLE meeting_people (
	person_id  TEXT NOT NULL,
	meeting_id TEXT NOT NULL REFERENCES meetings(id),
	PRIMARY KEY (person_id, meeting_id)
);
