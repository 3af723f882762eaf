-- The second factor that unlocks a person's signing key (签发, 批示): the
-- TOTP secret of their authenticator app, stored only wrapped (SM4-GCM under
-- the master key, bound to the person); pending until confirmed with a
-- code. last_step makes each code usable once; failures/last_failed stop
-- guessing; unlocked_until is set by a right code and consumed by the one
-- signature it unlocks.
CREATE TABLE person_otp (
	person_id      TEXT PRIMARY KEY REFERENCES people(id),
	wrapped_secret BLOB NOT NULL,
	master_key_id  TEXT NOT NULL,
	active         INTEGER NOT NULL DEFAULT 0,
	last_step      INTEGER NOT NULL DEFAULT 0,
	failures       INTEGER NOT NULL DEFAULT 0,
	last_failed    INTEGER NOT NULL DEFAULT 0,
	unlocked_until INTEGER NOT NULL DEFAULT 0,
	created_at     INTEGER NOT NULL
);
