package supervise

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
)

// TestRandomOperationSequences drives items (ordinary and proposals) through
// random operations by random actors at random times, with a scheduler
// polling Due at each step, and checks the invariants after every step:
//   - the item is in exactly one state, the one its route says;
//   - a closed item has evidence and an approver from the 督查室;
//   - extensions never hide the original deadline, and the current one is
//     the last granted;
//   - a closed item has no light;
//   - a refused operation changes nothing;
//   - NextAt never comes after a notice still to fire, and the light holds
//     from now until NextAt;
//   - every notice key is produced exactly once across the scheduler's
//     polls, and the polls together give exactly what one call over the
//     whole run gives on the final item (any split of [t0, t1]).
func TestRandomOperationSequences(t *testing.T) {
	runs := 150
	if testing.Short() {
		runs = 40
	}
	r, sw := rules(t), sweep(t)
	dig := *sw
	dig.Digest = true
	over := NewOverseers(testOversight)
	people := []route.Actor{sup, sup2, townA, townA2, deptB, stranger}
	reached := map[State]int{}
	events := map[EventType]int{}
	notices := 0
	defer func() { t.Logf("final states %v; events %v; %d notices", reached, events, notices) }()
	for run := range runs {
		rng := rand.New(rand.NewPCG(uint64(run), 7))
		start := at(3, 2, 9, 0).Add(time.Duration(rng.IntN(60*24)) * time.Minute)
		now := start
		var it Item
		var err error
		proposal := rng.IntN(3) == 0
		if proposal {
			it, _, err = r.Create(newProposal(fmt.Sprintf("p-%d", run)), sup, now)
		} else {
			n := newItem(fmt.Sprintf("i-%d", run))
			if rng.IntN(2) == 0 {
				n.Milestones = []Milestone{{ID: "m1", Title: "节点一", Spec: DeadlineSpec{Workdays: 1 + rng.IntN(8)}}}
				n.SubItems = []SubItem{{ID: "s1", Title: "子事项", UnitID: "dept2", Spec: DeadlineSpec{Workdays: 1 + rng.IntN(8)}}}
				if rng.IntN(2) == 0 {
					n.Schedule = Schedule{Kind: AtMilestones}
				}
			}
			if rng.IntN(3) == 0 {
				n.Schedule = Schedule{Kind: Monthly, Day: 1 + rng.IntN(31)}
			}
			n.Deadline = DeadlineSpec{Workdays: 1 + rng.IntN(15)}
			it, _, err = r.Create(n, sup, now)
		}
		if err != nil {
			t.Fatal(err)
		}
		var original time.Time
		seen := map[string]int{}
		last := start
		// A lazy scheduler as the store runs it: wakes an item only when its
		// stored NextAt has come, keeping it up to date after each operation.
		lazy := map[string]int{}
		lazyNext, lazyChecked := sw.NextAt(&it, start), start
		for step := range 80 {
			now = now.Add(time.Duration(1+rng.IntN(36*60)) * time.Minute)
			unit := []string{"town1", "town1", "dept2", "dept9"}[rng.IntN(4)]
			op := rng.IntN(12)
			// Mostly the right person for the operation, sometimes anyone.
			a := people[rng.IntN(len(people))]
			if rng.IntN(8) > 0 {
				switch op {
				case 0, 5, 7, 8, 11:
					a = []route.Actor{sup, sup2}[rng.IntN(2)]
				case 4, 10:
					a, unit = townA, "town1"
				default:
					a = map[string]route.Actor{"town1": []route.Actor{townA, townA2}[rng.IntN(2)], "dept2": deptB, "dept9": stranger}[unit]
				}
			}
			var next Item
			switch op {
			case 0:
				next, _, err = r.Assign(it, a, now)
			case 1, 2:
				next, _, err = r.SignFor(it, a, unit, now)
			case 3:
				var reached []string
				if rng.IntN(3) == 0 {
					reached = []string{[]string{"s1", "m1"}[rng.IntN(2)]}
				}
				next, _, err = r.Report(it, a, ReportInput{UnitID: unit, Text: "进展", Reached: reached}, now)
			case 4:
				ev := Evidence{Text: []string{"", "办结情况", "办结情况"}[rng.IntN(3)]}
				if rng.IntN(4) > 0 {
					ev.Attachments = answerLetter
				}
				next, _, err = r.RequestClose(it, a, ev, now)
			case 5:
				next, _, err = r.Review(it, a, rng.IntN(3) > 0, []string{"", "材料不全"}[rng.IntN(2)], now)
			case 6:
				target := []string{"", "", "s1", "m1"}[rng.IntN(4)]
				asked := it.Deadline.Due.Add(time.Duration(rng.IntN(20*24)-48) * time.Hour)
				next, _, err = r.RequestExtension(it, a, ExtensionInput{UnitID: unit, Target: target, Asked: asked, Reason: "理由"}, now)
			case 7:
				seq := 0
				if n := len(it.Extensions); n > 0 {
					seq = it.Extensions[rng.IntN(n)].Seq
				}
				next, _, err = r.DecideExtension(it, a, seq, rng.IntN(3) > 0, time.Time{}, []string{"", "不同意"}[rng.IntN(2)], now)
			case 8:
				next, _, err = r.Urge(it, a, unit, "请抓紧", now)
			case 9:
				seq := 0
				if n := len(it.Urgings); n > 0 {
					seq = it.Urgings[rng.IntN(n)].Seq
				}
				next, _, err = r.SignForUrging(it, a, seq, now)
			case 10:
				next, _, err = r.RecordContact(it, a, Contact{Way: "电话", Note: "已沟通"}, now)
			case 11:
				s := []Satisfaction{Satisfied, BasicSatisfied, Unsatisfied}[rng.IntN(3)]
				next, _, err = r.RecordSatisfaction(it, a, s, "意见", now)
			}
			where := fmt.Sprintf("run %d step %d", run, step)
			if err != nil {
				var ref *Refusal
				if !errors.As(err, &ref) {
					t.Fatalf("%s: non-refusal error %v", where, err)
				}
				if !sameJSON(next, it) {
					t.Fatalf("%s: refused operation changed the item", where)
				}
			} else {
				it = next
				lazyNext = sw.NextAtAfterOperation(lazyNext, &it, now)
			}
			checkInvariants(t, where, &it, sw, now)
			if original.IsZero() && !it.Deadline.Original.IsZero() {
				original = it.Deadline.Original
			}
			if it.Proposal == nil && !original.IsZero() && !it.Deadline.Original.Equal(original) {
				t.Fatalf("%s: original deadline changed from %v to %v", where, original, it.Deadline.Original)
			}
			// NextAt never comes after the first notice still to fire.
			na := sw.NextAt(&it, now)
			for _, n := range sw.Due(&it, over, now, now.Add(90*24*time.Hour)) {
				if na.IsZero() || n.At.Before(na) {
					t.Fatalf("%s: notice %s at %v before NextAt %v", where, n.Key, n.At, na)
				}
			}
			// The light holds from now until NextAt.
			c0 := sw.ColorAt(&it, now)
			until := na
			if until.IsZero() {
				until = now.Add(90 * 24 * time.Hour)
			}
			for _, x := range []time.Time{until.Add(-time.Nanosecond), now.Add(until.Sub(now) / 2)} {
				if c := sw.ColorAt(&it, x); c != c0 {
					t.Fatalf("%s: light %s at %v but %s at %v, before NextAt %v", where, c0, now, c, x, na)
				}
			}
			// A digest sweep's NextAt bounds its own notices, and its light
			// holds until then or the next report warning of the item's
			// schedule (which a store sets with a query, not a wake-up).
			dna := dig.NextAt(&it, now)
			for _, n := range dig.Due(&it, over, now, now.Add(90*24*time.Hour)) {
				if dna.IsZero() || n.At.Before(dna) {
					t.Fatalf("%s: digest sweep: notice %s at %v before NextAt %v", where, n.Key, n.At, dna)
				}
			}
			until = dna
			if until.IsZero() {
				until = now.Add(90 * 24 * time.Hour)
			}
			// The light a store shows from its columns: the stored light and
			// when a missed report turns it yellow.
			stored, ryAt := dig.ColorAt(&it, now), dig.ReportYellowAt(&it, now)
			// … or the midnight the item's yellow window opens, or just after
			// its deadline (the set-based updates of those).
			if due := it.Deadline.Due; !due.IsZero() {
				for _, sl := range dig.DueSoonSlots(now, until) {
					if !due.Before(sl.From) && due.Before(sl.To) {
						until = sl.At
						break
					}
				}
				if d := due.Add(time.Nanosecond); d.After(now) && d.Before(until) {
					until = d
				}
			}
			xs := []time.Time{now, until.Add(-time.Nanosecond), now.Add(until.Sub(now) / 2), now.Add(until.Sub(now) / 5)}
			if ryAt.After(now) && ryAt.Before(until) {
				xs = append(xs, ryAt, ryAt.Add(-time.Nanosecond))
			}
			for _, x := range xs {
				if c, shown := dig.ColorAt(&it, x), ShownColor(stored, ryAt, x); c != shown {
					t.Fatalf("%s: digest sweep: light %s at %v, shown %s (stored %s at %v, report yellow at %v, until %v)", where, c, x, shown, stored, now, ryAt, until)
				}
			}
			// The scheduler polls up to now.
			for _, n := range sw.Due(&it, over, last, now) {
				seen[n.Key]++
			}
			last = now
			if step%3 == 0 && !lazyNext.IsZero() && !lazyNext.After(now) {
				for _, n := range sw.Due(&it, over, lazyChecked, now) {
					lazy[n.Key]++
				}
				lazyChecked, lazyNext = now, sw.NextAt(&it, now)
			}
		}
		// The store keeps the item as JSON: a round trip loses nothing.
		b1, err := json.Marshal(it)
		if err != nil {
			t.Fatal(err)
		}
		var back Item
		if err := json.Unmarshal(b1, &back); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if !sameJSON(back, it) || sw.ColorAt(&back, last) != sw.ColorAt(&it, last) || len(sw.Due(&back, over, start, last)) != len(seen) {
			t.Fatalf("run %d: item changed through JSON", run)
		}
		reached[it.State]++
		for _, e := range it.History {
			events[e.Type]++
		}
		notices += len(seen)
		var polled []string
		for k, c := range seen {
			if c != 1 {
				t.Fatalf("run %d: key %s produced %d times", run, k, c)
			}
			polled = append(polled, k)
		}
		if !lazyNext.IsZero() && !lazyNext.After(last) {
			for _, n := range sw.Due(&it, over, lazyChecked, last) {
				lazy[n.Key]++
			}
		}
		var lazyKeys []string
		for k, c := range lazy {
			if c != 1 {
				t.Fatalf("run %d: lazy scheduler produced %s %d times", run, k, c)
			}
			lazyKeys = append(lazyKeys, k)
		}
		var once []string
		for _, n := range sw.Due(&it, over, start, last) {
			once = append(once, n.Key)
		}
		slices.Sort(polled)
		slices.Sort(once)
		slices.Sort(lazyKeys)
		if !slices.Equal(lazyKeys, once) {
			t.Fatalf("run %d: lazy scheduler %d keys, one call %d:\n%v\n%v", run, len(lazyKeys), len(once), diff(lazyKeys, once), diff(once, lazyKeys))
		}
		if !slices.Equal(polled, once) {
			t.Fatalf("run %d: polled %d keys, one call %d:\n%v\n%v", run, len(polled), len(once), diff(polled, once), diff(once, polled))
		}
	}
}

