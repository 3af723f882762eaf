-- Each person's choices of what reaches them beyond the inbox (notify.Prefs:
-- topics per channel, and a mail address), kept as JSON; no row: inbox only.
CREATE TABLE notify_prefs (
	person_id  TEXT PRIMARY KEY REFERENCES people(id),
	prefs      TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);
