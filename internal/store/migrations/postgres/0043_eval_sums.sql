-- 考核评比's sums: per indicator, rule parameter (CloseDays for 办结,
-- ReplyDays for 会议回执, else 0), unit and month (in the calendar's zone) of
-- the date that chooses a record's period, the numerator and denominator of
-- every eval_facts row as it will stand once decided. They change in the same
-- transaction as the facts (store/evaluate_sums.go), so a board reads a few
-- thousand rows instead of a year of records; the records not yet decided are
-- read one by one and corrected. eval_sum_sets lists the (indicator, param)
-- kept, with the calendar revision their working-day limits were computed
-- at; a set missing or computed at another revision is rebuilt from eval_facts.
CREATE TABLE eval_sums (
	indicator TEXT NOT NULL,
	param     INTEGER NOT NULL,
	unit_id   TEXT NOT NULL,
	month     INTEGER NOT NULL, -- year*12 + month-1
	num       BIGINT NOT NULL DEFAULT 0,
	den       BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (indicator, param, month, unit_id)
);

CREATE TABLE eval_sum_sets (
	indicator TEXT NOT NULL,
	param     INTEGER NOT NULL,
	cal_rev   BIGINT NOT NULL,
	built_at  BIGINT NOT NULL,
	PRIMARY KEY (indicator, param)
);

-- The records not yet done among those whose limit is still to come are
-- found in the index, before any row is read; EvalRecords reads its ranges
-- by the same index (it replaces eval_facts_at).
DROP INDEX eval_facts_at;
CREATE INDEX eval_facts_at_done ON eval_facts (kind, at, done_at);
-- The meetings still running at a board's moment (sign-in not yet decided).
CREATE INDEX eval_facts_end ON eval_facts (kind, end_at);
-- The drill-down: one unit's records of a kind over a period.
CREATE INDEX eval_facts_unit ON eval_facts (kind, unit_id, at);
