package supervise

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// The cast: the 督查室 (dcs) and its supervisor, a town that leads, a
// department that helps, the vice mayor who oversees the town.
var (
	sup      = route.Actor{Principal: route.Principal{ID: "s1", Units: []string{"dcs"}, Roles: []route.RoleGrant{{Role: route.RoleSupervisor, Unit: "dcs"}}}}
	sup2     = route.Actor{Principal: route.Principal{ID: "s2", Units: []string{"dcs"}, Roles: []route.RoleGrant{{Role: route.RoleSupervisor, Unit: "dcs"}}}}
	townA    = route.Actor{Principal: route.Principal{ID: "a1", Units: []string{"town1"}}}
	townA2   = route.Actor{Principal: route.Principal{ID: "a2", Units: []string{"town1"}}}
	deptB    = route.Actor{Principal: route.Principal{ID: "b1", Units: []string{"dept2"}}}
	stranger = route.Actor{Principal: route.Principal{ID: "x", Units: []string{"elsewhere"}}}
)

var testOversight = []org.Oversight{{LeaderID: "vm", UnitID: "town1"}, {LeaderID: "vm2", UnitID: "dept2"}}

func rules(t testing.TB) Rules {
	t.Helper()
	c, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	return Rules{Calendar: c}
}

func sweep(t testing.TB) *Sweep { return rules(t).NewSweep(2025, 2028) }

// at is a time in Asia/Shanghai in 2026.
func at(month time.Month, day, h, m int) time.Time {
	return time.Date(2026, month, day, h, m, 0, 0, calendar.Shanghai())
}

var sha = strings.Repeat("ab", 32)

func newItem(id string) NewItem {
	return NewItem{
		ID: id, Source: FromInstruction, Ref: "doc-7", Title: "推进老旧小区改造",
		Instruction: "请城关镇牵头、住建局配合，抓紧落实，月底前报结果。  ——张三 3月2日",
		Instructor:  "zs", Office: "dcs",
		Units:    []Unit{{UnitID: "town1", Lead: true, Responsible: "a1"}, {UnitID: "dept2", Responsible: "b1"}},
		Schedule: Schedule{Kind: Weekly, Weekday: time.Friday},
		Deadline: DeadlineSpec{Workdays: 10},
	}
}

// must fails the test on error and returns the item.
func must(t *testing.T) func(Item, []Event, error) Item {
	return func(it Item, _ []Event, err error) Item {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected refusal: %v", err)
		}
		if it.State != deriveState(&it) {
			t.Fatalf("state %s, derived %s", it.State, deriveState(&it))
		}
		return it
	}
}

// refused checks that an operation was refused with a message containing want.
func refused(t *testing.T, want string) func(Item, []Event, error) {
	return func(_ Item, _ []Event, err error) {
		t.Helper()
		var r *Refusal
		if !errors.As(err, &r) {
			t.Fatalf("want refusal containing %q, got %v", want, err)
		}
		if !strings.Contains(r.Msg, want) {
			t.Fatalf("refusal %q does not contain %q", r.Msg, want)
		}
	}
}

// assigned creates and assigns the standard item on Monday 2 March 2026.
func assigned(t *testing.T) Item {
	r := rules(t)
	it := must(t)(r.Create(newItem("dc-1"), sup, at(3, 2, 9, 0)))
	return must(t)(r.Assign(it, sup, at(3, 2, 9, 30)))
}

// inProgress is assigned and signed for by both units.
func inProgress(t *testing.T) Item {
	r := rules(t)
	it := assigned(t)
	it = must(t)(r.SignFor(it, townA, "town1", at(3, 2, 10, 0)))
	return must(t)(r.SignFor(it, deptB, "dept2", at(3, 2, 11, 0)))
}
