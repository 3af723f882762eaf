package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// district gives tests names for the demo district's people and units.
type district struct {
	demo.District
	byLogin map[string]org.Person
	unit    map[string]org.Unit // by short name (first wins) and by full name
}

func seeded(t testing.TB, s *store.Store) district {
	t.Helper()
	d := demo.NewDistrict(s.Now())
	if err := demo.Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	x := district{District: d, byLogin: map[string]org.Person{}, unit: map[string]org.Unit{}}
	for _, p := range d.People {
		x.byLogin[p.Login] = p
	}
	for _, u := range d.Units {
		if _, ok := x.unit[u.ShortName]; !ok {
			x.unit[u.ShortName] = u
		}
		x.unit[u.Name] = u
	}
	return x
}

// head returns the head of a unit.
func (x district) head(t testing.TB, unitID string) org.Person {
	t.Helper()
	for _, p := range x.Positions {
		if p.UnitID == unitID && org.HeadTitle(p.Title) {
			for _, q := range x.People {
				if q.ID == p.PersonID {
					return q
				}
			}
		}
	}
	t.Fatalf("no head of %s", unitID)
	return org.Person{}
}

// withRole returns a person holding role r in unit u.
func (x district) withRole(t *testing.T, r org.Role, unitID string) org.Person {
	t.Helper()
	for _, a := range x.Roles {
		if a.Role == r && a.UnitID == unitID {
			for _, q := range x.People {
				if q.ID == a.PersonID {
					return q
				}
			}
		}
	}
	t.Fatalf("nobody is %s in %s", r, unitID)
	return org.Person{}
}

func childOf(x district, parentID, name string) org.Unit {
	for _, u := range x.Units {
		if u.ParentID == parentID && strings.Contains(u.Name, name) {
			return u
		}
	}
	return org.Unit{}
}

