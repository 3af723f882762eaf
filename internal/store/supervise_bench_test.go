package store_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// supN is the benchmarks' number of items: a million, or SHUNIU_BENCH_SUP_N.
func supN() int {
	if n, err := strconv.Atoi(os.Getenv("SHUNIU_BENCH_SUP_N")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// supSynth builds n synthetic items before end (40 lead units, every
// source, weekly and monthly reports, extensions, urgings, proposals'
// verdicts). open: every item is being handled; else five in eight are.
func supSynth(cal *calendar.Calendar, end time.Time, n int, open bool, fn func(it *supervise.Item)) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		it := supervise.Item{ID: fmt.Sprintf("it-%07d", i), Title: "督办事项", Source: supervise.AllSources()[rng.IntN(7)], Office: "dcs",
			Instruction: "请抓好落实。", Registrar: "sup"}
		l := rng.IntN(40)
		it.Units = []supervise.Unit{{UnitID: fmt.Sprintf("u%02d", l), Lead: true, Responsible: fmt.Sprintf("p%02d", l)}}
		if rng.IntN(2) == 0 {
			c := (l + 1 + rng.IntN(39)) % 40
			it.Units = append(it.Units, supervise.Unit{UnitID: fmt.Sprintf("u%02d", c), Responsible: fmt.Sprintf("p%02d", c)})
		}
		if rng.IntN(2) == 0 {
			it.Schedule = supervise.Schedule{Kind: supervise.Weekly, Weekday: time.Friday}
		} else {
			it.Schedule = supervise.Schedule{Kind: supervise.Monthly, Day: 25}
		}
		// Assigned over the 200 days before end, due in 10–90 working days:
		// about a fifth of the open items are overdue at end.
		assigned := end.Add(-time.Duration(1+rng.IntN(200*24)) * time.Hour)
		it.CreatedAt, it.AssignedAt, it.FirstAssignedAt = assigned, assigned, assigned
		due, _ := cal.AddWorkdays(assigned, 10+rng.IntN(80))
		it.Deadline = supervise.Deadline{Original: due, Due: due}
		states := []supervise.State{supervise.Assigned, supervise.InProgress, supervise.InProgress, supervise.InProgress, supervise.PendingReview,
			supervise.Closed, supervise.Closed, supervise.Closed}
		if open {
			states = states[:5]
		}
		it.State = states[rng.IntN(len(states))]
		for k := range it.Units {
			it.Units[k].SignedAt = assigned.Add(time.Hour)
		}
		for r := range rng.IntN(4) {
			it.Reports = append(it.Reports, supervise.Report{Seq: r + 1, UnitID: it.Units[rng.IntN(len(it.Units))].UnitID,
				At: assigned.Add(time.Duration(r*7*24+rng.IntN(48)) * time.Hour), Text: "进展"})
		}
		if rng.IntN(6) == 0 {
			g := due.AddDate(0, 0, 14)
			it.Extensions = []supervise.Extension{{Seq: 9, Decision: supervise.Granted, DecidedAt: due.Add(-48 * time.Hour), Previous: due, Granted: g}}
			it.Deadline.Due = g
		}
		if rng.IntN(5) == 0 {
			it.Urgings = []supervise.Urging{{Seq: 10, UnitID: it.Units[0].UnitID, At: due.Add(24 * time.Hour)}}
		}
		if it.State == supervise.PendingReview || it.State == supervise.Closed {
			at := it.Deadline.Due.Add(time.Duration(rng.IntN(20*24)-15*24) * time.Hour)
			if at.Before(assigned) {
				at = assigned.Add(24 * time.Hour)
			}
			it.Submits = []supervise.Submission{{Seq: 11, At: at, Evidence: supervise.Evidence{Text: "完成"}}}
			if it.State == supervise.Closed {
				it.Submits[0].Outcome, it.Submits[0].ReviewedAt = supervise.OutcomeClosed, at.Add(24*time.Hour)
				it.ClosedAt, it.ClosedBy = at.Add(24*time.Hour), "sup"
			}
		}
		if it.Source.IsProposal() {
			it.Proposal = &supervise.Proposal{Number: "1", Proposer: "代表", Rounds: []supervise.Round{{StartedAt: assigned, Deadline: it.Deadline}}}
			if it.State == supervise.Closed {
				it.Proposal.Rounds[0].Satisfaction = []supervise.Satisfaction{supervise.Satisfied, supervise.BasicSatisfied, supervise.Unsatisfied}[rng.IntN(3)]
				it.Proposal.Rounds[0].SatisfactionAt = it.ClosedAt.Add(72 * time.Hour)
			}
		}
		it.History = []supervise.Event{{Seq: 1, At: assigned, Type: supervise.EvAssigned}}
		fn(&it)
	}
}

