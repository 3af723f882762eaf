package route

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// The population for random runs: everyone from the scenario tests plus people
// at the receiving side, so random choices can name real and unreal assignees.
var population = []Actor{drafter, secHead, reviewer, clerk, archivist, member2, member3, boss, secretary, urger, stranger,
	{Principal: Principal{ID: "m2b", Units: []string{"u2"}}},
	{Principal: Principal{ID: "dep", Units: []string{"organ"}}, Delegations: []Principal{secHead.Principal, member3.Principal}},
}

var candidates = []Assignee{
	{Kind: Unit, Unit: "u2"}, {Kind: Unit, Unit: "u3"}, {Kind: Person, Person: "m2b"}, {Kind: Person, Person: "x"},
	{Kind: Leader, Unit: "organ"}, {Kind: Role, Role: RoleOfficeClerk, Unit: "office"}, {Kind: Person, Person: "dep"},
}

var ops = []Op{Acknowledge, Approve, Approve, Approve, Disagree, Return, Withdraw, Forward, AddReviewer, Urge, Delegate}

// randomRequest builds a plausible request: mostly aimed at an open task by
// someone who may act on it, sometimes at anything by anyone.
func randomRequest(r *rand.Rand, in Instance) (Actor, Request) {
	req := Request{Op: ops[r.IntN(len(ops))]}
	actor := population[r.IntN(len(population))]
	open := in.OpenTasks()
	switch {
	case req.Op == Withdraw && len(in.Tasks) > 0:
		t := in.Tasks[r.IntN(len(in.Tasks))]
		req.Task = t.ID
		for _, a := range population {
			if a.ID == t.ActedBy && r.IntN(4) > 0 {
				actor = a
			}
		}
	case len(open) > 0 && r.IntN(10) > 0:
		t := open[r.IntN(len(open))]
		req.Task = t.ID
		if r.IntN(5) > 0 {
			var fit []Actor
			for _, a := range population {
				if _, ok := entitled(a, t.Assignee, true, ""); ok {
					fit = append(fit, a)
				}
			}
			if len(fit) > 0 {
				actor = fit[r.IntN(len(fit))]
			}
		}
	default:
		req.Task = r.IntN(len(in.Tasks)+2) + 1
	}
	if r.IntN(3) > 0 {
		req.Comment = "意见" + fmt.Sprint(r.IntN(100))
	}
	if r.IntN(4) == 0 {
		req.ToStep = in.Template.Steps[r.IntN(len(in.Template.Steps))].Key
	}
	if r.IntN(3) == 0 {
		req.Fields = map[string]string{"print_date": "2026-03-03", "copies": "20"}
	}
	n := 0
	if next := in.Current + 1; next < len(in.Template.Steps) && in.Template.Steps[next].Chosen || req.Op == Forward || req.Op == AddReviewer {
		n = r.IntN(3) + boolInt(req.Op == Forward)
	}
	perm := r.Perm(len(candidates))
	for i := 0; i < n && i < len(perm); i++ {
		req.Next = append(req.Next, NextTask{Assignee: candidates[perm[i]], Lead: i == 0})
	}
	return actor, req
}

