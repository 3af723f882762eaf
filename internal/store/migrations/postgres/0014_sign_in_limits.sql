-- Sign-in limits (see account.Throttle): failures are counted per account
-- from one source ('pair'), per account from any source ('account') and per
-- source for any account ('source'), for login names that do not exist as for
-- those that do. A pair row also remembers the last successful sign-in from
-- its source, which makes the source one of the account's usual ones. This
-- replaces the one per-account counter in people, with which five anonymous
-- requests locked anyone out.
CREATE TABLE login_limits (
	kind         TEXT NOT NULL,               -- 'pair', 'account' or 'source'
	login        TEXT NOT NULL,               -- login name as typed, lower-cased; '' for a source
	source       TEXT NOT NULL,               -- client address (IPv6: its /64); '' for an account
	failures     BIGINT NOT NULL DEFAULT 0,
	last_failure BIGINT NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	last_ok      BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, login, source)
);
CREATE INDEX login_limits_age ON login_limits(last_failure);

ALTER TABLE people DROP COLUMN failures;
ALTER TABLE people DROP COLUMN locked_until;

-- API tokens expire; those made before expire 90 days after they were made.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires_at = created_at + 7776000000000;
