package supervise

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
)

func demoUnits() []DemoUnit {
	var us []DemoUnit
	for i := range 8 {
		id := fmt.Sprintf("u%d", i)
		us = append(us, DemoUnit{ID: id, Person: route.Actor{Principal: route.Principal{ID: "p" + id, Units: []string{id}}}})
	}
	return us
}

func TestDemoItemsCoverEverything(t *testing.T) {
	r, sw := rules(t), sweep(t)
	now := at(11, 20, 10, 0)
	items, err := r.DemoItems("dcs", sup, nil, demoUnits(), now, 400, 1)
	if err != nil {
		t.Fatal(err)
	}
	states := map[State]int{}
	lights := map[Color]int{}
	sources := map[Source]map[State]bool{}
	verdicts, reopened, returned, extended, urged := 0, 0, 0, 0, 0
	for i := range items {
		it := &items[i]
		checkInvariants(t, it.ID, it, sw, now)
		states[it.State]++
		lights[sw.ColorAt(it, now)]++
		if sources[it.Source] == nil {
			sources[it.Source] = map[State]bool{}
		}
		sources[it.Source][it.State] = true
		for _, e := range it.History {
			if e.At.After(now) {
				t.Fatalf("%s: event in the future: %+v", it.ID, e)
			}
			switch e.Type {
			case EvSatisfaction:
				verdicts++
			case EvReopened:
				reopened++
			case EvReturned:
				returned++
			case EvExtensionGranted:
				extended++
			case EvUrged:
				urged++
			}
		}
	}
	for _, s := range AllStates() {
		if states[s] == 0 {
			t.Errorf("no demo item in state %s", s)
		}
	}
	for _, c := range []Color{Green, Yellow, Red, Off} {
		if lights[c] == 0 {
			t.Errorf("no demo item with light %q", c)
		}
	}
	for _, src := range AllSources() {
		if len(sources[src]) < 3 {
			t.Errorf("source %s only in states %v", src, sources[src])
		}
	}
	if verdicts == 0 || reopened == 0 || returned == 0 || extended == 0 || urged == 0 {
		t.Errorf("verdicts %d, reopened %d, returned %d, extended %d, urged %d", verdicts, reopened, returned, extended, urged)
	}
	// A year of history: every month has items closed.
	ft := NewFactTable(items)
	for _, p := range Months(now.AddDate(0, -1, 0), 10) {
		if st := sw.ComputeFacts(ft, nil, p, p.To); st.Total.Closed == 0 {
			t.Errorf("nothing closed in %v", p.From.Month())
		}
	}
	t.Logf("states %v lights %v verdicts %d reopened %d returned %d extended %d urged %d", states, lights, verdicts, reopened, returned, extended, urged)

	// Deterministic.
	again, _ := r.DemoItems("dcs", sup, nil, demoUnits(), now, 400, 1)
	if !reflect.DeepEqual(items, again) {
		t.Fatal("demo items differ between runs with the same seed")
	}
}

// The demo's people act at work: every step of every item, but the
// registration's own (9:00 on its day), falls in office hours on a working
// day — the demo once had 督办 handovers at 02:25 (issue 12).
func TestDemoItemsInOfficeHours(t *testing.T) {
	r := rules(t)
	now := at(11, 20, 10, 0)
	items, err := r.DemoItems("dcs", sup, nil, demoUnits(), now, 400, 1)
	if err != nil {
		t.Fatal(err)
	}
	night := 0
	for _, it := range items {
		for _, e := range it.History {
			if r.Calendar.WorkingTimeBetween(e.At, e.At.Add(time.Minute)) != time.Minute {
				night++
				if night <= 5 {
					t.Errorf("%s: %s at %s, out of office hours", it.ID, e.Type, e.At.In(r.Calendar.Location()).Format("2006-01-02 Mon 15:04"))
				}
			}
		}
	}
	if night > 0 {
		t.Errorf("%d steps out of office hours", night)
	}
}
