package store_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestRandomOperationsThroughTheStore drives random operations — by people
// entitled and not — on several 发文 at once, through the store on both
// databases, with the clock moving, and checks after every step:
//   - someone outside the office never gets an operation through;
//   - a refused operation changes nothing (route, step, version);
//   - each document has at most one current step (its open tasks are of one
//     step), and every open task is acknowledged, has a limit for its
//     acknowledgement, or is flagged;
//   - 发文字号 are unique and gap-free: the number events form a valid
//     sequence (document.CheckSequence), every number a document holds was
//     taken by it and not voided, and no two documents hold one.
func TestRandomOperationsThroughTheStore(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, calendar.Shanghai())
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	storetest.ForEach(t, store.Options{Now: clock}, func(t *testing.T, s *store.Store) {
		mu.Lock()
		now = time.Date(2026, 12, 1, 9, 0, 0, 0, calendar.Shanghai())
		mu.Unlock()
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		director := x.head(t, office.ID)
		insiders := []org.Person{clerk, director}
		outsiders := []org.Person{x.byLogin["chengban"], x.byLogin["jiyao"]}
		rng := rand.New(rand.NewPCG(7, 2026))
		var ids []string
		for range 5 {
			ids = append(ids, newDraft(t, s, x, clerk, office, nil).ID)
		}
		ops := []route.Op{route.Approve, route.Approve, route.Approve, route.Approve, route.Approve, route.Approve, route.Return, route.Return, route.Withdraw, route.Urge, route.Acknowledge}
		returnTo := []string{"draft", "review", "number", "number", "sign_off"}
		eng := route.Engine{Calendar: s.Calendar()}
		steps := 400
		if testing.Short() {
			// Under emulation (scripts/test-qemu.sh): with this seed the walk
			// first numbers a document at step 68 and first takes a number
			// back at step 120; 80 steps left voiding untested.
			steps = 150
		}
		for i := range steps {
			mu.Lock()
			now = now.Add(time.Duration(5+rng.IntN(240)) * time.Minute)
			mu.Unlock()
			id := ids[rng.IntN(len(ids))]
			before, err := s.Instance(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			open := before.OpenTasks()
			if len(open) == 0 {
				continue
			}
			task := open[rng.IntN(len(open))]
			req := route.Request{Op: ops[rng.IntN(len(ops))], Task: task.ID, Comment: fmt.Sprintf("第%d步", i)}
			switch req.Op {
			case route.Return:
				req.ToStep = returnTo[rng.IntN(len(returnTo))]
			case route.Approve:
				// The office's choices where a step asks for them: 会签 by the
				// director, the print fields at 印发.
				steps := before.Template.Steps
				if k := task.Step + 1; k < len(steps) && steps[k].Chosen {
					req.Next = []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: director.ID}}}
				}
				if steps[task.Step].Key == "print_issue" {
					req.Fields = map[string]string{"print_date": "2026-12-01", "copies": "20"}
				}
			}
			// An outsider tries now and then; otherwise the office's people
			// try in turn until one is entitled.
			outsider := rng.IntN(4) == 0
			people := []org.Person{outsiders[rng.IntN(len(outsiders))]}
			if !outsider {
				people = insiders
				if rng.IntN(2) == 0 {
					people = []org.Person{insiders[1], insiders[0]}
				}
			}
			var after route.Instance
			for _, who := range people {
				recBefore, err := s.Document(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				_, actErr := s.Act(ctx, who, id, req)
				if after, err = s.Instance(ctx, id); err != nil {
					t.Fatal(err)
				}
				recAfter, err := s.Document(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if actErr == nil && outsider && req.Op != route.Urge {
					t.Fatalf("step %d: %s, outside the office, did %s on task %d", i, who.Name, req.Op, task.ID)
				}
				if actErr != nil && (len(after.Tasks) != len(before.Tasks) || recAfter.Step != recBefore.Step || recAfter.Version != recBefore.Version || recAfter.DocNumber != recBefore.DocNumber) {
					t.Fatalf("step %d: refused %s (%v) changed the document", i, req.Op, actErr)
				}
				if actErr == nil {
					break
				}

			}
			// One current step; every handover acknowledged, within its
			// limit, or flagged.
			flagged := map[int]bool{}
			for _, f := range eng.Flags(after, s.Now()) {
				flagged[f.Task] = true
			}
			stepsOpen := map[int]bool{}
			for _, ot := range after.OpenTasks() {
				stepsOpen[ot.Step] = true
				if !ot.Acknowledged() && ot.AckDue.IsZero() && !flagged[ot.ID] {
					t.Fatalf("step %d: task %d waits with no acknowledgement limit and no flag", i, ot.ID)
				}
			}
			if len(stepsOpen) > 1 {
				t.Fatalf("step %d: open tasks at %d steps at once", i, len(stepsOpen))
			}
			checkNumbers(t, s, office.OrganCode+"发", 2026, ids)
		}
		// The walk got somewhere: some document was numbered along the way.
		evs, err := s.NumberEvents(ctx, office.OrganCode+"发", 2026)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			t.Error("no document reached 编号 in this walk: the walk is too weak to test numbering")
		}
		voided := 0
		for _, e := range evs {
			if e.Kind == string(document.Voided) {
				voided++
			}
		}
		t.Logf("%d number events, %d of them voided", len(evs), voided)
		if voided == 0 {
			t.Error("no number was taken back in this walk: voiding went untested")
		}
	})
}

// checkNumbers checks a scope's 发文字号 through the store: the number events
// form a valid sequence (document.CheckSequence), and every number a document
// holds was taken by it and not voided, so no two documents hold one.
func checkNumbers(t *testing.T, s *store.Store, scope string, year int, ids []string) {
	t.Helper()
	evs, err := s.NumberEvents(ctx, scope, year)
	if err != nil {
		t.Fatal(err)
	}
	var nes []document.NumberEvent
	live := map[int]string{} // seq → document holding it per the events
	for _, e := range evs {
		nes = append(nes, document.NumberEvent{Kind: document.NumberEventKind(e.Kind), Number: document.DocNumber{OrganCode: e.Scope, Year: e.Year, Seq: e.Seq}, Document: e.DocID, By: e.By, At: e.At})
		if e.Kind == string(document.Voided) {
			delete(live, e.Seq)
		} else {
			live[e.Seq] = e.DocID
		}
	}
	if problems := document.CheckSequence(nes); len(problems) > 0 {
		t.Fatalf("number sequence: %v", problems)
	}
	recs, err := s.Documents(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	held := map[int]string{}
	for _, r := range recs {
		if r.Doc.Number == nil {
			continue
		}
		n := r.Doc.Number.Seq
		if other, ok := held[n]; ok {
			t.Fatalf("number %d held by %s and %s", n, other, r.ID)
		}
		held[n] = r.ID
		if live[n] != r.ID {
			t.Fatalf("%s holds number %d, which the events give to %q", r.ID, n, live[n])
		}
	}
}
