-- Signed opinions (签发意见, 拟办意见, 批示): each person's SM2 key, made at
-- their first signed opinion and stored only wrapped (SM4-GCM under the master
-- key outside the database), and the signature of each opinion beside its
-- route task. Neither is ever updated or deleted: an opinion must stay
-- verifiable.
CREATE TABLE person_keys (
	person_id     TEXT PRIMARY KEY REFERENCES people(id),
	public_key    BYTEA NOT NULL,
	wrapped_key   BYTEA NOT NULL,
	master_key_id TEXT NOT NULL,
	fingerprint   TEXT NOT NULL UNIQUE,
	created_at    BIGINT NOT NULL
);
CREATE TABLE opinion_signatures (
	doc_id      TEXT NOT NULL REFERENCES documents(id),
	task_id     INTEGER NOT NULL,
	person_id   TEXT NOT NULL REFERENCES people(id),
	version     INTEGER NOT NULL,
	fingerprint TEXT NOT NULL,
	signature   BYTEA NOT NULL,
	signed_at   BIGINT NOT NULL,
	PRIMARY KEY (doc_id, task_id)
);