// act finds p's open task on the document and applies op to it.
func act(t *testing.T, s *store.Store, p org.Person, docID string, req route.Request) store.DocRecord {
	t.Helper()
	a, err := s.Actor(ctx, p.ID, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.OpenTasksFor(ctx, a, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range items {
		if w.Doc.ID == docID {
			req.Task = w.TaskID
			rec, err := s.Act(ctx, p, docID, req)
			if err != nil {
				t.Fatalf("%s %s at %s: %v", p.Name, req.Op, w.Step, err)
			}
			return rec
		}
	}
	t.Fatalf("%s has no open task on %s", p.Name, docID)
	return store.DocRecord{}
}

func approve(comment string) route.Request { return route.Request{Op: route.Approve, Comment: comment} }

func newDraft(t *testing.T, s *store.Store, x district, clerk org.Person, unit org.Unit, to []string) store.DocRecord {
	t.Helper()
	rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: unit.ID, To: to, Doc: document.Document{
		Type: document.Notice, Title: "清澜区人民政府办公室关于做好2027年元旦春节期间安全生产工作的通知",
		Body: document.ParseBody("各镇人民政府、街道办事处：\n一、高度重视\n（一）压实责任。\n二、抓好落实"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestOutgoingToIncoming(t *testing.T) {
	storetest.ForEach(t, withMaster(t), func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		var towns []string
		for _, u := range x.Units {
			if u.Kind == org.KindTown && len(towns) < 3 {
				towns = append(towns, u.ID)
			}
		}
		rec := newDraft(t, s, x, clerk, secretariat, towns)
		if rec.Step != "起草" || len(rec.Doc.To) != 3 {
			t.Fatalf("draft: %+v", rec)
		}
		// Edit the draft: a new version.
		d2 := rec.Doc
		d2.Body = document.ParseBody(d2.Body.String() + "\n三、加强值守")
		if n, err := s.SaveDraft(ctx, clerk, rec.ID, d2, "补充值守要求"); err != nil || n != 2 {
			t.Fatalf("save draft: %d %v", n, err)
		}
		act(t, s, clerk, rec.ID, approve("请审核"))
		act(t, s, x.head(t, secretariat.ID), rec.ID, approve("同意"))
		// 核稿 by the office's reviewer, who sends it to two sections to countersign.
		cs1, cs2 := childOf(x, office.ID, "综合科"), childOf(x, office.ID, "督查室")
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误，请会签", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Leader, Unit: cs1.ID}}, {Assignee: route.Assignee{Kind: route.Leader, Unit: cs2.ID}}}})
		act(t, s, x.head(t, cs1.ID), rec.ID, approve("同意"))
		got := act(t, s, x.head(t, cs2.ID), rec.ID, route.Request{Op: route.Disagree, Comment: "建议补充督查要求"})
		if got.Step != "领导签发" {
			t.Fatalf("after countersign: %s", got.Step)
		}
		// The leader returns it once for rework; the number is not yet taken.
		director := x.head(t, office.ID)
		act(t, s, director, rec.ID, route.Request{Op: route.Return, ToStep: "review", Comment: "请吸收督查室意见"})
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Comment: "已修改", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Leader, Unit: cs2.ID}}}})
		act(t, s, x.head(t, cs2.ID), rec.ID, approve("同意"))
		got = act(t, s, director, rec.ID, approve("同意印发"))
		if got.Doc.Date.IsZero() {
			t.Error("成文日期 not set at sign-off")
		}
		got = act(t, s, clerk, rec.ID, approve(""))
		year := s.Now().In(time.FixedZone("CST", 8*3600)).Year()
		if want := fmt.Sprintf("%s发〔%d〕1号", office.OrganCode, year); got.DocNumber != want {
			t.Fatalf("doc number %q, want %q", got.DocNumber, want)
		}
		// 复核 returns it to 编号: the number is voided, and the next one is 2.
		act(t, s, clerk, rec.ID, route.Request{Op: route.Return, ToStep: "number", Comment: "字号需重编"})
		got = act(t, s, clerk, rec.ID, approve(""))
		if !strings.HasSuffix(got.DocNumber, "2号") {
			t.Fatalf("renumbered: %q", got.DocNumber)
		}
		evs, _ := s.NumberEvents(ctx, office.OrganCode+"发", year)
		if len(evs) != 3 || evs[1].Kind != string(document.Voided) {
			t.Fatalf("number events: %+v", evs)
		}
		act(t, s, clerk, rec.ID, approve("复核无误"))
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-12-01", "copies": "30"}})
		act(t, s, clerk, rec.ID, approve("分发"))
		got = act(t, s, clerk, rec.ID, approve("归档"))
		if got.Status != route.Done {
			t.Fatalf("outgoing not done: %s", got.Status)
		}

		// Each town got its incoming item at once.
		town := x.Units[0]
		for _, u := range x.Units {
			if u.ID == towns[0] {
				town = u
			}
		}
		townOffice := childOf(x, town.ID, "党政办")
		townClerk := x.withRole(t, org.RoleClerk, townOffice.ID)
		a, _ := s.Actor(ctx, townClerk.ID, s.Now())
		items, err := s.OpenTasksFor(ctx, a, 100)
		if err != nil || len(items) != 1 || items[0].Doc.SourceID != rec.ID || items[0].Step != "签收" {
			t.Fatalf("town clerk's work: %+v %v", items, err)
		}
		in := items[0].Doc
		act(t, s, townClerk, in.ID, approve("签收"))
		got = act(t, s, townClerk, in.ID, approve("登记"))
		if !strings.Contains(got.InNumber, "收〔") {
			t.Errorf("incoming number %q", got.InNumber)
		}
		townDirector := x.withRole(t, org.RoleOfficeDirector, townOffice.ID)
		townLeader := x.head(t, town.ID)
		act(t, s, townDirector, in.ID, route.Request{Op: route.Approve, Comment: "拟请镇长阅示", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Person, Person: townLeader.ID}}}})
		act(t, s, townLeader, in.ID, route.Request{Op: route.Approve, Comment: "请党政办牵头抓好落实，12月10日前报结果。", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Person, Person: townDirector.ID}, Lead: true},
			{Assignee: route.Assignee{Kind: route.Person, Person: townClerk.ID}}}})
		act(t, s, townClerk, in.ID, approve("已办"))
		act(t, s, townDirector, in.ID, route.Request{Op: route.Approve, Comment: "已部署", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Person, Person: townLeader.ID}}}})
		act(t, s, townLeader, in.ID, approve("已阅"))
		act(t, s, townClerk, in.ID, approve("办结"))
		got = act(t, s, townClerk, in.ID, approve("归档"))
		if got.Status != route.Done {
			t.Fatalf("incoming not done: %s", got.Step)
		}
		instr, err := s.Instance(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if i, ok := document.InstructionOf(instr); !ok || i.Text != "请党政办牵头抓好落实，12月10日前报结果。" {
			t.Errorf("instruction: %+v", i)
		}
		// 签发 (and the leader's return), 拟办 and 批示 are signed (opinion.go).
		checkSignedOpinions(t, s, rec.ID, "sign_off", "sign_off")
		checkSignedOpinions(t, s, in.ID, "propose", "instruct")
		closed, err := s.ParticipatedDocs(ctx, townClerk.ID, true, 10)
		if err != nil || len(closed) != 1 {
			t.Errorf("closed list: %d %v", len(closed), err)
		}
		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Error(err)
		}
	})
}

