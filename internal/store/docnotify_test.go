package store_test

import (
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// messagesAbout returns p's inbox messages of a kind linking to the document.
func messagesAbout(t *testing.T, s *store.Store, p org.Person, docID, kind string) []store.InboxItem {
	t.Helper()
	inbox, err := s.Inbox(ctx, p.ID, false, 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.InboxItem
	for _, m := range inbox {
		if m.Link == "/docs/"+docID && m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

func wantMessage(t *testing.T, s *store.Store, p org.Person, docID, kind string, words ...string) store.InboxItem {
	t.Helper()
	ms := messagesAbout(t, s, p, docID, kind)
	if len(ms) == 0 {
		all, _ := s.Inbox(ctx, p.ID, false, 500)
		t.Fatalf("%s has no %s message about the document; inbox: %+v", p.Name, kind, all)
	}
	m := ms[0]
	for _, w := range words {
		if !strings.Contains(m.Subject+"\n"+m.Body, w) {
			t.Errorf("%s's %s message lacks %q: %s / %s", p.Name, kind, w, m.Subject, m.Body)
		}
	}
	return m
}

// TestRouteMessages walks a 发文 through a new task, a countersign, a
// disagreement, a return, a 催办 and its close, and a copy to a town, and
// checks that each person waited on got a message in their inbox — worded with
// names, never IDs — written with the operation itself.
func TestRouteMessages(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		var town org.Unit
		for _, u := range x.Units {
			if u.Kind == org.KindTown {
				town = u
				break
			}
		}
		rec := newDraft(t, s, x, clerk, secretariat, []string{town.ID})
		title := "《" + rec.Doc.Title + "》"
		noIDs := func(m store.InboxItem) {
			t.Helper()
			for _, id := range []string{clerk.ID, rec.ID, secretariat.ID, office.ID} {
				if strings.Contains(m.Subject+m.Body, id) {
					t.Errorf("message shows an ID: %s / %s", m.Subject, m.Body)
				}
			}
		}

		// A new task: the section head is told, by the clerk's name.
		act(t, s, clerk, rec.ID, approve("请审核"))
		head := x.head(t, secretariat.ID)
		m := wantMessage(t, s, head, rec.ID, "document.task", clerk.Name, title, "请审核")
		noIDs(m)
		if len(messagesAbout(t, s, clerk, rec.ID, "document.task")) != 0 {
			t.Error("the clerk was told of their own act")
		}

		// 催办: the clerk urges the section head's open task.
		a, _ := s.Actor(ctx, head.ID, s.Now())
		items, _ := s.OpenTasksFor(ctx, a, 100)
		var task int
		for _, w := range items {
			if w.Doc.ID == rec.ID {
				task = w.TaskID
			}
		}
		if _, err := s.Act(ctx, clerk, rec.ID, route.Request{Op: route.Urge, Task: task, Comment: "请今天内审核"}); err != nil {
			t.Fatal(err)
		}
		noIDs(wantMessage(t, s, head, rec.ID, "document.urge", "催办", clerk.Name, "请今天内审核", title))

		// 核稿 to two sections' 会签; one disagrees: the drafter is told.
		act(t, s, head, rec.ID, approve("同意"))
		cs1, cs2 := childOf(x, office.ID, "综合科"), childOf(x, office.ID, "督查室")
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Comment: "请会签", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Leader, Unit: cs1.ID}}, {Assignee: route.Assignee{Kind: route.Leader, Unit: cs2.ID}}}})
		wantMessage(t, s, x.head(t, cs1.ID), rec.ID, "document.task", "会签", title)
		wantMessage(t, s, x.head(t, cs2.ID), rec.ID, "document.task", "会签", title)
		act(t, s, x.head(t, cs1.ID), rec.ID, approve("同意"))
		act(t, s, x.head(t, cs2.ID), rec.ID, route.Request{Op: route.Disagree, Comment: "建议补充督查要求"})
		wantMessage(t, s, clerk, rec.ID, "document.disagree", x.head(t, cs2.ID).Name, "建议补充督查要求")

		// 退回: the director returns it to 核稿; the clerk who did 核稿 is told why.
		director := x.head(t, office.ID)
		wantMessage(t, s, director, rec.ID, "document.task", "签发", title)
		act(t, s, director, rec.ID, route.Request{Op: route.Return, ToStep: "review", Comment: "请吸收督查室意见"})
		wantMessage(t, s, clerk, rec.ID, "document.return", "退回", director.Name, "请吸收督查室意见")

		// On to the end: the copy's receiving office is told of its 签收, by the sender's name.
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Comment: "已修改", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Person, Person: director.ID}}}})
		act(t, s, director, rec.ID, approve("同意"))
		act(t, s, director, rec.ID, approve("同意印发"))
		act(t, s, clerk, rec.ID, approve(""))
		act(t, s, clerk, rec.ID, approve("复核无误"))
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-12-01", "copies": "30"}})
		act(t, s, clerk, rec.ID, approve("分发"))
		townOffice := childOf(x, town.ID, "党政办")
		townClerk := x.withRole(t, org.RoleClerk, townOffice.ID)
		copies, _ := s.IncomingFrom(ctx, rec.ID)
		if len(copies) != 1 {
			t.Fatalf("copies: %d", len(copies))
		}
		noIDs(wantMessage(t, s, townClerk, copies[0].ID, "document.task", "签收", title, office.Name))

		// 办结: the last step done by someone else, the drafter is told.
		archivist := x.withRole(t, org.RoleConfidentialClerk, office.ID)
		act(t, s, archivist, rec.ID, approve("归档"))
		wantMessage(t, s, clerk, rec.ID, "document.close", "办结", title, archivist.Name)
	})
}

// TestRouteMessageHidesTitle: a person who may not read a classified
// document is told of their task without its title.
func TestRouteMessageHidesTitle(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		head := x.head(t, secretariat.ID)
		if err := s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.SetClearance(ctx, clerk.ID, org.Secret); err != nil {
				return err
			}
			return tx.SetClearance(ctx, head.ID, org.Unclassified)
		}); err != nil {
			t.Fatal(err)
		}
		clerk.Clearance = org.Secret
		rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, Doc: document.Document{
			Type: document.Notice, Title: "关于某项涉密工作的通知", Body: document.ParseBody("各单位：\n一、要求"),
			Classification: document.Classification{Level: document.Confidential, PeriodYears: 1},
		}})
		if err != nil {
			t.Fatal(err)
		}
		act(t, s, clerk, rec.ID, approve(""))
		m := wantMessage(t, s, head, rec.ID, "document.task", "一份秘密公文")
		if strings.Contains(m.Subject+m.Body, "涉密工作") {
			t.Fatalf("a message shows a title its reader may not read: %s / %s", m.Subject, m.Body)
		}
	})
}
