package supervise

import (
	"testing"
	"time"
)

// TestLightRules: one item (assigned Mon 2 Mar 09:30, due Mon 16 Mar 17:30,
// weekly reports on Fridays, both units reported on Fri 6 Mar) under
// variations, at various moments.
func TestLightRules(t *testing.T) {
	r, sw := rules(t), sweep(t)
	base := inProgress(t)
	base = must(t)(r.Report(base, townA, ReportInput{UnitID: "town1", Text: "x"}, at(3, 6, 9, 0)))
	base = must(t)(r.Report(base, deptB, ReportInput{UnitID: "dept2", Text: "x"}, at(3, 6, 9, 0)))
	sub := func(due time.Time) func(*Item) {
		return func(it *Item) {
			it.SubItems = []SubItem{{ID: "s1", Title: "子", UnitID: "dept2", Deadline: Deadline{Original: due, Due: due}}}
		}
	}
	cases := []struct {
		name   string
		edit   func(*Item)
		now    time.Time
		want   Color
		reason ReasonKind
	}{
		{"on track", nil, at(3, 9, 10, 0), Green, ""},
		{"4 working days left", nil, at(3, 10, 23, 0), Green, ""},
		{"3 working days left", nil, at(3, 11, 0, 0), Yellow, ReasonDueSoon},
		{"due today", nil, at(3, 16, 9, 0), Yellow, ReasonDueSoon},
		{"at the due instant", nil, at(3, 16, 17, 30), Yellow, ReasonDueSoon},
		{"a minute late", nil, at(3, 16, 17, 31), Red, ReasonOverdue},
		{"Friday's report missing after close of office", func(it *Item) { it.Deadline.Due = at(3, 31, 17, 30) }, at(3, 13, 17, 31), Yellow, ReasonReportMissing},
		{"Friday's report not yet due", func(it *Item) { it.Deadline.Due = at(3, 31, 17, 30) }, at(3, 13, 17, 29), Green, ""},
		{"registered", func(it *Item) { it.State = Registered }, at(3, 20, 9, 0), Green, ""},
		{"closed", func(it *Item) { it.State = Closed }, at(3, 20, 9, 0), Off, ""},
		{"applied before the deadline, reviewed after", func(it *Item) {
			it.State, it.Submits = PendingReview, []Submission{{At: at(3, 12, 9, 0)}}
		}, at(3, 20, 9, 0), Green, ""},
		{"applied after the deadline", func(it *Item) {
			it.State, it.Submits = PendingReview, []Submission{{At: at(3, 17, 9, 0)}}
		}, at(3, 20, 9, 0), Red, ReasonOverdue},
		{"open sub-item overdue", sub(at(3, 6, 17, 30)), at(3, 9, 10, 0), Red, ReasonOverdue},
		{"open sub-item due soon", sub(at(3, 11, 17, 30)), at(3, 9, 10, 0), Yellow, ReasonDueSoon},
		{"done sub-item overdue", func(it *Item) {
			sub(at(3, 6, 17, 30))(it)
			it.SubItems[0].DoneAt = at(3, 5, 9, 0)
		}, at(3, 9, 10, 0), Green, ""},
		{"extended", func(it *Item) { it.Deadline.Due = at(3, 31, 17, 30) }, at(3, 17, 9, 0), Yellow, ReasonReportMissing},
		{"released co-unit owes no report", func(it *Item) {
			it.Deadline.Due = at(3, 31, 17, 30)
			it.Units[1].Released = true
			it.Reports = append(it.Reports, Report{UnitID: "town1", At: at(3, 16, 9, 0)})
		}, at(3, 17, 9, 0), Green, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := base.clone()
			if c.edit != nil {
				c.edit(&it)
			}
			l := sw.LightAt(&it, c.now)
			if l.Color != c.want {
				t.Fatalf("light %s, want %s (%+v)", l.Color, c.want, l.Reasons)
			}
			found := false
			for _, rs := range l.Reasons {
				found = found || rs.Kind == c.reason
			}
			if c.reason != "" && !found {
				t.Fatalf("reasons %+v, want %s among them", l.Reasons, c.reason)
			}
			if c.want == Green && len(l.Reasons) != 0 {
				t.Fatalf("green with reasons %+v", l.Reasons)
			}
			if got := sw.ColorAt(&it, c.now); got != l.Color {
				t.Fatalf("ColorAt %s, LightAt %s", got, l.Color)
			}
		})
	}
}
