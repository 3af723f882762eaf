package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestEvalSumsMatchRecords checks the scoreboard's fast path (the kept
// monthly sums, corrected by the records undecided at the board's moment)
// against the record-by-record path the pure tests check by hand: on a
// generated year of records clustered at month ends, around 国庆 and the
// Spring Festival, at the start of office hours, with records not yet
// decided, meetings still running, a section and a town's office rolling up,
// a rename, two merges (one mid-month), three versions of the rules (other
// 办结 and 回执 limits), duty handovers and 信息 points, every board of
// every class and its 纵比 must be the same to the figure — after the
// facts are written, after many are changed, dropped and cleared, and after
// the sums are rebuilt from the facts; among the moments, the year and a
// month still running (their undecided records summed in SQL, meetings
// noticed long before read one by one). The drill-down (one unit's records,
// scored) lists the same record IDs as the record path.
func TestEvalSumsMatchRecords(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cal := s.Calendar()
		loc := cal.Location()
		day := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
		units := []org.Unit{
			{ID: "t1", Name: "青石镇", Kind: org.KindTown},
			{ID: "t1o", Name: "青石镇党政办", Kind: org.KindOffice, ParentID: "t1"},
			{ID: "t1s", Name: "综治办", Kind: org.KindSection, ParentID: "t1"},
			{ID: "t2", Name: "白沙街道", Kind: org.KindTown},
			{ID: "t3", Name: "柳湾镇", Kind: org.KindTown},
			{ID: "t4", Name: "石桥镇", Kind: org.KindTown},
			{ID: "d1", Name: "区财政局", Kind: org.KindDepartment},
			{ID: "d1o", Name: "区财政局办公室", Kind: org.KindOffice, ParentID: "d1"},
			{ID: "d2", Name: "区审计局", Kind: org.KindDepartment},
			{ID: "d3", Name: "区教育局", Kind: org.KindDepartment},
			{ID: "o1", Name: "区政府办", Kind: org.KindOffice},
			{ID: "o2", Name: "区委办", Kind: org.KindOffice},
			{ID: "l1", Name: "区委", Kind: org.KindLeadingBody},
		}
		err := s.Write(ctx, func(tx *store.Tx) error {
			for i, u := range units {
				u.ShortName, u.Sort = u.Name, i
				if err := tx.PutUnit(ctx, u); err != nil {
					return err
				}
			}
			for _, r := range []string{"o1", "t1"} {
				if err := store.SupExecForTest(ctx, tx, `INSERT INTO duty_rosters (id, unit_id, title, from_date, to_date, rotation, state, created_by, created_at, version)
					VALUES (?, ?, '值班表', '2026-01-01', '2026-12-31', '', 'published', 'admin', 0, 1)`, "r-"+r, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		admin := org.Person{ID: "admin", Name: "管理员"}
		for _, c := range []struct {
			unit, kind, old, into string
			on                    time.Time
		}{
			{"t2", "rename", "白沙乡", "", day(2026, 7, 1, 0, 0)},
			{"t3", "merge", "", "t1", day(2026, 10, 15, 0, 0)},
			{"d2", "merge", "", "d1", day(2026, 5, 20, 0, 0)},
		} {
			if err := s.RecordUnitChange(ctx, admin, c.unit, c.kind, c.old, c.into, c.on); err != nil {
				t.Fatal(err)
			}
		}
		r2 := evaluate.DefaultRules(day(2026, 7, 1, 0, 0))
		r2.CloseDays, r2.ReplyDays = 3, 0
		r2.Weights[evaluate.Towns][evaluate.DocErrors] = 0
		r3 := evaluate.DefaultRules(day(2026, 10, 1, 0, 0))
		r3.CloseDays, r3.ReplyDays = 15, 2
		for _, r := range []evaluate.RuleSet{r2, r3} {
			if _, err := s.AddEvalRules(ctx, admin, r); err != nil {
				t.Fatal(err)
			}
		}
		rules, err := s.EvalRules(ctx)
		if err != nil || len(rules) != 3 {
			t.Fatalf("rules %d %v", len(rules), err)
		}

		// Records: instants clustered where periods and working days turn.
		rng := rand.New(rand.NewPCG(15, 43))
		edges := []time.Time{day(2026, 1, 31, 17, 30), day(2026, 2, 13, 17, 30), day(2026, 2, 28, 23, 0), day(2026, 3, 31, 18, 0),
			day(2026, 5, 20, 0, 0), day(2026, 6, 30, 17, 0), day(2026, 7, 1, 0, 0), day(2026, 9, 30, 9, 0), day(2026, 10, 1, 0, 0),
			day(2026, 10, 8, 9, 0), day(2026, 10, 15, 0, 0), day(2026, 12, 31, 17, 30), day(2027, 1, 1, 0, 0)}
		span := day(2027, 1, 31, 0, 0).Sub(day(2025, 12, 1, 0, 0))
		instant := func() time.Time {
			if rng.IntN(5) < 2 {
				e := edges[rng.IntN(len(edges))]
				switch rng.IntN(4) {
				case 0:
					return e
				case 1: // the start of office hours, exactly, that day
					return time.Date(e.Year(), e.Month(), e.Day(), 0, int(cal.Hours()[0].Start), 0, 0, loc)
				}
				return e.Add(time.Duration(rng.IntN(8*60)-4*60) * time.Minute)
			}
			return day(2025, 12, 1, 0, 0).Add(time.Duration(rng.Int64N(int64(span))))
		}
		pool := []string{"t1", "t1o", "t1s", "t2", "t3", "t4", "d1", "d1o", "d2", "d3", "o1", "o2", "l1", "gone"}
		later := func(t time.Time, max time.Duration) time.Time {
			if rng.IntN(5) == 0 {
				return time.Time{} // not done
			}
			return t.Add(time.Duration(rng.Int64N(int64(max))))
		}
		fact := func(i int) store.EvalFactForTest {
			f := store.EvalFactForTest{RecordID: fmt.Sprintf("r%d", i), Unit: pool[rng.IntN(len(pool))]}
			start := instant()
			switch k := rng.IntN(10); {
			case k < 2:
				f.Kind, f.Start, f.Due = "sign_for", start, start.Add(time.Duration(rng.IntN(48))*time.Hour)
				f.At, f.Done = f.Due, later(start, 72*time.Hour)
			case k < 5:
				f.Kind, f.Start, f.At, f.Done = "closing", start, start, later(start, 40*24*time.Hour)
			case k < 6:
				f.Kind, f.Start, f.Due = "supervised", start, start.Add(time.Duration(rng.IntN(40*24))*time.Hour)
				f.At, f.Done = f.Due, later(start, 50*24*time.Hour)
			case k < 8:
				f.Kind, f.Sub, f.Start = "meeting", fmt.Sprintf("p%d", rng.IntN(5)), start
				f.RecordID = fmt.Sprintf("m%d", rng.IntN(300))
				f.At = start.Add(time.Duration(rng.IntN(5*24)) * time.Hour)
				f.End = f.At.Add(time.Duration(rng.IntN(6)+1) * time.Hour)
				if rng.IntN(10) == 0 {
					f.End = f.At.Add(72 * time.Hour)
				}
				f.Done, f.Absent = later(start, 5*24*time.Hour), rng.IntN(10) == 0
				if rng.IntN(10) < 7 {
					f.SignedIn = f.At
				}
				if rng.IntN(12) == 0 { // noticed long before: read one by one
					f.Start = f.At.Add(-time.Duration(70+rng.IntN(60)) * 24 * time.Hour)
				}
			default:
				f.Kind, f.At, f.Chars, f.Accepted = "draft", start, rng.IntN(5000), rng.IntN(4)
			}
			return f
		}
		var facts []store.EvalFactForTest
		for i := range 1500 {
			facts = append(facts, fact(i))
		}
		if err := store.PutEvalFactsForTest(ctx, s, facts); err != nil {
			t.Fatal(err)
		}
		err = s.Write(ctx, func(tx *store.Tx) error {
			for i := range 200 {
				h := instant()
				ack := later(h, 30*time.Hour)
				if err := store.SupExecForTest(ctx, tx, `INSERT INTO duty_handovers (id, roster_id, date, post, from_id, to_roster_id, to_date, to_id, handed_at, ack_at)
					VALUES (?, ?, ?, 'main', 'a', ?, '', 'b', ?, ?)`, fmt.Sprintf("h%d", i), []string{"r-o1", "r-t1"}[i%2], fmt.Sprint(i),
					[]string{"r-o1", "r-t1"}[i%2], h.UnixMicro(), func() int64 {
						if ack.IsZero() {
							return 0
						}
						return ack.UnixMicro()
					}()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var points []evaluate.PointEvent
		for i := range 60 {
			points = append(points, evaluate.PointEvent{Unit: pool[rng.IntN(len(pool))], Item: fmt.Sprintf("i%d", i), Points: float64(rng.IntN(9)) / 2, At: instant()})
		}

		eu, err := s.EvalUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		o, err := evaluate.NewOrg(eu)
		if err != nil {
			t.Fatal(err)
		}
		type boardCase struct {
			p    evaluate.Period
			asOf time.Time
		}
		var cases []boardCase
		for _, asOf := range []time.Time{day(2026, 10, 8, 9, 0), day(2026, 12, 31, 23, 59), day(2027, 2, 1, 0, 0), day(2026, 6, 15, 12, 0),
			day(2026, 12, 20, 9, 0), day(2026, 12, 7, 8, 30)} { // the last two: the year and December still running
			for _, p := range []evaluate.Period{evaluate.Month(2026, 2, loc), evaluate.Month(2026, 5, loc), evaluate.Month(2026, 7, loc),
				evaluate.Month(2026, 10, loc), evaluate.Month(2026, 12, loc), evaluate.Quarter(2026, 2, loc), evaluate.Quarter(2026, 4, loc),
				evaluate.Year(2026, loc)} {
				cases = append(cases, boardCase{p, asOf})
			}
		}
		strip := func(b evaluate.Board) evaluate.Board { // a copy without record IDs
			b.Rows = slices.Clone(b.Rows)
			for i := range b.Rows {
				b.Rows[i].Figures = slices.Clone(b.Rows[i].Figures)
				for j := range b.Rows[i].Figures {
					b.Rows[i].Figures[j].NumIDs, b.Rows[i].Figures[j].DenIDs = []string{}, []string{}
				}
			}
			return b
		}
		compare := func(stage string, drill bool) {
			t.Helper()
			checked := 0
			for _, bc := range cases {
				periods := []evaluate.Period{bc.p}
				for len(periods) < 6 {
					periods = append([]evaluate.Period{periods[0].Previous()}, periods...)
				}
				rec, err := s.EvalRecords(ctx, periods[0].From, bc.p.To)
				if err != nil {
					t.Fatal(err)
				}
				rec.Points = points
				sums, ok, err := s.EvalSums(ctx, rules, periods, bc.asOf)
				if err != nil || !ok {
					t.Fatalf("%s: sums %v %v", stage, ok, err)
				}
				for _, c := range evaluate.Classes() {
					want, err := evaluate.Score(cal, o, rec, rules, bc.p, c, bc.asOf)
					if err != nil {
						t.Fatal(err)
					}
					got, err := evaluate.ScoreSums(o, sums[len(sums)-1], points, rules, bc.p, c, bc.asOf)
					if err != nil {
						t.Fatal(err)
					}
					if w, g := strip(want), strip(got); !reflect.DeepEqual(w, g) {
						wj, _ := json.Marshal(w.Rows)
						gj, _ := json.Marshal(g.Rows)
						t.Fatalf("%s: %s %s as of %s:\nrecords %s\nsums    %s", stage, bc.p.Key(), c, bc.asOf, wj, gj)
					}
					checked++
					for _, u := range []string{"t1", "d1", "o1"} {
						if uu, _ := o.Unit(u); uu.Class != c {
							continue
						}
						wt, err := evaluate.Trend(cal, o, rec, rules, periods, u, bc.asOf)
						if err != nil {
							t.Fatal(err)
						}
						gt, err := evaluate.TrendSums(o, sums, points, rules, periods, u, bc.asOf)
						if err != nil {
							t.Fatal(err)
						}
						for k := range wt {
							wt[k].Row = strip(evaluate.Board{Rows: []evaluate.Row{wt[k].Row}}).Rows[0]
							gt[k].Row = strip(evaluate.Board{Rows: []evaluate.Row{gt[k].Row}}).Rows[0]
						}
						if !reflect.DeepEqual(wt, gt) {
							t.Fatalf("%s: trend of %s to %s as of %s differs:\n%+v\n%+v", stage, u, bc.p.Key(), bc.asOf, wt, gt)
						}
					}
					if !drill {
						continue
					}
					// The drill-down: one unit's records, scored, give the figure's IDs.
					for _, row := range want.Rows {
						sub, err := s.EvalRecordsOf(ctx, bc.p.From, bc.p.To, o.OwnedBy(row.Unit, bc.p.To))
						if err != nil {
							t.Fatal(err)
						}
						sub.Points = points
						db, err := evaluate.Score(cal, o, sub, rules, bc.p, c, bc.asOf)
						if err != nil {
							t.Fatal(err)
						}
						dr, _ := db.Row(row.Unit)
						for _, f := range row.Figures {
							g, _ := dr.Figure(f.Indicator)
							if !slices.Equal(f.NumIDs, g.NumIDs) || !slices.Equal(f.DenIDs, g.DenIDs) || f.Text() != g.Text() {
								t.Fatalf("%s: drill-down of %s %s in %s: %v/%v, want %v/%v", stage, row.Unit, f.Indicator, bc.p.Key(), g.NumIDs, g.DenIDs, f.NumIDs, f.DenIDs)
							}
						}
					}
				}
			}
			t.Logf("%s: %d boards and their trends the same", stage, checked)
		}
		compare("written", true)

		// Change a third of the facts (done later or undone, another unit,
		// another limit), drop some, clear some meetings and write part of
		// their invitees again: the sums follow in the same transactions.
		var changed []store.EvalFactForTest
		cleared := map[string]bool{}
		for i, f := range facts {
			switch rng.IntN(9) {
			case 0:
				f.Done = later(f.Start, 20*24*time.Hour)
				f.SignedIn = time.Time{}
			case 1:
				f.Unit = pool[rng.IntN(len(pool))]
			case 2:
				f.Drop = true
			case 3:
				if f.Kind == "meeting" && !cleared[f.RecordID] {
					cleared[f.RecordID] = true
					if err := store.ClearMeetingFactsForTest(ctx, s, f.RecordID); err != nil {
						t.Fatal(err)
					}
				}
			default:
				continue
			}
			changed = append(changed, f)
			facts[i] = f
		}
		for i := 0; i < len(changed); i += 97 {
			if err := store.PutEvalFactsForTest(ctx, s, changed[i:min(i+97, len(changed))]); err != nil {
				t.Fatal(err)
			}
		}
		compare("changed", false)

		before, _, err := s.EvalSums(ctx, rules, []evaluate.Period{evaluate.Year(2026, loc)}, day(2027, 3, 1, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RebuildEvalSums(ctx, rules); err != nil {
			t.Fatal(err)
		}
		after, _, err := s.EvalSums(ctx, rules, []evaluate.Period{evaluate.Year(2026, loc)}, day(2027, 3, 1, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("kept sums differ from rebuilt ones:\n%v\n%v", before, after)
		}
		compare("rebuilt", false)

		// A period that is not whole months is left to the records.
		odd := evaluate.Period{From: day(2026, 3, 15, 0, 0), To: day(2026, 4, 15, 0, 0)}
		if _, ok, err := s.EvalSums(ctx, rules, []evaluate.Period{odd}, day(2027, 1, 1, 0, 0)); ok || err != nil {
			t.Errorf("half months: ok %v, %v", ok, err)
		}
	})
}

// TestEvalSumsPlans: each branch of the board's statement reads an index
// range, never the whole of eval_facts, and the drill-down reads one unit's
// range (migration 0043's indexes), on both stores.
func TestEvalSumsPlans(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		plans, err := store.EvalPlansForTest(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		for name, plan := range plans {
			t.Logf("%s:\n%s", name, plan)
			for _, bad := range []string{"SCAN eval_facts\n", "Seq Scan on eval_facts", "SCAN h\n", "Seq Scan on duty_handovers"} {
				if strings.Contains(plan+"\n", bad) {
					t.Errorf("%s reads a whole table (%q):\n%s", name, strings.TrimSpace(bad), plan)
				}
			}
		}
		if !strings.Contains(plans["sums"], "eval_facts_end") {
			t.Errorf("the running meetings are not read by eval_facts_end:\n%s", plans["sums"])
		}
		if s.Dialect() == store.SQLite && strings.Count(plans["sums"], "COVERING INDEX eval_facts_tail") < 2 {
			t.Errorf("the undecided 签收, 督办 and 办结 are not read from eval_facts_tail alone:\n%s", plans["sums"])
		}
		if s.Dialect() == store.SQLite && !strings.Contains(plans["drill-down"], "eval_facts_unit") {
			// (PostgreSQL picks between the two indexes by its statistics.)
			t.Errorf("the drill-down does not read eval_facts_unit:\n%s", plans["drill-down"])
		}
	})
}
