-- Electronic seals (电子印章), registered by the security officer. The
-- private key is stored only wrapped (SM4-GCM under the master key, which
-- lives outside the database; master_key_id names it). A seal is never
-- deleted — documents sealed with it must stay verifiable by its
-- fingerprint — only revoked.
CREATE TABLE seals (
	id            TEXT PRIMARY KEY,
	unit_id       TEXT NOT NULL REFERENCES units(id),
	organ         TEXT NOT NULL,
	name          TEXT NOT NULL,
	kind          TEXT NOT NULL,
	image         BYTEA NOT NULL,
	cert          BYTEA NOT NULL,
	wrapped_key   BYTEA NOT NULL,
	master_key_id TEXT NOT NULL,
	fingerprint   TEXT NOT NULL UNIQUE,
	valid_from    BIGINT NOT NULL,
	valid_until   BIGINT NOT NULL,
	created_by    TEXT NOT NULL,
	created_at    BIGINT NOT NULL,
	revoked_at    BIGINT NOT NULL DEFAULT 0
);
-- One seal in force per name in an organ.
CREATE UNIQUE INDEX seals_unit_name ON seals(unit_id, name) WHERE revoked_at = 0;
