-- Notifications: the in-app inbox (one row per message key, so a message is
-- stored once however often it is produced), outbound deliveries with their
-- retry state and log, and the cursors of the durable sweeps that produce
-- reminders, so that a restart or a day of downtime is caught up exactly once.
CREATE TABLE inbox (
	msg_key    TEXT PRIMARY KEY,
	person_id  TEXT NOT NULL,
	kind       TEXT NOT NULL,
	subject    TEXT NOT NULL,
	body       TEXT NOT NULL DEFAULT '',
	link       TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	read_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX inbox_person ON inbox(person_id, created_at);

CREATE TABLE deliveries (
	msg_key      TEXT NOT NULL REFERENCES inbox(msg_key),
	channel      TEXT NOT NULL,
	address      TEXT NOT NULL,
	state        TEXT NOT NULL, -- pending | sent | failed
	attempts     BIGINT NOT NULL DEFAULT 0,
	next_at      BIGINT NOT NULL,
	locked_by    TEXT NOT NULL DEFAULT '',
	locked_until BIGINT NOT NULL DEFAULT 0,
	last_error   TEXT NOT NULL DEFAULT '',
	sent_at      BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (msg_key, channel)
);
CREATE INDEX deliveries_due ON deliveries(state, next_at);

CREATE TABLE delivery_log (
	msg_key TEXT NOT NULL,
	channel TEXT NOT NULL,
	attempt BIGINT NOT NULL,
	at      BIGINT NOT NULL,
	worker  TEXT NOT NULL,
	outcome TEXT NOT NULL, -- sent | retry | failed
	error   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (msg_key, channel, attempt)
);

CREATE TABLE sweep_cursors (
	name         TEXT PRIMARY KEY,
	swept_to     BIGINT NOT NULL,
	locked_by    TEXT NOT NULL DEFAULT '',
	locked_until BIGINT NOT NULL DEFAULT 0
);
