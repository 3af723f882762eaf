package store_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
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

// supReal builds n open items before end through the real operations, as the
// store holds them: 立项 and 交办 with the route instance, 签收 by the lead
// unit and (nine in ten) the co-unit, extensions asked and granted, 催办单 on
// overdue items, applications to close awaiting review; and progress reports
// (with their history events) for four in five of the periods each unit had,
// so some units owe the current period's report and some do not. 40 lead
// units, every source (proposals with their legal deadline); reports every
// Friday or on the 25th — the two schedules offices use most, which puts
// every item's report on one day when the 25th is a Friday (the worst case).
// Work is split over the cores; fn is called from one goroutine.
func supReal(b *testing.B, r supervise.Rules, end time.Time, n int, fn func(it *supervise.Item)) {
	sup := route.Actor{Principal: route.Principal{ID: "sup", Units: []string{"dcs"}, Roles: []route.RoleGrant{{Role: route.RoleSupervisor, Unit: "dcs"}}}}
	unitActor := func(u int) route.Actor {
		return route.Actor{Principal: route.Principal{ID: fmt.Sprintf("p%02d", u), Units: []string{fmt.Sprintf("u%02d", u)}}}
	}
	cal := r.Calendar
	build := func(i int) (supervise.Item, error) {
		rng := rand.New(rand.NewPCG(uint64(i), 3))
		src := supervise.AllSources()[rng.IntN(7)]
		l := rng.IntN(40)
		units := []supervise.Unit{{UnitID: fmt.Sprintf("u%02d", l), Lead: true, Responsible: fmt.Sprintf("p%02d", l)}}
		co := -1
		if rng.IntN(2) == 0 && !src.IsProposal() {
			co = (l + 1 + rng.IntN(39)) % 40
			units = append(units, supervise.Unit{UnitID: fmt.Sprintf("u%02d", co), Responsible: fmt.Sprintf("p%02d", co)})
		}
		sch := supervise.Schedule{Kind: supervise.Weekly, Weekday: time.Friday}
		period := 7 * 24 * time.Hour
		if rng.IntN(2) == 0 {
			sch, period = supervise.Schedule{Kind: supervise.Monthly, Day: 25}, 30*24*time.Hour
		}
		// Open items are mostly recent ones (older ones have been closed):
		// assigned over the 120 days before end, due in 20–120 working days,
		// so about a quarter of them are overdue at end.
		assigned := end.Add(-time.Duration(1+rng.IntN(120*24)) * time.Hour)
		assigned = time.Date(assigned.Year(), assigned.Month(), assigned.Day(), 9+rng.IntN(8), rng.IntN(60), 0, 0, assigned.Location())
		for !cal.IsWorkday(assigned) {
			assigned = assigned.AddDate(0, 0, -1)
		}
		ni := supervise.NewItem{ID: fmt.Sprintf("it-%07d", i), Source: src, Title: fmt.Sprintf("督办事项第 %d 号：推进重点工作落实", i), Office: "dcs",
			Instruction: "请牵头单位会同配合单位抓紧研究落实，按期报送进展，办结后报督查室。", Units: units, Schedule: sch,
			Deadline: supervise.DeadlineSpec{Workdays: 20 + rng.IntN(100)}}
		if src == supervise.FromInstruction {
			ni.Ref, ni.Instructor = fmt.Sprintf("doc-%07d", i), "leader0"
		}
		if src.IsProposal() {
			ni.Proposal = &supervise.ProposalInfo{Number: fmt.Sprintf("第%d号", i), Proposer: "王代表"}
		}
		it, _, err := r.Create(ni, sup, assigned.Add(-time.Hour))
		if err != nil {
			return it, err
		}
		if it, _, err = r.Assign(it, sup, assigned); err != nil {
			return it, err
		}
		if it, _, err = r.SignFor(it, unitActor(l), units[0].UnitID, assigned.Add(time.Duration(1+rng.IntN(20))*time.Hour)); err != nil {
			return it, err
		}
		if co >= 0 && rng.IntN(10) > 0 {
			if it, _, err = r.SignFor(it, unitActor(co), units[1].UnitID, assigned.Add(time.Duration(1+rng.IntN(20))*time.Hour)); err != nil {
				return it, err
			}
		}
		// Reports: appended as the operation appends them (a report and its
		// event), without replaying the operation for each of up to 60.
		for k := range it.Units {
			u := &it.Units[k]
			if u.SignedAt.IsZero() {
				continue
			}
			for at := u.SignedAt.Add(time.Duration(rng.IntN(72)) * time.Hour); at.Before(end); at = at.Add(period - 24*time.Hour + time.Duration(rng.IntN(48))*time.Hour) {
				if rng.IntN(5) == 0 {
					continue
				}
				seq := len(it.History) + 1
				it.Reports = append(it.Reports, supervise.Report{Seq: seq, UnitID: u.UnitID, By: fmt.Sprintf("p%s", u.UnitID[1:]), At: at, Text: "本周按计划推进，已完成阶段性任务。"})
				it.History = append(it.History, supervise.Event{Seq: seq, At: at, Type: supervise.EvReported, Actor: fmt.Sprintf("p%s", u.UnitID[1:]), UnitID: u.UnitID, Ref: seq})
				it.State = supervise.InProgress
			}
		}
		slices.SortFunc(it.Reports, func(a, b supervise.Report) int { return a.At.Compare(b.At) })
		slices.SortFunc(it.History, func(a, b supervise.Event) int { return a.At.Compare(b.At) })
		due := it.Deadline.Due
		if rng.IntN(6) == 0 && due.Add(-72*time.Hour).After(assigned) && due.Add(-72*time.Hour).Before(end) {
			at := due.Add(-72 * time.Hour)
			if it, _, err = r.RequestExtension(it, unitActor(l), supervise.ExtensionInput{UnitID: units[0].UnitID, Asked: due.AddDate(0, 0, 14), Reason: "工程量大"}, at); err != nil {
				return it, err
			}
			if it, _, err = r.DecideExtension(it, sup, it.Extensions[len(it.Extensions)-1].Seq, true, time.Time{}, "", at.Add(2*time.Hour)); err != nil {
				return it, err
			}
		}
		if d := it.Deadline.Due.Add(24 * time.Hour); rng.IntN(3) == 0 && d.Before(end) {
			if it, _, err = r.Urge(it, sup, units[0].UnitID, "请抓紧办理", d); err != nil {
				return it, err
			}
		}
		if rng.IntN(8) == 0 && !src.IsProposal() && (co < 0 || !it.Units[1].SignedAt.IsZero()) {
			at := end.Add(-time.Duration(1+rng.IntN(72)) * time.Hour)
			if at.After(assigned.Add(48 * time.Hour)) {
				if it, _, err = r.RequestClose(it, unitActor(l), supervise.Evidence{Text: "已按要求办结，附办结报告。"}, at); err != nil {
					return it, err
				}
			}
		}
		return it, nil
	}
	workers := max(runtime.GOMAXPROCS(0), 1)
	out := make(chan supervise.Item, 256)
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			for i := w; i < n; i += workers {
				it, err := build(i)
				if err != nil {
					errs <- fmt.Errorf("item %d: %w", i, err)
					return
				}
				out <- it
			}
			errs <- nil
		}()
	}
	for done := 0; done < workers; {
		select {
		case it := <-out:
			fn(&it)
		case err := <-errs:
			if err != nil {
				b.Fatal(err)
			}
			done++
		}
	}
	for len(out) > 0 {
		it := <-out
		fn(&it)
	}
}

