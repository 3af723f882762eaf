package route

import (
	"testing"
	"time"
)

// outgoingScript is the happy path of the default 发文 route: 13 transitions
// (start included) from 起草 to 归档 with two co-signing units.
func runOutgoing(tb testing.TB, e Engine, now time.Time) int {
	in, _, err := e.Start(Outgoing(), StartOptions{ID: "b", Starter: "d1", Scope: scope}, now)
	if err != nil {
		tb.Fatal(err)
	}
	n := 1
	step := func(a Actor, req Request) {
		for _, t := range in.OpenTasks() {
			if _, ok := entitled(a, t.Assignee, true, ""); ok {
				req.Task = t.ID
				break
			}
		}
		now = now.Add(time.Minute)
		out, _, err := e.Apply(in, a, req, now)
		if err != nil {
			tb.Fatal(err)
		}
		in = out
		n++
	}
	step(drafter, Request{Op: Approve})
	step(secHead, Request{Op: Approve})
	step(reviewer, Request{Op: Approve, Next: []NextTask{{Assignee: Assignee{Kind: Unit, Unit: "u2"}}, {Assignee: Assignee{Kind: Unit, Unit: "u3"}}}})
	step(member2, Request{Op: Approve})
	step(member3, Request{Op: Approve})
	step(boss, Request{Op: Approve, Comment: "同意"})
	step(clerk, Request{Op: Approve})
	step(reviewer, Request{Op: Approve})
	step(clerk, Request{Op: Approve, Fields: map[string]string{"print_date": "2026-03-02", "copies": "30"}})
	step(clerk, Request{Op: Approve})
	step(archivist, Request{Op: Acknowledge})
	step(archivist, Request{Op: Approve})
	if in.Status != Done {
		tb.Fatal("route did not finish")
	}
	return n
}

// BenchmarkOutgoingRoute measures in-memory route transitions (pure engine:
// no store, no JSON), reported as transitions per second.
func BenchmarkOutgoingRoute(b *testing.B) {
	e := engine(b)
	now := monday(9, 0)
	total := 0
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		total += runOutgoing(b, e, now)
	}
	b.ReportMetric(float64(total)/time.Since(start).Seconds(), "transitions/s")
}
