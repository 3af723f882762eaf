package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// SeedEvalFacts writes a synthetic year of indicator records for units
// (round-robin), perUnit records each, for the scoreboard's benchmark and
// load tests: the mix of a district's year — mostly incoming documents
// (签收 and 办结), then meetings' invitees, drafts and supervision items —
// with about one record in eight late. It writes eval_facts directly, as the
// refresh would, with their sums; the records behind them do not exist.
//
// A year still running at now (a zero now: the year is over) is seeded as it
// stands at that moment: the records start before now, and what would be
// done, replied or signed after it is not yet (a limit or a meeting may still
// lie ahead), so that the board of a running year reads what it would read
// then, not a future already written.
func (s *Store) SeedEvalFacts(ctx context.Context, units []string, year int, perUnit int, seed uint64, now time.Time) (int, error) {
	loc := s.Calendar().Location()
	from := time.Date(year, 1, 1, 8, 30, 0, 0, loc)
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	if !now.IsZero() && now.Before(end) {
		end = now
	}
	span := end.Sub(from)
	cut := int64(0)
	if !now.IsZero() {
		cut = ts(now)
	}
	notYet := func(v int64) int64 {
		if cut != 0 && v > cut {
			return 0
		}
		return v
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	const batch = 400 // rows per INSERT: well under both stores' parameter limits
	cols := `(kind, record_id, sub, unit_id, at, start_at, due_at, done_at, end_at, signed_at, chars, accepted, absent)`
	total := 0
	var rows []evalFact
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		err := s.Write(ctx, func(tx *Tx) error {
			ph := "(" + placeholders(13) + ")"
			q := `INSERT INTO eval_facts ` + cols + ` VALUES ` + strings.TrimSuffix(strings.Repeat(ph+",", len(rows)), ",")
			args := make([]any, 0, 13*len(rows))
			for _, f := range rows {
				args = append(args, f.kind, f.recordID, f.sub, f.unitID, f.at, f.startAt, f.dueAt, f.doneAt, f.endAt, f.signedAt, f.chars, f.accepted, b2i(f.absent))
			}
			if err := tx.lockEvalFacts(ctx); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, q, args...); err != nil {
				return err
			}
			return tx.applySums(ctx, nil, rows)
		})
		total += len(rows)
		rows = rows[:0]
		return err
	}
	for i := 0; i < perUnit*len(units); i++ {
		unit := units[i%len(units)]
		start := from.Add(time.Duration(rng.Int64N(int64(span))))
		late := rng.IntN(8) == 0
		f := evalFact{recordID: fmt.Sprintf("bench-%d-%d", seed, i), unitID: unit, startAt: ts(start)}
		done := func(due time.Time) int64 {
			if late {
				return ts(due.Add(time.Duration(1+rng.IntN(72)) * time.Hour))
			}
			return ts(due.Add(-time.Duration(1+rng.IntN(20)) * time.Hour))
		}
		switch k := rng.IntN(100); {
		case k < 38:
			due := start.Add(24 * time.Hour)
			f.kind, f.at, f.dueAt, f.doneAt = factSignFor, ts(due), ts(due), done(due)
		case k < 76:
			f.kind, f.at, f.doneAt = factClosing, ts(start), done(start.Add(14*24*time.Hour))
		case k < 90:
			f.kind, f.at, f.sub = factMeeting, ts(start.Add(72*time.Hour)), fmt.Sprintf("p%d", rng.IntN(40))
			f.endAt, f.doneAt = ts(start.Add(74*time.Hour)), done(start.Add(24*time.Hour))
			f.absent = rng.IntN(20) == 0
			if rng.IntN(10) > 0 {
				f.signedAt = ts(start.Add(72 * time.Hour))
			}
		case k < 96:
			f.kind, f.at, f.chars, f.accepted = factDraft, ts(start), 1500+rng.IntN(6000), rng.IntN(3)
		default:
			due := start.Add(30 * 24 * time.Hour)
			f.kind, f.at, f.dueAt, f.doneAt = factSupervised, ts(due), ts(due), done(due)
		}
		f.doneAt, f.signedAt = notYet(f.doneAt), notYet(f.signedAt)
		rows = append(rows, f)
		if len(rows) == batch {
			if err := flush(); err != nil {
				return total, fmt.Errorf("seed eval facts: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return total, fmt.Errorf("seed eval facts: %w", err)
	}
	return total, nil
}

// SettleEvalFacts leaves the records' tables as the database's own upkeep
// would some minutes after a bulk seed: on PostgreSQL what autovacuum does
// (the planner's statistics, and the visibility map that lets the board's
// undecided records be read from eval_facts_tail alone — right after a
// seed of two million rows every one of them was a heap page read, and the
// planner expected one row where there were fifteen thousand); on SQLite
// what Open does (PRAGMA optimize).
func (s *Store) SettleEvalFacts(ctx context.Context) error {
	return s.onWriter(ctx, func(q querier) error {
		stmt := `VACUUM (ANALYZE) eval_facts, eval_sums`
		if s.dialect == SQLite {
			stmt = `PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002`
		}
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("settle eval facts: %w", err)
		}
		return nil
	})
}
