package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// toNumber takes a 政府办 draft of type typ to 编号 through the store.
func (e *env) toNumber(typ document.DocType, title string) string {
	e.t.Helper()
	ctx := context.Background()
	s := e.store
	office := e.unit("政府办")
	clerk, director := e.byLogin("wenmi"), e.head(office.ID)
	rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: office.ID, Doc: document.Document{Type: typ, Title: title,
		Body: document.ParseBody("区应急管理局：\n一、总体要求\n二、工作措施")}})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, step := range []struct {
		who  string
		next string
	}{{clerk.ID, ""}, {director.ID, ""}, {clerk.ID, director.ID}, {director.ID, ""}, {director.ID, ""}} {
		a, _ := s.Actor(ctx, step.who, s.Now())
		items, _ := s.OpenTasksFor(ctx, a, 100)
		done := false
		for _, it := range items {
			if it.Doc.ID != rec.ID {
				continue
			}
			req := route.Request{Op: route.Approve, Task: it.TaskID, Comment: "同意"}
			if step.next != "" {
				req.Next = []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: step.next}}}
			}
			if _, err := s.Act(ctx, e.person(step.who), rec.ID, req); err != nil {
				e.t.Fatal(err)
			}
			done = true
			break
		}
		if !done {
			e.t.Fatalf("%s has no task on %s", e.person(step.who).Name, title)
		}
	}
	return rec.ID
}

var seriesOption = regexp.MustCompile(`<option value="([^"]+)" ?[a-z]*>[^<]*〔2026〕（`)

