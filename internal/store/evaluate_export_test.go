package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/evaluate"
)

func evaluateDefaultRules() evaluate.RuleSet { return evaluate.DefaultRules(time.Time{}) }

// EvalFactForTest is one eval_facts row as a test writes it (Kind one of
// sign_for, closing, supervised, draft, meeting); Drop deletes the row.
type EvalFactForTest struct {
	Kind, RecordID, Sub, Unit           string
	At, Start, Due, Done, End, SignedIn time.Time
	Chars, Accepted                     int
	Absent, Drop                        bool
}

// PutEvalFactsForTest writes facts as the refresh does, sums and all.
func PutEvalFactsForTest(ctx context.Context, s *Store, facts []EvalFactForTest) error {
	var fs []evalFact
	for _, f := range facts {
		fs = append(fs, evalFact{kind: f.Kind, recordID: f.RecordID, sub: f.Sub, unitID: f.Unit, at: ts(f.At), startAt: ts(f.Start),
			dueAt: ts(f.Due), doneAt: ts(f.Done), endAt: ts(f.End), signedAt: ts(f.SignedIn), chars: f.Chars, accepted: f.Accepted,
			absent: f.Absent, drop: f.Drop})
	}
	return s.Write(ctx, func(tx *Tx) error { return tx.putFacts(ctx, fs) })
}

// ClearMeetingFactsForTest deletes a meeting's invitee rows as the refresh
// does before writing them again.
func ClearMeetingFactsForTest(ctx context.Context, s *Store, id string) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.clearMeetingFacts(ctx, id) })
}

// EvalPlansForTest returns the plans of the board's statements over 2026
// (the sums with the undecided facts, the handovers) and of the
// drill-down's, as each store explains them. On PostgreSQL sequential
// scans are disabled for the explanation, as a small test table would
// otherwise be scanned whatever the indexes.
func EvalPlansForTest(ctx context.Context, s *Store) (map[string]string, error) {
	loc := s.Calendar().Location()
	lo, hi := 2026*12, 2027*12
	from, to := monthStart(lo, loc), monthStart(hi, loc)
	asOf := time.Date(2026, 12, 20, 9, 0, 0, 0, loc)
	cal := s.Calendar()
	sq, sargs, err := sumsQuery(tailQuery{need: setsOf(evaluateDefaultRules()), lo: lo, hi: hi, from: from, to: to,
		closeFrom: asOf.AddDate(0, 0, -20), asOf: asOf, du: evaluate.NewDues(cal), loc: loc,
		open: int(cal.Hours()[0].Start), last: int(cal.Hours()[len(cal.Hours())-1].End)})
	if err != nil {
		return nil, err
	}
	hq, hargs := handoversQuery(lo, hi, asOf, loc)
	dq := `SELECT record_id FROM eval_facts WHERE kind = ? AND at >= ? AND at < ? AND unit_id IN (?, ?)`
	queries := map[string]struct {
		q    string
		args []any
	}{"sums": {sq, sargs}, "handovers": {hq, hargs}, "drill-down": {dq, []any{factClosing, ts(from), ts(to), "u1", "u2"}}}
	out := map[string]string{}
	err = s.Write(ctx, func(tx *Tx) error {
		prefix := `EXPLAIN QUERY PLAN `
		if tx.d == Postgres {
			prefix = `EXPLAIN `
			if _, err := tx.exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		for name, q := range queries {
			rows, err := tx.query(ctx, prefix+q.q, q.args...)
			if err != nil {
				return err
			}
			cols, _ := rows.Columns()
			var lines []string
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
			}
			rows.Close()
			out[name] = strings.Join(lines, "\n")
		}
		return nil
	})
	return out, err
}
