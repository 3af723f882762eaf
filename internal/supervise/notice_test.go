package supervise

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// keysOf returns the notices' keys, failing on a key seen twice.
func keysOf(t *testing.T, ns []Notice) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	for _, n := range ns {
		if seen[n.Key] {
			t.Fatalf("key %s produced twice", n.Key)
		}
		seen[n.Key] = true
		out = append(out, n.Key)
	}
	return out
}

// overdueItem is in progress, reports only once and runs past its deadline.
func overdueItem(t *testing.T) Item {
	r := rules(t)
	it := inProgress(t)
	return must(t)(r.Report(it, townA, ReportInput{UnitID: "town1", Text: "推进中"}, at(3, 6, 9, 0)))
}

func TestDueNoticesOfAnItem(t *testing.T) {
	sw := sweep(t)
	it := overdueItem(t)
	ns := sw.Due(&it, NewOverseers(testOversight), at(3, 2, 0, 0), at(3, 20, 0, 0))
	got := map[string]Notice{}
	for _, n := range ns {
		got[n.Key] = n
		if !n.At.After(at(3, 2, 0, 0)) || n.At.After(at(3, 20, 0, 0)) {
			t.Fatalf("notice outside the window: %+v", n)
		}
		if strings.TrimSpace(n.Text) == "" {
			t.Fatalf("notice without text: %+v", n)
		}
	}
	want := []struct {
		key string
		at  time.Time
	}{
		// Friday 6 March: the department is reminded in the morning and warned at close of office.
		{"dc-1/report_reminder/dept2/20260306", at(3, 6, 8, 30)},
		{"dc-1/report_missing/dept2/20260306", at(3, 6, 17, 30)},
		// The town reported that morning: reminded (it had not yet), never warned.
		{"dc-1/report_reminder/town1/20260306", at(3, 6, 8, 30)},
		// Yellow from the start of Wednesday 11th (3 working days left: 12, 13, 16).
		{"dc-1/due_soon//202603161730", at(3, 11, 0, 0)},
		{"dc-1/overdue//202603161730", at(3, 16, 17, 30)},
		{"dc-1/escalate/202603161730/vm", at(3, 16, 17, 30)},
		{"dc-1/overdue_daily/20260317", at(3, 17, 8, 30)},
		{"dc-1/overdue_daily/20260319", at(3, 19, 8, 30)},
	}
	for _, w := range want {
		n, ok := got[w.key]
		if !ok {
			t.Errorf("missing notice %s; have %v", w.key, keysOf(t, ns))
			continue
		}
		if !n.At.Equal(w.at) {
			t.Errorf("%s at %v, want %v", w.key, n.At, w.at)
		}
	}
	if _, ok := got["dc-1/report_missing/town1/20260306"]; ok {
		t.Error("the town reported but was warned")
	}
	keysOf(t, ns)
}

// TestCatchUpAfterADayOfDowntime: a scheduler polling every five minutes and
// one that was down for a day and catches up with one call fire the same
// notices, each once.
func TestCatchUpAfterADayOfDowntime(t *testing.T) {
	sw := sweep(t)
	over := NewOverseers(testOversight)
	it := overdueItem(t)
	start, end := at(3, 2, 0, 0), at(3, 25, 0, 0)

	var steady []string
	for t0 := start; t0.Before(end); t0 = t0.Add(5 * time.Minute) {
		steady = append(steady, keysOf(t, sw.Due(&it, over, t0, t0.Add(5*time.Minute)))...)
	}
	// Down from Monday 16th 08:00 to Tuesday 17th 08:00 across the deadline.
	down, up := at(3, 16, 8, 0), at(3, 17, 9, 0)
	var caught []string
	for t0 := start; t0.Before(end); {
		t1 := t0.Add(5 * time.Minute)
		if t0.Equal(down) {
			t1 = up
		}
		caught = append(caught, keysOf(t, sw.Due(&it, over, t0, t1))...)
		t0 = t1
	}
	once := keysOf(t, sw.Due(&it, over, start, end))
	slices.Sort(steady)
	slices.Sort(caught)
	slices.Sort(once)
	keysOf(t, noticesOf(steady))
	if !slices.Equal(steady, caught) || !slices.Equal(steady, once) {
		t.Fatalf("steady %d, caught up %d, one call %d notices differ", len(steady), len(caught), len(once))
	}
	for _, k := range []string{"dc-1/overdue//202603161730", "dc-1/escalate/202603161730/vm", "dc-1/overdue_daily/20260317"} {
		if !slices.Contains(caught, k) {
			t.Errorf("catch-up lost %s", k)
		}
	}
}

func noticesOf(keys []string) []Notice {
	out := make([]Notice, len(keys))
	for i, k := range keys {
		out[i].Key = k
	}
	return out
}