// TestDocNumberSeries: the 编号 form offers the series of the document's
// organ for its type, the usual one first, and the number is taken in the
// one the clerk picks; a 函 is offered only the 函 series.
func TestDocNumberSeries(t *testing.T) {
	e := newDocEnv(t)
	notice := e.toNumber(document.Notice, "清澜区人民政府办公室关于做好寒潮防范工作的紧急通知")
	letter := e.toNumber(document.Letter, "清澜区人民政府办公室关于商请支持防汛物资调拨的函")
	c := e.client()
	c.login("wenmi", demo.Password)

	offered := func(id string) ([]string, string) {
		t.Helper()
		_, body, _ := c.get("/docs/" + id)
		var codes []string
		for _, m := range seriesOption.FindAllStringSubmatch(body, -1) {
			codes = append(codes, m[1])
		}
		m := regexp.MustCompile(`data-testid="task-number">[\s\S]*?name="task" value="(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no 编号 task on %s", id)
		}
		return codes, m[1]
	}
	codes, task := offered(notice)
	if strings.Join(codes, " ") != "清政办发 清政办明电" {
		t.Fatalf("series offered for a 通知: %v", codes)
	}
	code, _, _ := c.post("/docs/"+notice+"/act", url.Values{"task": {task}, "op": {"approve"}, "series": {"清政办明电"}})
	if code != http.StatusSeeOther {
		t.Fatalf("number: %d", code)
	}
	if _, body, _ := c.get("/docs/" + notice); !strings.Contains(body, `data-testid="doc-number">清政办明电〔2026〕1号`) {
		t.Errorf("not numbered in the chosen series: %s", firstLines(body, `data-testid="doc-number"`, 1))
	}

	codes, task = offered(letter)
	if strings.Join(codes, " ") != "清政办函" {
		t.Fatalf("series offered for a 函: %v", codes)
	}
	// A series the form did not offer is refused with the ones allowed.
	code, body, _ := c.post("/docs/"+letter+"/act", url.Values{"task": {task}, "op": {"approve"}, "series": {"清政办发"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "可选：清政办函") {
		t.Fatalf("letter into the 文件 series: %d", code)
	}
	if code, _, _ := c.post("/docs/"+letter+"/act", url.Values{"task": {task}, "op": {"approve"}}); code != http.StatusSeeOther {
		t.Fatalf("number the letter: %d", code)
	}
	if _, body, _ := c.get("/docs/" + letter); !strings.Contains(body, `data-testid="doc-number">清政办函〔2026〕1号`) {
		t.Errorf("letter not in the 函 series")
	}
}

// TestDraftInNameOfOrgan: 政府办's clerk is offered to draft in the name of
// 区政府 (a department's is not); the document says so, its sign-off is on
// the 分管 副区长's page (the 领导 login), and its 编号 offers 区政府's series.
// A colleague in 政府办 who has not acted on it still reads it.
func TestDraftInNameOfOrgan(t *testing.T) {
	e := newDocEnv(t)
	gov, office := e.unit("区政府"), e.unit("政府办")
	c := e.client()
	c.login("wenmi", demo.Password)
	_, page, _ := c.get("/docs/new")
	if !strings.Contains(page, `data-testid="issuer"`) || !strings.Contains(page, "以"+gov.Name+"名义") {
		t.Fatal("the draft form does not offer 以区政府名义")
	}
	d := e.client()
	d.login("chengban", demo.Password)
	if _, p, _ := d.get("/docs/new"); strings.Contains(p, `data-testid="issuer"`) {
		t.Error("a department's drafter is offered another organ's name")
	}
	f := draftForm("清澜区人民政府关于做好2027年春季学校安全工作的通知", "0", e.unit("区教育局").ID, e.unit("区卫健委").ID)
	f.Set("unit_id", firstOption.FindStringSubmatch(page)[1])
	f.Set("issuer_id", e.unit("区教育局").ID)
	if code, body, _ := c.postMultipart("/docs/new", f, "", "", nil); code != http.StatusUnprocessableEntity || !strings.Contains(body, "名义") {
		t.Fatalf("drafting in a bureau's name: %d", code)
	}
	f.Set("issuer_id", gov.ID)
	code, body, h := c.postMultipart("/docs/new", f, "", "", nil)
	m := docLocation.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %s", code, firstLines(body, `<div class="alert`, 3))
	}
	id := m[1]
	if _, body, _ := c.get("/docs/" + id); !strings.Contains(body, `data-testid="issuer">以`+gov.Name+`名义`) {
		t.Error("the page does not say in whose name it goes")
	}
	colleague := e.head(e.child(office.ID, "综合科").ID)
	k := e.client()
	k.login(colleague.Login, demo.Password)
	if code, _, _ := k.get("/docs/" + id); code != http.StatusOK {
		t.Errorf("a 政府办 colleague cannot read the office's draft: %d", code)
	}

	// 审核, 核稿 with 会签 by 区应急管理局, 会签: through the store.
	ctx := context.Background()
	s := e.store
	step := func(p string, req route.Request) {
		t.Helper()
		a, _ := s.Actor(ctx, p, s.Now())
		items, _ := s.OpenTasksFor(ctx, a, 100)
		for _, it := range items {
			if it.Doc.ID == id {
				req.Task = it.TaskID
				if _, err := s.Act(ctx, e.person(p), id, req); err != nil {
					t.Fatalf("%s: %v", e.person(p).Name, err)
				}
				return
			}
		}
		t.Fatalf("%s has no task", e.person(p).Name)
	}
	emergency := e.unit("区应急管理局")
	step(e.byLogin("wenmi").ID, route.Request{Op: route.Approve})
	step(e.head(e.child(office.ID, "秘书科").ID).ID, route.Request{Op: route.Approve, Comment: "同意"})
	step(e.byLogin("zhuren").ID, route.Request{Op: route.Approve, Comment: "请会签", Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: emergency.ID}}}})
	step(e.head(emergency.ID).ID, route.Request{Op: route.Approve, Comment: "同意"})

	l := e.client()
	l.login("lingdao", demo.Password)
	_, body, _ = l.get("/docs/" + id)
	tm := regexp.MustCompile(`data-testid="task-sign_off">[\s\S]*?name="task" value="(\d+)"`).FindStringSubmatch(body)
	if tm == nil {
		t.Fatal("the 分管 副区长 has no sign-off on the page")
	}
	if code, _, _ := l.post("/docs/"+id+"/act", url.Values{"task": {tm[1]}, "op": {"approve"}, "comment": {"同意印发"}}); code != http.StatusSeeOther {
		t.Fatalf("sign off: %d", code)
	}
	_, body, _ = c.get("/docs/" + id)
	var codes []string
	for _, m := range seriesOption.FindAllStringSubmatch(body, -1) {
		codes = append(codes, m[1])
	}
	if strings.Join(codes, " ") != "清政发 清政明电" {
		t.Fatalf("series offered: %v", codes)
	}
}

