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
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
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

// materialFixture: 政府办 books a meeting with a 议题 of 区发改局, whose head
// uploads a .txt material through the page; it returns the 议题's address,
// the head and a unit head who is not of the meeting.
func materialFixture(t *testing.T, e *env) (string, org.Person, org.Person) {
	t.Helper()
	ctx := context.Background()
	if err := demo.SeedMeetingRooms(ctx, e.store, e.d); err != nil {
		t.Fatal(err)
	}
	clerk := e.byLogin("wenmi")
	dev := e.unit("区发改局")
	devHead, outsider := e.head(dev.ID), e.head(e.unit("区民政局").ID)
	start := time.Date(2026, 12, 3, 1, 0, 0, 0, time.UTC)
	m, err := e.store.BookMeeting(ctx, clerk, meeting.NewMeeting{Title: "重点项目建设调度会", Kind: meeting.Dispatch, OfficeID: e.unit("政府办").ID,
		RoomID: demo.MeetingRooms(e.d)[2].ID, Start: start, End: start.Add(time.Hour), Invitees: []meeting.Invitee{{PersonID: devHead.ID, UnitID: dev.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.MeetingAct(ctx, clerk, m.ID, "agenda", nil, store.OpAddAgenda(meeting.NewAgendaItem{Title: "项目推进情况", UnitID: dev.ID})); err != nil {
		t.Fatal(err)
	}
	path := "/meetings/" + m.ID + "/agenda/1"
	if code, body, _ := e.clientAs(t, devHead).postMultipart(path+"/materials", url.Values{}, "file", "汇报.txt",
		[]byte("关于重点项目推进情况的汇报\n城东污水处理厂二期已完成主体结构封顶。")); code != http.StatusSeeOther {
		i := strings.Index(body, `role="alert"`)
		t.Fatalf("upload: %d %.300s", code, body[max(i, 0):])
	}
	return path, devHead, outsider
}

// TestSearchMaterialAPI: a material uploaded through its page is found by
// the words of its file (read at upload) through GET /api/v1/search, as a
// 会议材料 with the 议题's address, which opens; someone not of the meeting
// gets nothing of it.
func TestSearchMaterialAPI(t *testing.T) {
	e := newDocEnv(t)
	path, devHead, outsider := materialFixture(t, e)
	c := e.clientAs(t, devHead)
	code, out, _ := c.call("GET", "/api/v1/search?q="+url.QueryEscape("污水处理厂二期 类型:会议材料"), nil)
	if code != http.StatusOK {
		t.Fatalf("search: %d %v", code, out)
	}
	rs, _ := out["results"].([]any)
	if len(rs) != 1 {
		t.Fatalf("results: %v", out)
	}
	hit := rs[0].(map[string]any)
	if hit["kind"] != "meeting_material" || hit["kind_label"] != "会议材料" || hit["url"] != path || hit["title"] != "项目推进情况" ||
		!strings.Contains(hit["snippet"].(string), "污水处理厂二期") {
		t.Errorf("hit: %v", hit)
	}
	if code, _, _ := c.get(path); code != http.StatusOK {
		t.Errorf("the hit's address: %d", code)
	}
	o := e.clientAs(t, outsider)
	for _, q := range []string{"污水处理厂二期", "污水处理厂二期 类型:会议材料", "项目推进情况"} {
		code, body, _ := o.get("/api/v1/search?q=" + url.QueryEscape(q))
		if code != http.StatusOK || strings.Contains(body, "meeting_material") || strings.Count(body, "污水") != strings.Count(q, "污水") {
			t.Errorf("an outsider gets %q: %d %s", q, code, body)
		}
	}
}