func TestKeysAreStableAndDistinct(t *testing.T) {
	sw := sweep(t)
	over := NewOverseers(testOversight)
	a := overdueItem(t)
	b := overdueItem(t)
	b.ID = "dc-1/x" // an ID with the separator in it must not collide
	ka := keysOf(t, sw.Due(&a, over, at(3, 1, 0, 0), at(4, 1, 0, 0)))
	ka2 := keysOf(t, sw.Due(&a, over, at(3, 1, 0, 0), at(4, 1, 0, 0)))
	kb := keysOf(t, sw.Due(&b, over, at(3, 1, 0, 0), at(4, 1, 0, 0)))
	if !slices.Equal(ka, ka2) {
		t.Fatal("keys not stable between calls")
	}
	for _, k := range kb {
		if slices.Contains(ka, k) {
			t.Fatalf("two items share key %s", k)
		}
	}
	if len(ka) < 10 {
		t.Fatalf("only %d notices", len(ka))
	}
}

func TestExtensionMovesTheWarnings(t *testing.T) {
	r, sw := rules(t), sweep(t)
	over := NewOverseers(testOversight)
	it := overdueItem(t)
	// Extended on Tuesday 10th, before the original deadline, to Friday 27th.
	it = must(t)(r.RequestExtension(it, townA, ExtensionInput{UnitID: "town1", Asked: at(3, 27, 17, 30), Reason: "施工受阻"}, at(3, 10, 9, 0)))
	it = must(t)(r.DecideExtension(it, sup, it.Extensions[0].Seq, true, time.Time{}, "", at(3, 10, 10, 0)))
	keys := keysOf(t, sw.Due(&it, over, at(3, 2, 0, 0), at(4, 1, 0, 0)))
	for _, k := range keys {
		if strings.Contains(k, "202603161730") {
			t.Fatalf("warning for the superseded deadline: %s", k)
		}
	}
	for _, k := range []string{"dc-1/due_soon//202603271730", "dc-1/overdue//202603271730"} {
		if !slices.Contains(keys, k) {
			t.Errorf("missing %s in %v", k, keys)
		}
	}
	// Once closed, nothing more fires.
	it = must(t)(r.RequestClose(it, townA, Evidence{Text: "完成"}, at(3, 12, 9, 0)))
	it = must(t)(r.Review(it, sup, true, "", at(3, 12, 10, 0)))
	if ns := sw.Due(&it, over, at(3, 12, 10, 0), at(5, 1, 0, 0)); len(ns) != 0 {
		t.Fatalf("closed item fired %v", ns)
	}
}

func TestSignForLate(t *testing.T) {
	r, sw := rules(t), sweep(t)
	it := assigned(t) // 交办 Monday 09:30: sign for by Tuesday 17:30
	it = must(t)(r.SignFor(it, townA, "town1", at(3, 2, 10, 0)))
	ns := sw.Due(&it, nil, at(3, 2, 0, 0), at(3, 4, 0, 0))
	var late []Notice
	for _, n := range ns {
		if n.Kind == NoticeSignForLate {
			late = append(late, n)
		}
	}
	if len(late) != 1 || late[0].UnitID != "dept2" || !late[0].At.Equal(at(3, 3, 17, 30)) {
		t.Fatalf("late sign-for notices %+v", late)
	}
}

func TestMonthlySchedulePeriods(t *testing.T) {
	sw := sweep(t)
	it := Item{Schedule: Schedule{Kind: Monthly, Day: 31}, AssignedAt: at(1, 10, 9, 0)}
	// Day 31 in February means its last day (Saturday 28th, a make-up working day in 2026).
	p, ok := sw.periodAt(&it, at(3, 2, 9, 0))
	if !ok || !p.due.Equal(at(2, 28, 17, 30)) || !p.prev.Equal(at(2, 2, 17, 30)) {
		t.Fatalf("period %+v (%v, prev %v)", p, p.due, p.prev)
	}
	// January 31st is a Saturday: due the next working day, Monday 2 February.
	p, ok = sw.periodAt(&it, at(2, 2, 17, 30))
	if !ok || !p.due.Equal(at(2, 2, 17, 30)) || !p.prev.Equal(it.AssignedAt) {
		t.Fatalf("first period %+v", p)
	}
	if _, ok := sw.periodAt(&it, at(2, 2, 17, 29)); ok {
		t.Fatal("a period before the first report was due")
	}
}

