-- 考核评比: the rules' versions, unit renames and merges the scoreboard
-- follows, and eval_facts — one row per record an indicator counts, kept up to
-- date from the documents, supervision items and meetings changed since the
-- last refresh (sweep_cursors 'eval_facts'), so that a scoreboard reads a few
-- indexed ranges instead of decoding every route.
CREATE TABLE eval_rules (
	version    INTEGER PRIMARY KEY,
	effective  BIGINT NOT NULL,
	content    TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE eval_unit_changes (
	unit_id   TEXT NOT NULL,
	kind      TEXT NOT NULL, -- rename | merge
	old_name  TEXT NOT NULL DEFAULT '',
	into_id   TEXT NOT NULL DEFAULT '',
	effective BIGINT NOT NULL,
	PRIMARY KEY (unit_id, kind, effective)
);

CREATE TABLE eval_facts (
	kind      TEXT NOT NULL, -- sign_for | closing | supervised | draft | meeting
	record_id TEXT NOT NULL,
	sub       TEXT NOT NULL DEFAULT '', -- meeting: the invitee
	unit_id   TEXT NOT NULL,
	at        BIGINT NOT NULL,           -- what a period is chosen by: the limit, the arrival, the sending up, the meeting's start
	start_at  BIGINT NOT NULL DEFAULT 0,
	due_at    BIGINT NOT NULL DEFAULT 0,
	done_at   BIGINT NOT NULL DEFAULT 0,
	end_at    BIGINT NOT NULL DEFAULT 0,
	signed_at BIGINT NOT NULL DEFAULT 0,
	chars     INTEGER NOT NULL DEFAULT 0,
	accepted  INTEGER NOT NULL DEFAULT 0,
	absent    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, record_id, sub)
);
CREATE INDEX eval_facts_at ON eval_facts (kind, at);

CREATE INDEX eval_documents_updated ON documents (updated_at);
CREATE INDEX eval_sup_items_updated ON sup_items (updated_at);
CREATE INDEX eval_meetings_updated ON meetings (updated_at);
CREATE INDEX eval_proofread_accepted_updated ON proofread_accepted (updated_at);
CREATE INDEX eval_duty_handovers_handed ON duty_handovers (handed_at);
