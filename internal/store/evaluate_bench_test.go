package store_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// evalBenchN is the benchmark's number of records in the year: a little over
// a million, or SHUNIU_BENCH_EVAL_N.
func evalBenchN() int {
	if n, err := strconv.Atoi(os.Getenv("SHUNIU_BENCH_EVAL_N")); err == nil && n > 0 {
		return n
	}
	return 1_020_000
}

// BenchmarkEvalBoard scores a district of 60 units (20 towns, 30
// departments, 10 offices) over a year of records: a month's board, a
// quarter's and the year's of 2025, which is over, and the year and month
// of 2026 still running (seeded as they stand at that moment, with as many
// records), each with its six-period 纵比, as the scoreboard
// page computes them after the refresh (which finds nothing new): the kept
// monthly sums corrected by the records undecided at the moment, then
// ScoreSums and TrendSums. It reports the p50, p95, p99 and the mean. The sums are
// kept as the records are written (SeedEvalFacts writes them in the same
// transactions); their rebuild from the facts is timed once, before.
//
//	go test -p 1 ./internal/store -run XXX -bench BenchmarkEvalBoard -benchtime 20x -timeout 60m
//
// SHUNIU_BENCH_EVAL_DSN names a database to keep (e.g. a PostgreSQL URL
// with search_path=evalx): seeded on the first run, only read on the next,
// so a plan can be looked at (auto_explain through the URL's options);
// SHUNIU_BENCH_EVAL_TRACE=1 logs each run's time in order.
func BenchmarkEvalBoard(b *testing.B) {
	ctx := context.Background()
	var s *store.Store
	if dsn := os.Getenv("SHUNIU_BENCH_EVAL_DSN"); dsn != "" {
		var err error
		if s, err = store.Open(ctx, dsn, store.Options{}); err != nil {
			b.Fatal(err)
		}
		defer s.Close()
	} else if os.Getenv(storetest.EnvPostgres) != "" && os.Getenv("SHUNIU_BENCH_EVAL_PG") != "" {
		s = storetest.Postgres(b, store.Options{})
	} else {
		s = storetest.SQLite(b, store.Options{})
	}
	var ids []string
	have, err := s.EvalUnits(ctx)
	if err != nil {
		b.Fatal(err)
	}
	seeded := len(have) > 0
	if !seeded {
		err = s.Write(ctx, func(tx *store.Tx) error {
			for i := range 60 {
				kind := org.KindTown
				switch {
				case i >= 50:
					kind = org.KindOffice
				case i >= 20:
					kind = org.KindDepartment
				}
				u := org.Unit{ID: fmt.Sprintf("u%02d", i), Name: fmt.Sprintf("单位%02d", i), ShortName: fmt.Sprintf("单位%02d", i), Kind: kind, Sort: i}
				ids = append(ids, u.ID)
				if err := tx.PutUnit(ctx, u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	rules, err := s.EvalRules(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.EnsureEvalSums(ctx, rules); err != nil { // empty: the seed then keeps them
		b.Fatal(err)
	}
	n := evalBenchN()
	loc := s.Calendar().Location()
	// 2025 is over; 2026 is seeded as it stands on 20 December at 09:00, the
	// moment its running boards are read at (the same number of records).
	running := time.Date(2026, 12, 20, 9, 0, 0, 0, loc)
	t0 := time.Now()
	if !seeded {
		if _, err := s.SeedEvalFacts(ctx, ids, 2025, n/len(ids), 1, time.Time{}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.SeedEvalFacts(ctx, ids, 2026, n/len(ids), 2, running); err != nil {
			b.Fatal(err)
		}
		// As the database's upkeep leaves it after a bulk load
		// (autovacuum, or SQLite's optimize at a start).
		if err := s.SettleEvalFacts(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d records a year (2025, and 2026 up to %s) in %s", n, running.Format("01-02 15:04"), time.Since(t0).Round(time.Second))
	if _, err := s.RefreshEvalFacts(ctx); err != nil {
		b.Fatal(err)
	}
	if os.Getenv("SHUNIU_BENCH_EVAL_REBUILD") != "" {
		t0 = time.Now()
		if err := s.RebuildEvalSums(ctx, rules); err != nil {
			b.Fatal(err)
		}
		b.Logf("rebuilt the sums from %d records in %s", n, time.Since(t0).Round(time.Millisecond))
	}
	// 2025's boards are read on the same morning: the records of 2026 are
	// there, as they are when a finished year is looked back on.
	asOf := running
	for _, c := range []struct {
		name string
		p    evaluate.Period
		asOf time.Time
	}{
		{"month", evaluate.Month(2025, time.November, loc), asOf},
		{"quarter", evaluate.Quarter(2025, 4, loc), asOf},
		{"year", evaluate.Year(2025, loc), asOf},
		// The year and its last month still running: the arrivals of the
		// last ten working days not yet done, the limits and meetings still
		// to come are summed by the statement.
		{"year-running", evaluate.Year(2026, loc), running},
		{"month-running", evaluate.Month(2026, time.December, loc), running},
	} {
		p, asOf := c.p, c.asOf
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				t := time.Now()
				if _, err := s.RefreshEvalFacts(ctx); err != nil {
					b.Fatal(err)
				}
				periods := []evaluate.Period{p}
				for len(periods) < 6 {
					periods = append([]evaluate.Period{periods[0].Previous()}, periods...)
				}
				units, err := s.EvalUnits(ctx)
				if err != nil {
					b.Fatal(err)
				}
				o, err := evaluate.NewOrg(units)
				if err != nil {
					b.Fatal(err)
				}
				rules, err := s.EvalRules(ctx)
				if err != nil {
					b.Fatal(err)
				}
				sums, ok, err := s.EvalSums(ctx, rules, periods, asOf)
				if err != nil || !ok {
					b.Fatalf("sums: %v %v", ok, err)
				}
				board, err := evaluate.ScoreSums(o, sums[len(sums)-1], nil, rules, p, evaluate.Towns, asOf)
				if err != nil || len(board.Rows) != 20 || board.Rows[0].Total == 0 {
					b.Fatalf("board: %d rows, %v", len(board.Rows), err)
				}
				if _, err := evaluate.TrendSums(o, sums, nil, rules, periods, board.Rows[0].Unit, asOf); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(t))
			}
			if os.Getenv("SHUNIU_BENCH_EVAL_TRACE") != "" {
				b.Logf("in order: %v", took)
			}
			slices.Sort(took)
			var sum time.Duration
			for _, d := range took {
				sum += d
			}
			pct := func(q int) float64 { return float64(took[(len(took)*q)/100].Microseconds()) / 1000 }
			b.ReportMetric(pct(50), "p50-ms")
			b.ReportMetric(pct(95), "p95-ms")
			b.ReportMetric(pct(99), "p99-ms")
			b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(took)), "mean-ms")
		})
	}
}
