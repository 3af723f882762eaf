-- The board's undecided records (store/evaluate_sums.go, sumsQuery): a
-- limit still to come and not yet done. With the unit in the index those of
-- 签收, 督办 and 办结 are read from the index alone — rows of one period lie
-- scattered through eval_facts, and reading each was a random page read.
DROP INDEX eval_facts_at_done;
CREATE INDEX eval_facts_tail ON eval_facts (kind, at, done_at, unit_id);