// supBulk loads items straight into sup_items as the store would write them
// (the same columns: facts, light and next notice as of now), in large
// transactions with synchronous=OFF.
func supBulk(b *testing.B, path string, s *store.Store, n int, open bool, now time.Time) {
	sw := s.SupSweep(now)
	b.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	var tx *sql.Tx
	var ins *sql.Stmt
	k := 0
	flush := func() {
		if tx != nil {
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	}
	us := func(t time.Time) int64 {
		if t.IsZero() {
			return 0
		}
		return t.UnixMicro()
	}
	supSynth(s.Calendar(), now, n, open, func(it *supervise.Item) {
		if k%20000 == 0 {
			flush()
			if tx, err = raw.Begin(); err != nil {
				b.Fatal(err)
			}
			if ins, err = tx.Prepare(`INSERT INTO sup_items (id, source, state, light, office, lead_unit, title, ref, created_at, updated_at, deadline_due,
				first_assigned_at, closed_at, accepted_at, last_submit_at, last_review_at, records, next_notice_at, rev, content)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
				b.Fatal(err)
			}
		}
		k++
		content, _ := json.Marshal(it)
		f := supervise.FactsOf(it, 0)
		recs := ""
		if len(f.Extensions)+len(f.Urgings)+len(f.Rounds) > 0 {
			r, _ := json.Marshal(map[string]any{"e": f.Extensions, "u": f.Urgings, "r": f.Rounds})
			recs = string(r)
		}
		if _, err := ins.Exec(it.ID, it.Source, it.State, string(sw.ColorAt(it, now)), it.Office, it.LeadUnit(), it.Title, "", us(it.CreatedAt), us(now),
			us(it.Deadline.Due), f.First/1000, f.ClosedAt/1000, f.AcceptedAt/1000, f.LastSubmitAt/1000, f.LastReviewAt/1000, recs,
			us(sw.NextAt(it, now)), k, string(content)); err != nil {
			b.Fatal(err)
		}
	})
	flush()
	if _, err := raw.Exec(`UPDATE sup_rev SET last = ?`, k); err != nil {
		b.Fatal(err)
	}
	if _, err := raw.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

// errRollback undoes a measured sweep so every iteration sees the same state.
var errRollback = errors.New("rollback")

// BenchmarkSupSweep1M: the supervision sweep over a million open items on
// SQLite, through the store (select the items whose next notice has come,
// decode them, compute the notices, store each with tx.Notify, advance their
// next_notice_at and light). Each iteration is rolled back to keep the state.
// "tick" is an ordinary 30-second tick mid-afternoon; "morning" is the tick
// at the opening of office, when every overdue item's daily reminder and the
// day's report reminders fall due — the worst tick of the day.
func BenchmarkSupSweep1M(b *testing.B) {
	n := supN()
	cst := time.FixedZone("CST", 8*3600)
	loaded := time.Date(2026, 11, 24, 16, 0, 0, 0, cst) // a Tuesday afternoon
	path := filepath.Join(b.TempDir(), "sup.db")
	s, err := store.Open(ctx, path, store.Options{Now: func() time.Time { return loaded }})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t0 := time.Now()
	supBulk(b, path, s, n, true, loaded)
	b.Logf("loaded %d items in %v", n, time.Since(t0))
	for _, c := range []struct {
		name     string
		from, to time.Time
	}{
		{"tick", loaded, loaded.Add(30 * time.Second)},
		{"morning", time.Date(2026, 11, 25, 8, 59, 30, 0, cst), time.Date(2026, 11, 25, 9, 0, 0, 0, cst)},
	} {
		b.Run(c.name, func(b *testing.B) {
			var res store.SupSweepResult
			at := s.At(func() time.Time { return c.to })
			for b.Loop() {
				err := at.Write(ctx, func(tx *store.Tx) error {
					var err error
					if res, err = tx.RunSupervision(ctx, c.from, c.to, nil); err != nil {
						return err
					}
					return errRollback
				})
				if !errors.Is(err, errRollback) {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Woken), "items-woken")
			b.ReportMetric(float64(res.Messages), "messages")
		})
	}
}

// BenchmarkSupStatsPage1M: the statistics of the statistics page over a
// million items (five in eight open) on SQLite: per unit, leader and source
// for a year, and one unit's 12-month 纵比, from the in-memory fact table
// that the store's cache keeps up to date (each request first checks the
// revision and reads the items changed since: here one item changes before
// every request). The first load is reported separately.
func BenchmarkSupStatsPage1M(b *testing.B) {
	n := supN()
	cst := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 11, 24, 16, 0, 0, 0, cst)
	path := filepath.Join(b.TempDir(), "sup.db")
	s, err := store.Open(ctx, path, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	sw := s.SupSweep(now)
	supBulk(b, path, s, n, false, now)
	over := supervise.Overseers{}
	for u := range 40 {
		over[fmt.Sprintf("u%02d", u)] = []string{fmt.Sprintf("leader%d", u%7)}
	}
	var cache store.SupFactCache
	p := supervise.Period{From: time.Date(2026, 5, 1, 0, 0, 0, 0, cst), To: time.Date(2026, 11, 25, 0, 0, 0, 0, cst)}
	months := supervise.Months(now, 12)
	page := func() {
		if err := cache.With(ctx, s, func(ft *supervise.FactTable) error {
			st := sw.ComputeFacts(ft, over, p, now)
			tr := sw.TrendFacts(ft, "u07", months, now)
			if st.Total.Items == 0 || len(tr) != 12 {
				b.Fatalf("empty statistics: %+v", st.Total)
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	t0 := time.Now()
	page()
	b.ReportMetric(float64(time.Since(t0).Milliseconds()), "first-load-ms")
	// A change between requests: one item's rev moves on, as any write does.
	touch := func(i int) {
		if err := s.Write(ctx, func(tx *store.Tx) error {
			it := supervise.Item{ID: fmt.Sprintf("new-%d", i), Source: supervise.FromLeader, Title: "新事项", Office: "dcs", State: supervise.InProgress,
				Units: []supervise.Unit{{UnitID: "u07", Lead: true, Responsible: "p07"}}, CreatedAt: now, AssignedAt: now, FirstAssignedAt: now,
				Schedule: supervise.Schedule{Kind: supervise.Monthly, Day: 25}, Deadline: supervise.Deadline{Original: now.AddDate(0, 1, 0), Due: now.AddDate(0, 1, 0)}}
			return tx.InsertSupItem(ctx, org.Person{ID: "sup", Name: "督查员"}, it)
		}); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		b.StopTimer()
		touch(i)
		i++
		b.StartTimer()
		t := time.Now()
		page()
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
