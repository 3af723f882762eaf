package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// TestSupLeaderListsAndHistory: a leader's lists hold the items they
// instructed and those their 分管 units lead (they read "共 0 件" on every
// tab); the 督查员's own steps are labelled with the 督查室, with the unit
// they address after an arrow; a 节点 reported done is offered no more.
func TestSupLeaderListsAndHistory(t *testing.T) {
	e := newDocEnv(t)
	leader := e.byLogin("lingdao")
	supPerson := e.byLogin("ducha")
	var office string
	for _, r := range e.d.Roles {
		if r.PersonID == supPerson.ID && r.Role == org.RoleSupervisor {
			office = r.UnitID
		}
	}
	var overseen string
	for _, o := range e.d.Oversight {
		if o.LeaderID == leader.ID {
			overseen = o.UnitID
			break
		}
	}
	fin := e.unit("区财政局") // overseen by another leader
	for _, o := range e.d.Oversight {
		if o.LeaderID == leader.ID && o.UnitID == fin.ID {
			t.Fatal("the test needs a unit the leader does not oversee")
		}
	}
	sup := e.client()
	sup.login("ducha", demo.Password)
	sup.get("/supervise/new")
	create := func(v url.Values) string {
		t.Helper()
		code, body, h := sup.post("/supervise", v)
		m := supItemLink.FindStringSubmatch(h.Get("Location"))
		if code != http.StatusSeeOther || m == nil {
			t.Fatalf("create: %d %s", code, body)
		}
		return "/supervise/items/" + m[1]
	}
	instructed := create(url.Values{"source": {"leader"}, "title": {"财政资金直达基层核查"}, "instruction": {"请财政局牵头核查。"},
		"instructor": {leader.ID}, "lead_unit": {fin.ID}, "workdays": {"20"}, "schedule": {"每周五"}, "assign": {"1"},
		"milestone_title": {"完成摸底"}, "milestone_date": {"2026-12-10"}})
	create(url.Values{"source": {"meeting"}, "title": {"分管单位牵头的会议议定事项"}, "instruction": {"请抓紧落实。"},
		"lead_unit": {overseen}, "workdays": {"20"}, "schedule": {"每周五"}, "assign": {"1"}})

	lc := e.client()
	lc.login("lingdao", demo.Password)
	for _, tab := range []string{"", "?tab=mine", "?tab=all"} {
		_, body, _ := lc.get("/supervise" + tab)
		if strings.Contains(body, "共 0 件") || !strings.Contains(body, "财政资金直达基层核查") || !strings.Contains(body, "分管单位牵头的会议议定事项") {
			t.Errorf("the leader's list %q lacks the items they instructed or oversee", tab)
		}
	}
	if code, _, _ := lc.get(instructed); code != http.StatusOK {
		t.Errorf("the instructing leader opens the item: %d", code)
	}

	// The 督查员 urges the 财政局: labelled with the 督查室, addressed to the 财政局.
	if code, _, _ := sup.post(instructed+"/urge", url.Values{"unit": {fin.ID}, "text": {"请本周内报送进展。"}}); code != http.StatusSeeOther {
		t.Fatalf("urge: %d", code)
	}
	_, body, _ := sup.get(instructed)
	officeShort := ""
	for _, u := range e.d.Units {
		if u.ID == office {
			officeShort = u.ShortName
		}
	}
	if want := "催办</b> " + supPerson.Name + "（" + officeShort + "） → " + fin.ShortName; !strings.Contains(body, want) {
		t.Errorf("the 催办 is not labelled %q", want)
	}
	if strings.Contains(body, supPerson.Name+"（"+fin.ShortName+"）") {
		t.Error("the 督查员's step is labelled with the unit urged")
	}

	// The 财政局 signs for it and reports the 节点 done; it is offered no more.
	head := e.head(fin.ID)
	hc := e.client()
	hc.login(head.Login, demo.Password)
	_, page, _ := hc.get(instructed)
	if !strings.Contains(page, `name="reached" value="m1"`) {
		t.Fatal("the open 节点 is not offered")
	}
	if code, body, _ := hc.post(instructed+"/sign_for", url.Values{"unit": {fin.ID}}); code != http.StatusSeeOther {
		t.Fatalf("sign for: %d %s", code, body)
	}
	if code, body, _ := hc.post(instructed+"/report", url.Values{"unit": {fin.ID}, "text": {"已完成摸底。"}, "reached": {"m1"}}); code != http.StatusSeeOther {
		t.Fatalf("report: %d %s", code, body)
	}
	_, page, _ = hc.get(instructed)
	if strings.Contains(page, `value="m1"`) {
		t.Error("a 节点 already done is still offered")
	}
}
