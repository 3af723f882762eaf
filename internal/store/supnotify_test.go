package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// supMessage finds p's message of a kind about item id.
func supMessage(t *testing.T, s *store.Store, p org.Person, id, kind string, words ...string) {
	t.Helper()
	inbox, err := s.Inbox(ctx, p.ID, false, 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range inbox {
		if m.Kind == kind && m.Link == "/supervise/items/"+id {
			for _, w := range words {
				if !strings.Contains(m.Subject+"\n"+m.Body, w) {
					t.Errorf("%s's %s message lacks %q: %s / %s", p.Name, kind, w, m.Subject, m.Body)
				}
			}
			return
		}
	}
	t.Fatalf("%s has no %s message about %s; inbox: %+v", p.Name, kind, id, inbox)
}

// TestSupMessages: 交办, 签收, 催办, an extension asked, refused and granted,
// an application to close returned and then closed — each reaches whoever
// waits for it, in the operation's transaction, by name.
func TestSupMessages(t *testing.T) {
	clk := &supClock{t: cst(2026, 3, 2, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		clk.set(cst(2026, 3, 2, 9))
		c := newSupCase(t, s)
		leadName := c.x.unitByID(c.lead).Name
		if _, err := s.CreateSupItem(ctx, c.sup, c.newItem("sup-m", 10), true); err != nil {
			t.Fatal(err)
		}
		for _, p := range []org.Person{c.leadPerson, c.coPerson} {
			supMessage(t, s, p, "sup-m", "supervise.assigned", "背街小巷路灯修复", c.sup.Name, leadName+"（牵头）", "请于十个工作日内完成修复")
		}
		clk.add(time.Hour)
		if _, err := s.SupAct(ctx, c.leadPerson, "sup-m", "sign_for", nil, signFor(c.lead)); err != nil {
			t.Fatal(err)
		}
		supMessage(t, s, c.sup, "sup-m", "supervise.signed_for", leadName, c.leadPerson.Name)
		// The 督查员 urges the co-unit, which has not signed for it.
		if _, err := s.SupAct(ctx, c.sup, "sup-m", "urge", nil, func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.Urge(it, a, c.co, "请尽快签收并落实", now)
		}); err != nil {
			t.Fatal(err)
		}
		supMessage(t, s, c.coPerson, "sup-m", "supervise.urged", "催办", "请尽快签收并落实", c.sup.Name)
		// An extension asked, refused, asked again and granted.
		ask := func() {
			t.Helper()
			if _, err := s.SupAct(ctx, c.leadPerson, "sup-m", "extension", nil, func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
				return r.RequestExtension(it, a, supervise.ExtensionInput{UnitID: c.lead, Asked: it.Deadline.Due.AddDate(0, 0, 14), Reason: "灯具缺货"}, now)
			}); err != nil {
				t.Fatal(err)
			}
		}
		decide := func(grant bool) {
			t.Helper()
			if _, err := s.SupAct(ctx, c.sup, "sup-m", "extension_decide", nil, func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
				return r.DecideExtension(it, a, it.Extensions[len(it.Extensions)-1].Seq, grant, time.Time{}, "理由不充分", now)
			}); err != nil {
				t.Fatal(err)
			}
		}
		ask()
		supMessage(t, s, c.sup, "sup-m", "supervise.extension_requested", "灯具缺货", c.leadPerson.Name)
		decide(false)
		supMessage(t, s, c.leadPerson, "sup-m", "supervise.extension_refused", "理由不充分")
		ask()
		decide(true)
		supMessage(t, s, c.leadPerson, "sup-m", "supervise.extension_granted", "延期至")
		// Applied to close, returned, applied again and closed.
		closeReq := func() {
			t.Helper()
			if _, err := s.SupAct(ctx, c.leadPerson, "sup-m", "request_close", nil, func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
				return r.RequestClose(it, a, supervise.Evidence{Text: "已全部修复"}, now)
			}); err != nil {
				t.Fatal(err)
			}
		}
		review := func(ok bool, reason string) {
			t.Helper()
			if _, err := s.SupAct(ctx, c.sup, "sup-m", "review", nil, func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
				return r.Review(it, a, ok, reason, now)
			}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SupAct(ctx, c.coPerson, "sup-m", "sign_for", nil, signFor(c.co)); err != nil {
			t.Fatal(err)
		}
		closeReq()
		supMessage(t, s, c.sup, "sup-m", "supervise.close_requested", leadName)
		review(false, "缺少照片佐证")
		supMessage(t, s, c.leadPerson, "sup-m", "supervise.returned", "缺少照片佐证")
		if _, err := s.SupAct(ctx, c.leadPerson, "sup-m", "sign_for", nil, signFor(c.lead)); err != nil {
			t.Fatal(err)
		}
		closeReq()
		review(true, "")
		for _, p := range []org.Person{c.leadPerson, c.coPerson} {
			supMessage(t, s, p, "sup-m", "supervise.closed", "已办结")
		}
		// Nobody is told of their own act; no message shows an ID.
		for _, p := range []org.Person{c.sup, c.leadPerson, c.coPerson} {
			inbox, _ := s.Inbox(ctx, p.ID, false, 500)
			for _, m := range inbox {
				for _, id := range []string{c.lead, c.co, c.sup.ID, c.leadPerson.ID, c.coPerson.ID} {
					if strings.Contains(m.Subject+m.Body, id) {
						t.Errorf("message shows an ID: %s / %s", m.Subject, m.Body)
					}
				}
			}
		}
		inbox, _ := s.Inbox(ctx, c.sup.ID, false, 500)
		for _, m := range inbox {
			if m.Kind == "supervise.urged" || m.Kind == "supervise.closed" {
				t.Errorf("the 督查员 was told of their own act: %+v", m)
			}
		}
	})
}

func (x district) unitByID(id string) org.Unit {
	for _, u := range x.Units {
		if u.ID == id {
			return u
		}
	}
	return org.Unit{}
}