// anyTemplate exercises any-one completion (and the withdrawal that must
// reopen the tasks it cancelled) next to a serial chosen step.
func anyTemplate() Template {
	every := []Op{Return, Withdraw, Forward, Delegate, AddReviewer, Urge}
	return Template{Kind: "test", Name: "任一办理", Steps: []Step{
		{Key: "draft", Name: "起草", Actors: []Assignee{{Kind: Starter}}, Ops: every},
		{Key: "any", Name: "任一审核", Parallel: true, Completion: Any, Ops: every, Limit: calendar.Hours(2),
			Actors: []Assignee{{Kind: Unit, Unit: "u2"}, {Kind: Unit, Unit: "u3"}, {Kind: Leader, Unit: "organ"}}},
		{Key: "pick", Name: "指定办理", Chosen: true, Ops: every, Limit: calendar.Days(1)},
		{Key: "end", Name: "归档", Actors: []Assignee{{Kind: Role, Role: RoleArchivist, Unit: "office"}}, Ops: every},
	}}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestRandomOperationsKeepInvariants drives random operation sequences through
// both default routes and checks, after every step:
//   - one current step per branch: every open task is at the current step and
//     no branch has two open tasks; an active route always has someone holding it;
//   - no action by someone not entitled to it (checked against the pre-state);
//   - every handover is acknowledged, or still within its limit, or flagged;
//   - refusals change nothing; the input state is never modified;
//   - events are numbered without gaps; the state survives JSON.
func TestRandomOperationsKeepInvariants(t *testing.T) {
	e := engine(t)
	r := rand.New(rand.NewPCG(7, 2026))
	runs, steps := 200, 120
	if testing.Short() {
		runs = 50
	}
	stats := map[string]int{}
	for run := 0; run < runs; run++ {
		tmpl := Outgoing()
		opt := StartOptions{ID: fmt.Sprint(run), Starter: "d1", Scope: scope}
		switch run % 3 {
		case 1:
			tmpl = Incoming()
			opt = StartOptions{ID: fmt.Sprint(run), Starter: "system", Scope: map[string]string{ScopeUnit: "office"}}
		case 2:
			tmpl = anyTemplate()
		}
		now := monday(8, 0).Add(time.Duration(r.IntN(60*24*30)) * time.Minute)
		in, evs, err := e.Start(tmpl, opt, now)
		if err != nil {
			t.Fatal(err)
		}
		seq := len(evs)
		checkInvariants(t, e, in, now)
		for i := 0; i < steps && in.Status == Active; i++ {
			now = now.Add(time.Duration(r.IntN(300)) * time.Minute)
			actor, req := randomRequest(r, in)
			before, _ := json.Marshal(in)
			out, evs, err := e.Apply(in, actor, req, now)
			after, _ := json.Marshal(in)
			if string(before) != string(after) {
				t.Fatalf("run %d: Apply modified its input", run)
			}
			if err != nil {
				var ref *Refusal
				if !errors.As(err, &ref) {
					t.Fatalf("run %d: non-refusal error %v", run, err)
				}
				if !hasHan(err.Error()) {
					t.Fatalf("refusal not in Chinese: %q", err)
				}
				outJSON, _ := json.Marshal(out)
				if string(outJSON) != string(before) || evs != nil {
					t.Fatalf("run %d: refusal changed the state", run)
				}
				stats["refused "+string(req.Op)]++
				continue
			}
			stats["applied "+string(req.Op)]++
			checkEntitled(t, in, actor, req)
			for _, ev := range evs {
				seq++
				if ev.Seq != seq {
					t.Fatalf("run %d: event seq %d, want %d", run, ev.Seq, seq)
				}
			}
			in = out
			checkInvariants(t, e, in, now)
			// Later on, an unacknowledged handover past its limit must be flagged.
			checkInvariants(t, e, in, now.Add(72*time.Hour))
		}
		if in.Status == Done {
			stats["completed routes"]++
		}
	}
	for _, must := range []string{"applied approve", "applied disagree", "applied return", "applied withdraw", "applied forward",
		"applied add_reviewer", "applied urge", "applied acknowledge", "completed routes", "refused approve"} {
		if stats[must] == 0 {
			t.Errorf("random runs never exercised %q: %v", must, stats)
		}
	}
	t.Logf("%v", stats)
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// checkEntitled re-derives, independently of the engine's code path, that the
// actor was allowed to do what succeeded.
func checkEntitled(t *testing.T, in Instance, actor Actor, req Request) {
	t.Helper()
	task, ok := in.Task(req.Task)
	if !ok {
		t.Fatalf("%s succeeded on a missing task %d", req.Op, req.Task)
	}
	switch req.Op {
	case Withdraw:
		if task.ActedBy != actor.ID {
			t.Fatalf("%s withdrew task %d acted by %s", actor.ID, task.ID, task.ActedBy)
		}
	case Urge:
		if !in.mayUrge(actor) {
			t.Fatalf("%s urged without standing", actor.ID)
		}
	default:
		if task.Status != Open || task.Step != in.Current {
			t.Fatalf("%s on a task not open at the current step", req.Op)
		}
		self := actor.Matches(task.Assignee)
		deleg := false
		if in.Template.Steps[task.Step].Allows(Delegate) {
			for _, d := range actor.Delegations {
				deleg = deleg || d.Matches(task.Assignee)
			}
		}
		if !self && !deleg {
			t.Fatalf("%s did %s on task %d for %v without entitlement", actor.ID, req.Op, task.ID, task.Assignee)
		}
	}
}

func checkInvariants(t *testing.T, e Engine, in Instance, now time.Time) {
	t.Helper()
	branches := map[int]int{}
	open := 0
	for i, tk := range in.Tasks {
		if tk.ID != i+1 {
			t.Fatalf("task ids not dense: %d at %d", tk.ID, i)
		}
		switch tk.Status {
		case Open:
			open++
			if tk.Step != in.Current {
				t.Fatalf("open task %d at step %d, current %d", tk.ID, tk.Step, in.Current)
			}
			branches[tk.Branch]++
			if branches[tk.Branch] > 1 {
				t.Fatalf("branch %d has two open tasks", tk.Branch)
			}
		case Finished, Forwarded, Returned:
			if !tk.Acknowledged() {
				t.Fatalf("task %d was acted on but its handover never acknowledged", tk.ID)
			}
		}
		if tk.Status == Open && !tk.Acknowledged() && now.After(tk.AckDue) {
			found := false
			for _, f := range e.Flags(in, now) {
				found = found || (f.Task == tk.ID && f.Kind == Unacknowledged)
			}
			if !found {
				t.Fatalf("handover %d unacknowledged past %s and not flagged", tk.ID, tk.AckDue)
			}
		}
	}
	if in.Status == Active && open == 0 {
		t.Fatal("an active route with nobody holding it")
	}
	if in.Status == Done && open != 0 {
		t.Fatal("a finished route with open tasks")
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var back Instance
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if b2, _ := json.Marshal(back); string(b2) != string(b) {
		t.Fatal("state does not survive JSON")
	}
}