// supBulk loads items straight into sup_items and sup_units as the store
// would write them (the same columns: facts, light and next notice as of
// now, the digest columns), in large transactions with synchronous=OFF; and
// the 40 units, their responsible persons, the 督查室 person and 7 leaders
// overseeing the units, so notices find their recipients.
func supBulk(b *testing.B, path string, s *store.Store, now time.Time, gen func(fn func(it *supervise.Item))) int {
	sw := s.SupSweep(now)
	b.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	exec := func(q string, args ...any) {
		if _, err := raw.Exec(q, args...); err != nil {
			b.Fatal(q, err)
		}
	}
	exec(`INSERT INTO units (id, name, short_name, kind, created_at, updated_at) VALUES ('dcs', '督查室', '督查室', 'department', 0, 0)`)
	exec(`INSERT INTO people (id, name, login, created_at, updated_at) VALUES ('sup', '督查员', 'sup', 0, 0)`)
	for l := range 7 {
		exec(`INSERT INTO people (id, name, login, created_at, updated_at) VALUES (?, ?, ?, 0, 0)`, fmt.Sprintf("leader%d", l), "领导", fmt.Sprintf("leader%d", l))
	}
	for u := range 40 {
		exec(`INSERT INTO units (id, name, short_name, kind, created_at, updated_at) VALUES (?, ?, ?, 'department', 0, 0)`, fmt.Sprintf("u%02d", u), "单位", "单位")
		exec(`INSERT INTO people (id, name, login, created_at, updated_at) VALUES (?, ?, ?, 0, 0)`, fmt.Sprintf("p%02d", u), "负责人", fmt.Sprintf("p%02d", u))
		exec(`INSERT INTO oversight (leader_id, unit_id) VALUES (?, ?)`, fmt.Sprintf("leader%d", u%7), fmt.Sprintf("u%02d", u))
	}
	var tx *sql.Tx
	var ins, insU, insC *sql.Stmt
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
	gen(func(it *supervise.Item) {
		if k%20000 == 0 {
			flush()
			if tx, err = raw.Begin(); err != nil {
				b.Fatal(err)
			}
			if ins, err = tx.Prepare(`INSERT INTO sup_items (id, source, state, light, office, lead_unit, title, ref, created_at, updated_at, deadline_due,
				first_assigned_at, closed_at, accepted_at, last_submit_at, last_review_at, records, next_notice_at, report_yellow_at, rev, units_fresh)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`); err != nil {
				b.Fatal(err)
			}
			if insC, err = tx.Prepare(`INSERT INTO sup_item_content (id, content) VALUES (?, ?)`); err != nil {
				b.Fatal(err)
			}
			if insU, err = tx.Prepare(`INSERT INTO sup_units (item_id, unit_id, lead, responsible, handling, released, sched_kind, sched_day, round_start,
				last_report_at, deadline_due, registrar) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
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
		if _, err := ins.Exec(it.ID, it.Source, it.State, string(sw.ColorAt(it, now)), it.Office, it.LeadUnit(), it.Title, it.Ref, us(it.CreatedAt), us(now),
			us(it.Deadline.Due), f.First/1000, f.ClosedAt/1000, f.AcceptedAt/1000, f.LastSubmitAt/1000, f.LastReviewAt/1000, recs,
			us(sw.NextAt(it, now)), us(sw.ReportYellowAt(it, now)), k); err != nil {
			b.Fatal(err)
		}
		if _, err := insC.Exec(it.ID, string(content)); err != nil {
			b.Fatal(err)
		}
		kind, day := it.Schedule.ScheduleKey()
		for _, u := range it.Units {
			if _, err := insU.Exec(it.ID, u.UnitID, u.Lead, u.Responsible, it.Handling(), u.Released, kind, day, us(it.AssignedAt),
				us(it.LastReportBy(u.UnitID)), us(it.Deadline.Due), it.Registrar); err != nil {
				b.Fatal(err)
			}
		}
	})
	flush()
	exec(`UPDATE sup_rev SET last = ?`, k)
	exec(`ANALYZE`)
	return k
}

// errRollback undoes a measured sweep so every iteration sees the same state.
var errRollback = errors.New("rollback")

// BenchmarkSupSweep1M: the supervision sweep over a million open items on
// SQLite, through the store: wake the items whose next notice has come
// (decode, Due, notify, advance), and send the digests of the slots in the
// tick with their set-based queries (and turn the items that missed a report
// yellow). The items are loaded as of Thursday 24 December 2026 16:00; the
// ticks below are measured in order of time, the sweep run (and committed)
// up to each tick's start first, as a server would have; each measured tick
// is rolled back so every iteration sees the same state:
//   - "tick": an ordinary 30-second tick that afternoon;
//   - "midnight": the start of Friday the 25th, when the yellow windows open;
//   - "morning": the opening of office on Friday the 25th — the daily
//     reminders of every overdue item and the report reminders of every
//     item (weekly on Friday and monthly on the 25th): the worst morning;
//   - "close": the close of office that day — every unreported item's
//     warning and yellow light, and the items due that day turning red and
//     escalated;
//   - "catchup": one run over the three days from Friday's close to
//     Monday's, as after a weekend of downtime.
func BenchmarkSupSweep1M(b *testing.B) {
	n := supN()
	cst := time.FixedZone("CST", 8*3600)
	loaded := time.Date(2026, 12, 24, 16, 0, 0, 0, cst)
	path := filepath.Join(b.TempDir(), "sup.db")
	s, err := store.Open(ctx, path, store.Options{Now: func() time.Time { return loaded }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t0 := time.Now()
	supBulk(b, path, s, loaded, func(fn func(it *supervise.Item)) { supReal(b, s.SupRules(), loaded, n, fn) })
	b.Logf("loaded %d items in %v", n, time.Since(t0))
	swept := loaded
	for _, c := range []struct {
		name     string
		from, to time.Time
	}{
		{"tick", loaded, loaded.Add(30 * time.Second)},
		{"midnight", time.Date(2026, 12, 24, 23, 59, 30, 0, cst), time.Date(2026, 12, 25, 0, 0, 0, 0, cst)},
		{"morning", time.Date(2026, 12, 25, 8, 29, 30, 0, cst), time.Date(2026, 12, 25, 8, 30, 0, 0, cst)},
		{"close", time.Date(2026, 12, 25, 17, 29, 30, 0, cst), time.Date(2026, 12, 25, 17, 30, 0, 0, cst)},
		// The servers down from Friday's close to Monday's: one run catches
		// up three midnights, Monday's morning and Monday's close.
		{"catchup", time.Date(2026, 12, 25, 17, 30, 0, 0, cst), time.Date(2026, 12, 28, 17, 30, 0, 0, cst)},
	} {
		if c.from.After(swept) {
			t := time.Now()
			if err := s.At(func() time.Time { return c.from }).Write(ctx, func(tx *store.Tx) error {
				_, err := tx.RunSupervision(ctx, swept, c.from, nil)
				return err
			}); err != nil {
				b.Fatal(err)
			}
			b.Logf("swept up to %s in %v", c.from.Format("01-02 15:04:05"), time.Since(t))
			swept = c.from
		}
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
			b.ReportMetric(float64(res.Notices), "notices")
			b.ReportMetric(float64(res.Messages), "messages")
			b.ReportMetric(float64(res.Digests), "digests")
			b.ReportMetric(float64(res.Yellowed), "yellowed")
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
	supBulk(b, path, s, now, func(fn func(it *supervise.Item)) { supSynth(s.Calendar(), now, n, false, fn) })
	over := supervise.Overseers{}
	for u := range 40 {
		over[fmt.Sprintf("u%02d", u)] = []string{fmt.Sprintf("leader%d", u%7)}
	}
	var cache store.SupFactCache
	p := supervise.Period{From: time.Date(2026, 5, 1, 0, 0, 0, 0, cst), To: time.Date(2026, 11, 25, 0, 0, 0, 0, cst)}
	months := supervise.Months(now, 12)
	page := func() {
		if err := cache.With(ctx, s, func(ft *supervise.FactView) error {
			st := sw.ComputeView(ft, over, p, now)
			tr := sw.TrendView(ft, "u07", months, now)
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