// TestSeriesEditor: the office director keeps the office's series on a page
// of their own, one a line; a bad line is refused with its number and the
// text kept; a clerk may not edit them.
func TestSeriesEditor(t *testing.T) {
	e := newDocEnv(t)
	office := e.unit("政府办")
	z := e.client()
	z.login("zhuren", demo.Password)
	code, body, _ := z.get("/org/units/" + office.ID + "/series")
	if code != http.StatusOK || !strings.Contains(body, "清政办发 政府办文件 决议") || !strings.Contains(body, "清政办函 政府办函 函") {
		t.Fatalf("series page: %d", code)
	}
	text := "清政办发 政府办文件 通知 意见\n清政办函 政府办函 函\n清政办电 政府办电报 通知\n"
	code, body, _ = z.post("/org/units/"+office.ID+"/series", url.Values{"series": {"清政办发 政府办文件 通知\n清政办函 函 报表"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "第2行") || !strings.Contains(body, "报表") {
		t.Fatalf("a bad line: %d", code)
	}
	if code, _, _ := z.post("/org/units/"+office.ID+"/series", url.Values{"series": {text}}); code != http.StatusOK {
		t.Fatalf("save: %d", code)
	}
	got, err := e.store.SeriesFor(context.Background(), office.ID, document.Notice)
	if err != nil || len(got) != 2 || got[1].Code != "清政办电" {
		t.Fatalf("series after saving: %+v %v", got, err)
	}
	c := e.client()
	c.login("wenmi", demo.Password)
	if code, _, _ := c.get("/org/units/" + office.ID + "/series"); code != http.StatusForbidden {
		t.Errorf("a clerk opened the series editor: %d", code)
	}
}

// TestSeriesAPI: GET /api/v1/units/{id}/series lists an organ's 文号系列 for
// anyone who may read the directory — all of them, or those offered at 编号
// for a 文种, the usual one first; a section answers for its organ.
func TestSeriesAPI(t *testing.T) {
	e := newDocEnv(t)
	gov, office := e.unit("区政府"), e.unit("政府办")
	c := e.client()
	c.login("chengban", demo.Password)
	codes := func(path string) (int, string, []string) {
		t.Helper()
		code, out, _ := c.call("GET", path, nil)
		var got []string
		list, _ := out["series"].([]any)
		for _, s := range list {
			got = append(got, s.(map[string]any)["code"].(string))
		}
		organ, _ := out["organ"].(string)
		if code != http.StatusOK {
			organ, _ = out["error"].(string)
		}
		return code, organ, got
	}
	for _, tc := range []struct {
		path, organ string
		first       string
		has, hasNot string
	}{
		{"/api/v1/units/" + gov.ID + "/series", gov.Name, "", "清政发", "清政办发"},
		{"/api/v1/units/" + gov.ID + "/series?type=notice", gov.Name, "清政发", "清政发", "清政函"},
		{"/api/v1/units/" + gov.ID + "/series?type=letter", gov.Name, "清政函", "清政函", "清政发"},
		{"/api/v1/units/" + e.child(office.ID, "秘书科").ID + "/series?type=notice", office.Name, "清政办发", "清政办发", "清政发"},
	} {
		code, organ, got := codes(tc.path)
		if code != http.StatusOK || organ != tc.organ || !slices.Contains(got, tc.has) || slices.Contains(got, tc.hasNot) || tc.first != "" && got[0] != tc.first {
			t.Errorf("%s: %d %s %v", tc.path, code, organ, got)
		}
	}
	if code, msg, _ := codes("/api/v1/units/" + gov.ID + "/series?type=memo"); code != http.StatusBadRequest || !strings.Contains(msg, "文种") {
		t.Errorf("an unknown 文种: %d %s", code, msg)
	}
	if code, _, _ := codes("/api/v1/units/no-such-unit/series"); code != http.StatusNotFound {
		t.Errorf("an unknown unit: %d", code)
	}
}