// TestConcurrentNumbering numbers 60 documents from 60 goroutines at once and
// checks the numbers are 1…60 without gaps or duplicates.
func TestConcurrentNumbering(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		const n = 60
		// Prepare n documents standing at 编号 by giving the clerk a direct route.
		ids := make([]string, n)
		for i := range ids {
			rec := newDraft(t, s, x, clerk, office, nil)
			ids[i] = rec.ID
		}
		// Walk each to 编号 serially (the part under test is the numbering).
		director := x.head(t, office.ID)
		for _, id := range ids {
			act(t, s, clerk, id, approve(""))
			act(t, s, director, id, approve("同意"))
			act(t, s, clerk, id, route.Request{Op: route.Approve, Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: director.ID}}}})
			act(t, s, director, id, approve("同意"))
			act(t, s, director, id, approve("签发"))
		}
		a, _ := s.Actor(ctx, clerk.ID, s.Now())
		items, _ := s.OpenTasksFor(ctx, a, 1000)
		task := map[string]int{}
		for _, w := range items {
			if w.Step == "编号" {
				task[w.Doc.ID] = w.TaskID
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for _, id := range ids {
			wg.Add(1)
			go func(id string) {
				defer wg.Done()
				for attempt := 0; ; attempt++ {
					_, err := s.Act(context.Background(), clerk, id, route.Request{Op: route.Approve, Task: task[id]})
					if err != nil && attempt < 20 && (errors.Is(err, store.ErrStale) || strings.Contains(err.Error(), "could not serialize") || strings.Contains(err.Error(), "deadlock")) {
						continue
					}
					errs <- err
					return
				}
			}(id)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		recs, err := s.Documents(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for _, r := range recs {
			if r.Doc.Number == nil {
				t.Fatalf("%s not numbered", r.ID)
			}
			seen[r.Doc.Number.Seq] = true
		}
		for i := 1; i <= n; i++ {
			if !seen[i] {
				t.Fatalf("gap: %d missing", i)
			}
		}
		// No duplicates, each held as the events say, a valid sequence.
		checkNumbers(t, s, office.OrganCode+"发", recs[0].Doc.Number.Year, ids)
	})
}

// TestActorSeesOrgChangesInBatch checks that the principals a group-commit
// batch keeps are dropped when a write in it changes the organisation: the
// actor read after a role change (same transaction, so same batch) has it.
func TestActorSeesOrgChangesInBatch(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		grants := func(a route.Actor) bool {
			return slices.Contains(a.Roles, route.RoleGrant{Role: route.RoleSupervisor, Unit: office.ID})
		}
		err := s.Write(ctx, func(tx *store.Tx) error {
			before, err := tx.Actor(ctx, clerk.ID, tx.Now())
			if err != nil {
				return err
			}
			if grants(before) {
				return errors.New("the clerk is already a supervisor")
			}
			roles, err := tx.Roles(ctx, clerk.ID)
			if err != nil {
				return err
			}
			roles = append(roles, org.RoleAssignment{Role: org.RoleSupervisor, UnitID: office.ID})
			if err := tx.SetRoles(ctx, clerk.ID, roles); err != nil {
				return err
			}
			after, err := tx.Actor(ctx, clerk.ID, tx.Now())
			if err != nil {
				return err
			}
			if !grants(after) {
				return errors.New("the actor read after the role change lacks it")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestOldRouteStateReadable rewrites a route's stored state in the form used
// before templates were kept apart (the template embedded in the instance)
// and checks that it is read, acted on, and written back by reference.
func TestOldRouteStateReadable(t *testing.T) {
	run := func(t *testing.T, s *store.Store, raw *sql.DB, ph func(int) string) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		rec := newDraft(t, s, x, clerk, secretariat, nil)
		in, err := s.Instance(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		old, err := json.Marshal(in) // route.Instance's own JSON carries its template
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, `UPDATE route_instances SET state = `+ph(1)+` WHERE id = `+ph(2), string(old), rec.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.Instance(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Template.Name != in.Template.Name || len(got.Template.Steps) != len(in.Template.Steps) || got.Seq != in.Seq {
			t.Fatalf("old state read as %+v", got.Template)
		}
		act(t, s, clerk, rec.ID, approve("请审核"))
		var state string
		if err := raw.QueryRowContext(ctx, `SELECT state FROM route_instances WHERE id = `+ph(1), rec.ID).Scan(&state); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(state, `"steps"`) || !strings.Contains(state, `"template_ref"`) {
			t.Errorf("state written back with its template: %.200s", state)
		}
		if got, err := s.Instance(ctx, rec.ID); err != nil || got.Template.Name != in.Template.Name || got.Current != 1 {
			t.Errorf("after acting: step %d, template %q, %v", got.Current, got.Template.Name, err)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		s := storetest.SQLite(t, store.Options{})
		raw, err := sql.Open("sqlite", s.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		run(t, s, raw, func(int) string { return "?" })
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		s, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		run(t, s, raw, func(n int) string { return fmt.Sprintf("$%d", n) })
	})
}

// TestActConcurrentSameTask has many requests act on one task at once: Act
// prepares each outside the write, so all but one find the route moved on
// inside it and run again wholly in the transaction, where the engine
// refuses them. Exactly one approval may be recorded.
func TestActConcurrentSameTask(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		rec := newDraft(t, s, x, clerk, secretariat, nil)
		in, err := s.Instance(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		task := in.OpenTasks()[0].ID
		const n = 12
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.Act(ctx, clerk, rec.ID, route.Request{Op: route.Approve, Task: task, Comment: "请审核"})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			}
		}
		if ok != 1 {
			t.Fatalf("%d of %d approvals succeeded: %v", ok, n, errs)
		}
		in, err = s.Instance(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := s.RouteEvents(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		approvals := 0
		for _, e := range evs {
			if e.Type == route.EvApprove {
				approvals++
			}
		}
		if approvals != 1 || len(evs) != in.Seq || in.Current != 1 {
			t.Errorf("%d approvals, %d events for seq %d, at step %d", approvals, len(evs), in.Seq, in.Current)
		}
		if got, err := s.Document(ctx, rec.ID); err != nil || got.Step != in.CurrentStep().Name {
			t.Errorf("document at %q, route at %q (%v)", got.Step, in.CurrentStep().Name, err)
		}
	})
}
