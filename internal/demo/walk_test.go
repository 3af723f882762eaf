package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestPrintedLoginsWalkBothRoutes: the logins printed at start are enough
// to take a 通知 through the whole 发文 route and a received document through
// the whole 收文 route — every step is held by one of them (choosing them
// where a step's holders are chosen), none by an account nobody was shown.
func TestPrintedLoginsWalkBothRoutes(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC) // 10:00 on a Monday in Beijing
	s := storetest.SQLite(t, store.Options{Now: func() time.Time { return now }})
	d := NewDistrict(now)
	if err := Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	login := map[string]org.Person{}
	for _, l := range d.Logins {
		for _, p := range d.People {
			if p.ID == l.PersonID {
				login[l.Login] = p
			}
		}
	}
	person := func(l string) route.Assignee { return route.Assignee{Kind: route.Person, Person: login[l].ID} }
	// Who a walker would pick at each chosen step.
	choose := map[string][]route.NextTask{
		"countersign": {{Assignee: person("ducha")}},
		"sign_off":    {{Assignee: person("zhuren")}},
		"instruct":    {{Assignee: person("lingdao")}},
		"handle":      {{Assignee: person("chengban"), Lead: true}},
		"circulate":   {{Assignee: person("lingdao")}},
	}
	walk := func(t *testing.T, docID string) {
		t.Helper()
		for range 40 {
			in, err := s.Instance(ctx, docID)
			if err != nil {
				t.Fatal(err)
			}
			if in.Status != route.Active {
				return
			}
			task := in.OpenTasks()[0]
			step := in.Template.Steps[task.Step]
			var by org.Person
			for _, l := range d.Logins {
				a, err := s.Actor(ctx, l.PersonID, now)
				if err != nil {
					t.Fatal(err)
				}
				if a.Matches(task.Assignee) {
					by = login[l.Login]
					break
				}
			}
			if by.ID == "" {
				t.Fatalf("%s is held by no printed login (%+v)", step.Name, task.Assignee)
			}
			req := route.Request{Op: route.Approve, Task: task.ID, Comment: "同意。"}
			if task.Step+1 < len(in.Template.Steps) {
				if next := in.Template.Steps[task.Step+1]; next.Chosen {
					req.Next = choose[next.Key]
				}
			}
			switch step.Key {
			case "print_issue":
				req.Fields = map[string]string{"print_date": "2026-11-30", "copies": "10"}
			}
			if _, err := s.Act(ctx, by, docID, req); err != nil {
				t.Fatalf("%s by %s: %v", step.Name, by.Name, err)
			}
		}
		t.Fatal("the route did not end")
	}
	gov := ""
	var secretariat string
	for _, u := range d.Units {
		if u.ShortName == "政府办" {
			gov = u.ID
		}
	}
	for _, u := range d.Units {
		if u.ParentID == gov && u.Name == "清澜区人民政府办公室秘书科" {
			secretariat = u.ID
		}
	}
	var town string
	for _, u := range d.Units {
		if u.Kind == org.KindTown {
			town = u.ID
			break
		}
	}
	t.Run("发文", func(t *testing.T) {
		rec, err := s.CreateOutgoing(ctx, login["wenmi"], store.NewOutgoing{UnitID: secretariat, To: []string{town}, Doc: document.Document{
			Type: document.Notice, Title: "清澜区人民政府办公室关于做好冬季安全生产工作的通知", Body: document.ParseBody("各镇人民政府：\n一、高度重视\n二、抓好落实")}})
		if err != nil {
			t.Fatal(err)
		}
		walk(t, rec.ID)
	})
	t.Run("收文", func(t *testing.T) {
		rec, err := s.RegisterPaper(ctx, login["wenmi"], gov, document.Document{Type: document.Notice, Title: "云泽市人民政府关于做好冬季安全生产工作的通知"}, "云泽市人民政府")
		if err != nil {
			t.Fatal(err)
		}
		walk(t, rec.ID)
	})
}