func TestWorkdaysTableAgreesWithCalendar(t *testing.T) {
	r := rules(t)
	w := NewWorkdays(r.Calendar, 2026, 2026)
	for d := dayOf(at(1, 1, 12, 0)) - 5; d < dayOf(at(12, 31, 12, 0))+40; d++ {
		noon := w.midnight(d).Add(12 * time.Hour)
		if w.IsWork(d) != r.Calendar.IsWorkday(noon) {
			t.Fatalf("day %s: table %v", dayKey(d), w.IsWork(d))
		}
		due, _ := r.Calendar.AddWorkdays(w.midnight(d), 0)
		if !w.reportDue(d).Equal(due) {
			t.Fatalf("report due for %s: %v, calendar %v", dayKey(d), w.reportDue(d), due)
		}
		for _, hm := range [][2]int{{0, 0}, {8, 30}, {8, 31}, {12, 0}, {17, 30}, {23, 59}} {
			t0 := w.midnight(d).Add(time.Duration(hm[0])*time.Hour + time.Duration(hm[1])*time.Minute)
			if want, _ := r.Calendar.AddWorkdays(t0, 1); !w.urgingLimit(t0).Equal(want) {
				t.Fatalf("urging limit from %v: %v, calendar %v", t0, w.urgingLimit(t0), want)
			}
		}
		// soonStart is the first moment with at most n working days left.
		for _, n := range []int{0, 1, 3} {
			due := w.closeOf(w.nextWork(d))
			s := w.soonStart(due, n)
			if w.WorkdaysLeft(s, due) > n || w.WorkdaysLeft(s.Add(-time.Second), due) <= n {
				t.Fatalf("soonStart(%v, %d) = %v", due, n, s)
			}
		}
	}
}

// scheduler is the durable scheduler in miniature: per item a NextAt column
// and a checked-until column, and the set of delivered keys.
type scheduler struct {
	sw        *Sweep
	over      Overseers
	next      []time.Time
	checked   []time.Time
	delivered map[string]int
	dueCalls  int
}

func newScheduler(sw *Sweep, over Overseers, items []Item, start time.Time) *scheduler {
	s := &scheduler{sw: sw, over: over, delivered: map[string]int{}}
	for i := range items {
		s.next = append(s.next, sw.NextAt(&items[i], start))
		s.checked = append(s.checked, start)
	}
	return s
}

// run wakes the items whose NextAt has come and delivers what fell due.
func (s *scheduler) run(items []Item, now time.Time) {
	for i := range items {
		if s.next[i].IsZero() || s.next[i].After(now) {
			continue
		}
		s.dueCalls++
		for _, n := range s.sw.Due(&items[i], s.over, s.checked[i], now) {
			s.delivered[n.Key]++
		}
		s.checked[i], s.next[i] = now, s.sw.NextAt(&items[i], now)
	}
}

func TestSchedulerWithNextAtCatchesUp(t *testing.T) {
	sw := sweep(t)
	over := NewOverseers(testOversight)
	items := []Item{overdueItem(t), inProgress(t)}
	items[1].ID = "dc-2"
	start, end := at(3, 2, 0, 0), at(5, 1, 0, 0)
	// Synthetic items in their state at the start: open, assigned before it.
	for _, it := range synthItems(t, 1500) {
		if (it.State == Assigned || it.State == InProgress) && it.AssignedAt.Before(start) {
			items = append(items, it)
		}
	}
	if len(items) < 50 {
		t.Fatalf("only %d items", len(items))
	}
	var want []string
	for i := range items {
		for _, n := range sw.Due(&items[i], over, start, end) {
			want = append(want, n.Key)
		}
	}
	slices.Sort(want)
	for _, down := range []time.Duration{0, 24 * time.Hour, 3 * 24 * time.Hour} {
		s := newScheduler(sw, over, items, start)
		outage := at(3, 16, 8, 0)
		for now := start.Add(5 * time.Minute); !now.After(end); now = now.Add(5 * time.Minute) {
			if down > 0 && now.After(outage) && now.Before(outage.Add(down)) {
				continue // the servers are down
			}
			s.run(items, now)
		}
		var got []string
		for k, c := range s.delivered {
			if c != 1 {
				t.Fatalf("down %v: %s delivered %d times", down, k, c)
			}
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("down %v: delivered %d, want %d; missing %v; extra %v", down, len(got), len(want), diff(want, got), diff(got, want))
		}
		ticks := int(end.Sub(start) / (5 * time.Minute))
		if s.dueCalls*10 > ticks*len(items) {
			t.Errorf("NextAt woke items too often: %d Due calls for %d item-ticks", s.dueCalls, ticks*len(items))
		}
	}
}

func TestUrgingNotSignedFor(t *testing.T) {
	r, sw := rules(t), sweep(t)
	it := inProgress(t)
	it = must(t)(r.Urge(it, sup, "dept2", "请报送配合情况", at(3, 6, 10, 0))) // a Friday: limit Monday 17:30
	it = must(t)(r.Urge(it, sup, "town1", "请加快", at(3, 6, 10, 0)))
	it = must(t)(r.SignForUrging(it, townA, it.Urgings[1].Seq, at(3, 6, 11, 0)))
	var got []Notice
	for _, n := range sw.Due(&it, nil, at(3, 6, 0, 0), at(3, 12, 0, 0)) {
		if n.Kind == NoticeUrgingUnsigned {
			got = append(got, n)
		}
	}
	if len(got) != 1 || got[0].UnitID != "dept2" || !got[0].At.Equal(at(3, 9, 17, 30)) {
		t.Fatalf("unsigned urging notices %+v", got)
	}
	want, _ := r.Calendar.AddWorkdays(at(3, 6, 10, 0), 1)
	if !got[0].At.Equal(want) {
		t.Fatalf("limit %v, calendar says %v", got[0].At, want)
	}
}