func sameJSON(a, b Item) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func diff(a, b []string) []string {
	var out []string
	for _, k := range a {
		if !slices.Contains(b, k) {
			out = append(out, k)
		}
	}
	return out
}

func checkInvariants(t *testing.T, where string, it *Item, sw *Sweep, now time.Time) {
	t.Helper()
	if !slices.Contains(AllStates(), it.State) || it.State != deriveState(it) {
		t.Fatalf("%s: state %q, route says %q", where, it.State, deriveState(it))
	}
	if it.State == Closed {
		sub, ok := it.ClosingSubmission()
		if !ok || blank(sub.Evidence.Text) || it.ClosedBy == "" || sub.ReviewedBy != it.ClosedBy {
			t.Fatalf("%s: closed without evidence or approver: %+v by %q", where, sub, it.ClosedBy)
		}
		if it.ClosedBy != "s1" && it.ClosedBy != "s2" {
			t.Fatalf("%s: closed by %s, not the 督查室", where, it.ClosedBy)
		}
		if c := sw.ColorAt(it, now); c != Off {
			t.Fatalf("%s: closed item with light %s", where, c)
		}
		if c := sw.LightAt(it, now); c.Color != Off || len(c.Reasons) != 0 {
			t.Fatalf("%s: closed item with warnings %+v", where, c)
		}
	} else if c := sw.ColorAt(it, now); c != sw.LightAt(it, now).Color {
		t.Fatalf("%s: ColorAt %s and LightAt disagree", where, c)
	}
	// Extensions: the current deadline is the original or the last grant, and
	// each grant records what it replaced.
	check := func(d Deadline, target string) {
		want := d.Original
		if it.Proposal != nil && target == "" {
			want = it.Proposal.Rounds[len(it.Proposal.Rounds)-1].Deadline.Original
		}
		for _, e := range it.Extensions {
			if e.Target != target || e.Decision != Granted {
				continue
			}
			if it.Proposal != nil && target == "" && e.DecidedAt.Before(it.Proposal.Rounds[len(it.Proposal.Rounds)-1].StartedAt) {
				continue
			}
			if !e.Previous.Equal(want) || !e.Granted.After(e.Previous) {
				t.Fatalf("%s: extension %+v does not follow %v", where, e, want)
			}
			want = e.Granted
		}
		if !d.Due.Equal(want) {
			t.Fatalf("%s: deadline %v, want %v", where, d.Due, want)
		}
		if d.Original.IsZero() != d.Due.IsZero() {
			t.Fatalf("%s: original deadline lost: %+v", where, d)
		}
	}
	if it.State != Registered {
		check(it.Deadline, "")
		for _, s := range it.SubItems {
			check(s.Deadline, s.ID)
		}
		for _, m := range it.Milestones {
			check(m.Deadline, m.ID)
		}
	}
	// Every unit's task is in the route, and an open item has exactly one lead.
	leads := 0
	for _, u := range it.Units {
		if u.Lead {
			leads++
		}
		if u.Task != 0 {
			if _, ok := it.Route.Task(u.Task); !ok {
				t.Fatalf("%s: unit %s bound to a missing task", where, u.UnitID)
			}
		}
	}
	if leads != 1 {
		t.Fatalf("%s: %d lead units", where, leads)
	}
}
