package supervise

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// synthItems builds n items as the store would load them (no route
// instance: the sweep and the statistics do not read it), spread over 2026
// across 40 lead units, in every state, with reports, extensions, urgings
// and proposals' verdicts.
func synthItems(tb testing.TB, n int) []Item {
	tb.Helper()
	sw := sweep(tb)
	rng := rand.New(rand.NewPCG(1, 2))
	year := at(1, 5, 9, 0)
	items := make([]Item, n)
	for i := range items {
		it := &items[i]
		it.ID = fmt.Sprintf("it-%07d", i)
		it.Title = "督办事项"
		it.Source = AllSources()[rng.IntN(7)]
		it.Office = "dcs"
		l := rng.IntN(40)
		lead := fmt.Sprintf("u%02d", l)
		it.Units = []Unit{{UnitID: lead, Lead: true, Responsible: "p"}}
		if rng.IntN(2) == 0 {
			it.Units = append(it.Units, Unit{UnitID: fmt.Sprintf("u%02d", (l+1+rng.IntN(39))%40), Responsible: "q"})
		}
		if rng.IntN(2) == 0 {
			it.Schedule = Schedule{Kind: Weekly, Weekday: time.Friday}
		} else {
			it.Schedule = Schedule{Kind: Monthly, Day: 25}
		}
		assigned := year.Add(time.Duration(rng.IntN(330*24)) * time.Hour)
		it.CreatedAt, it.AssignedAt, it.FirstAssignedAt = assigned, assigned, assigned
		d := dayOf(assigned) + 5 + rng.IntN(60)
		due := sw.W.closeOf(sw.W.nextWork(d))
		it.Deadline = Deadline{Original: due, Due: due}
		it.State = []State{Assigned, InProgress, InProgress, InProgress, PendingReview, Closed, Closed, Closed}[rng.IntN(8)]
		for k := range it.Units {
			it.Units[k].SignedAt = assigned.Add(time.Hour)
		}
		for r := range rng.IntN(4) {
			it.Reports = append(it.Reports, Report{Seq: r + 1, UnitID: it.Units[rng.IntN(len(it.Units))].UnitID, At: assigned.Add(time.Duration(r*7*24+rng.IntN(48)) * time.Hour)})
		}
		if rng.IntN(6) == 0 {
			g := due.AddDate(0, 0, 14)
			it.Extensions = []Extension{{Seq: 9, Decision: Granted, DecidedAt: due.Add(-48 * time.Hour), Previous: due, Granted: g}}
			it.Deadline.Due = g
		}
		if rng.IntN(5) == 0 {
			it.Urgings = []Urging{{Seq: 10, UnitID: lead, At: due.Add(24 * time.Hour)}}
		}
		switch it.State {
		case PendingReview, Closed:
			at := it.Deadline.Due.Add(time.Duration(rng.IntN(20*24)-15*24) * time.Hour)
			if at.Before(assigned) {
				at = assigned.Add(24 * time.Hour)
			}
			it.Submits = []Submission{{Seq: 11, At: at, Evidence: Evidence{Text: "完成"}}}
			if it.State == Closed {
				it.Submits[0].Outcome, it.Submits[0].ReviewedAt = OutcomeClosed, at.Add(24*time.Hour)
				it.ClosedAt, it.ClosedBy = at.Add(24*time.Hour), "s1"
			}
		}
		if it.Source.IsProposal() {
			it.Proposal = &Proposal{Number: "1", Proposer: "代表", Rounds: []Round{{StartedAt: assigned, Deadline: it.Deadline}}}
			if it.State == Closed {
				it.Proposal.Rounds[0].Satisfaction = []Satisfaction{Satisfied, BasicSatisfied, Unsatisfied}[rng.IntN(3)]
				it.Proposal.Rounds[0].SatisfactionAt = it.ClosedAt.Add(72 * time.Hour)
			}
		}
		it.History = []Event{{Seq: 1, At: assigned, Type: EvAssigned}}
		if len(it.Submits) > 0 {
			it.History = append(it.History, Event{Seq: 2, At: it.Submits[0].At, Type: EvCloseRequested})
		}
	}
	// Start the timed part with the garbage of building collected.
	runtime.GC()
	return items
}

