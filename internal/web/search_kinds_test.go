package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// TestSearchKindsAPI: GET /api/v1/search finds a supervision item by its
// instruction, with its kind, link and kind facet, under the kind filter;
// someone who may not open it gets nothing of it.
func TestSearchKindsAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	person := func(login string) org.Person {
		p, err := e.store.PersonByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	sup, handler := person("ducha"), person("chengban")
	var office, lead string
	if rs, err := e.store.Roles(ctx, sup.ID); err == nil {
		for _, r := range rs {
			if r.Role == org.RoleSupervisor {
				office = r.UnitID
			}
		}
	}
	if rs, err := e.store.Roles(ctx, handler.ID); err == nil && len(rs) > 0 {
		lead = rs[0].UnitID
	}
	it, err := e.store.CreateSupItem(ctx, sup, supervise.NewItem{ID: "sup-api", Source: supervise.FromLeader, Title: "老旧小区加装电梯",
		Instruction: "请于年底前完成首批十二部电梯安装。", Office: office, Schedule: supervise.Schedule{Kind: supervise.Weekly, Weekday: time.Friday},
		Deadline: supervise.DeadlineSpec{Workdays: 20}, Units: []supervise.Unit{{UnitID: lead, Lead: true, Responsible: handler.ID}}}, true)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		Total   int
		Results []struct{ Kind, ID, URL, Snippet string }
		Facets  struct {
			Kind []struct {
				Value string
				Count int
			}
		}
	}
	ask := func(login, q string) (result, string) {
		c := e.client()
		c.login(login, demo.Password)
		code, body, _ := c.get("/api/v1/search?q=" + url.QueryEscape(q))
		if code != http.StatusOK {
			t.Fatalf("%s %q: %d %s", login, q, code, body)
		}
		var r result
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatal(err)
		}
		return r, body
	}
	for _, login := range []string{"ducha", "chengban"} {
		r, _ := ask(login, "电梯安装 类型:督办")
		if len(r.Results) != 1 || r.Results[0].ID != it.ID || r.Results[0].Kind != "supervision_item" ||
			r.Results[0].URL != "/supervise/items/"+it.ID || !strings.Contains(r.Results[0].Snippet, "电梯安装") {
			t.Errorf("%s: %+v", login, r)
		}
		if len(r.Facets.Kind) != 1 || r.Facets.Kind[0].Value != "supervision_item" || r.Facets.Kind[0].Count != 1 {
			t.Errorf("%s: facets %+v", login, r.Facets)
		}
	}
	for _, q := range []string{"电梯安装", "电梯安装 类型:督办", "加装电梯"} {
		if r, body := ask("jiyao", q); r.Total != 0 || len(r.Results) != 0 || len(r.Facets.Kind) != 0 || strings.Count(body, "电梯") != strings.Count(q, "电梯") {
			t.Errorf("jiyao, who may not open the item, gets %q: %s", q, body)
		}
	}
}