const million = 1_000_000

// benchOverseers: seven leaders oversee the 40 units of synthItems.
func benchOverseers() Overseers {
	over := Overseers{}
	for u := range 40 {
		over[fmt.Sprintf("u%02d", u)] = []string{fmt.Sprintf("leader%d", u%7)}
	}
	return over
}

// BenchmarkWarningSweep1M: the light of every item of a million at one moment.
func BenchmarkWarningSweep1M(b *testing.B) {
	items := synthItems(b, million)
	sw := sweep(b)
	now := at(9, 15, 10, 0)
	b.ResetTimer()
	for b.Loop() {
		var lights [4]int
		for i := range items {
			switch sw.ColorAt(&items[i], now) {
			case Green:
				lights[1]++
			case Yellow:
				lights[2]++
			case Red:
				lights[3]++
			default:
				lights[0]++
			}
		}
		if lights[1]+lights[2]+lights[3] == 0 {
			b.Fatal("no open items")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/million, "ns/item")
}

// BenchmarkDueSweep1MDay: what falls due for a million items over one day
// (a scheduler catching up after a day of downtime).
func BenchmarkDueSweep1MDay(b *testing.B) {
	items := synthItems(b, million)
	sw := sweep(b)
	over := benchOverseers()
	t0 := at(9, 14, 10, 0)
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n = 0
		for i := range items {
			n += len(sw.Due(&items[i], over, t0, t0.Add(24*time.Hour)))
		}
	}
	b.ReportMetric(float64(n), "notices")
}

// BenchmarkNextAt1M: the scheduler's index column for a million items.
func BenchmarkNextAt1M(b *testing.B) {
	items := synthItems(b, million)
	sw := sweep(b)
	now := at(9, 15, 10, 0)
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for i := range items {
			if !sw.NextAt(&items[i], now).IsZero() {
				n++
			}
		}
		if n == 0 {
			b.Fatal("nothing to schedule")
		}
	}
}

// BenchmarkStatistics1M: one month's figures per unit, leader and source over a million items.
func BenchmarkStatistics1M(b *testing.B) {
	items := synthItems(b, million)
	sw := sweep(b)
	over := benchOverseers()
	p := Months(at(6, 15, 0, 0), 1)[0]
	b.ResetTimer()
	for b.Loop() {
		st := sw.Compute(items, over, p, p.To)
		if st.Total.Items == 0 {
			b.Fatal("nothing counted")
		}
	}
}

// BenchmarkStatisticsFacts1M: the same over the facts as a store keeps them
// (the fact table built once, outside the timing).
func BenchmarkStatisticsFacts1M(b *testing.B) {
	ft := NewFactTable(synthItems(b, million))
	runtime.GC()
	sw := sweep(b)
	over := benchOverseers()
	p := Months(at(6, 15, 0, 0), 1)[0]
	b.ResetTimer()
	for b.Loop() {
		if st := sw.ComputeFacts(ft, over, p, p.To); st.Total.Items == 0 {
			b.Fatal("nothing counted")
		}
	}
}

// BenchmarkTrendFacts1M: one unit's twelve months over the fact table.
func BenchmarkTrendFacts1M(b *testing.B) {
	ft := NewFactTable(synthItems(b, million))
	runtime.GC()
	sw := sweep(b)
	periods := Months(at(12, 15, 0, 0), 12)
	b.ResetTimer()
	for b.Loop() {
		sw.TrendFacts(ft, "u07", periods, at(12, 31, 0, 0))
	}
}

// BenchmarkTrend1M: one unit's twelve months (纵比) picked out of a million items.
func BenchmarkTrend1M(b *testing.B) {
	items := synthItems(b, million)
	sw := sweep(b)
	periods := Months(at(12, 15, 0, 0), 12)
	b.ResetTimer()
	for b.Loop() {
		sw.Trend(items, "u07", periods, at(12, 31, 0, 0))
	}
}

// BenchmarkBuildWorkdays: the per-sweep table over four years.
func BenchmarkBuildWorkdays(b *testing.B) {
	r := rules(b)
	for b.Loop() {
		NewWorkdays(r.Calendar, 2025, 2028)
	}
}
