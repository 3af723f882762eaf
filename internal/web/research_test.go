package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/research"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/study"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// TestResearchPages: the office sets a topic, the assigned unit reports, the
// office accepts it and records a 批示, and the 督查室 turns the 批示 into a
// supervision item from the page; every page renders, and bad input comes
// back as 400/422 with the form.
func TestResearchPages(t *testing.T) {
	e := newEnv(t)
	office, ndrc := e.unit("政府办"), e.unit("区发改局")
	clerk := e.client()
	clerk.login("wenmi", demo.Password)
	if code, _, _ := clerk.get("/research"); code != 200 {
		t.Fatalf("list: %d", code)
	}
	due := e.clock.now().AddDate(0, 0, 20).Format("2006-01-02")
	if code, body, _ := clerk.post("/research", url.Values{"title": {""}, "source": {"office"}, "unit": {ndrc.ID}, "due": {due}}); code != 422 || !strings.Contains(body, "请填写调研课题") {
		t.Fatalf("blank title: %d", code)
	}
	code, _, h := clerk.post("/research", url.Values{"title": {"关于营商环境的调研"}, "source": {"office"}, "unit": {ndrc.ID}, "due": {due}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	page := h.Get("Location")
	id := strings.TrimPrefix(page, "/research/")
	ts, _ := e.store.ResearchTopics(context.Background(), store.ResearchFilter{OfficeID: office.ID})
	if len(ts) != 1 || ts[0].ID != id {
		t.Fatalf("topics: %+v", ts)
	}
	handler := e.client()
	handler.login("chengban", demo.Password)
	if code, body, _ := handler.get(page); code != 200 || !strings.Contains(body, "提交调研报告") {
		t.Fatalf("unit's page: %d", code)
	}
	if code, _, _ := handler.post(page+"/submit", url.Values{"unit": {ndrc.ID}, "title": {"营商环境调研报告"}, "body": {"一、基本情况。二、存在问题。三、对策建议。"}}); code != 303 {
		t.Fatalf("submit: %d", code)
	}
	if code, _, _ := handler.post(page+"/accept", url.Values{"report": {"1"}}); code != 403 {
		t.Fatalf("the unit accepted its own report: %d", code)
	}
	if code, body, _ := clerk.get(page); code != 200 || !strings.Contains(body, "采用入库") {
		t.Fatalf("office's page: %d", code)
	}
	if code, _, _ := clerk.post(page+"/accept", url.Values{"report": {"1"}}); code != 303 {
		t.Fatalf("accept: %d", code)
	}
	day := e.clock.now().Format("2006-01-02")
	if code, _, _ := clerk.post(page+"/instruction", url.Values{"report": {"1"}, "leader": {"区长 李华"}, "text": {"请区发改局牵头抓落实"}, "date": {day}}); code != 303 {
		t.Fatalf("instruction: %d", code)
	}
	if code, body, _ := clerk.get("/research/library?q=营商"); code != 200 || !strings.Contains(body, "营商环境调研报告") {
		t.Fatalf("library: %d", code)
	}
	sup := e.client()
	sup.login("ducha", demo.Password)
	code, out, _ := sup.call("POST", "/api/v1/research/"+id+"/supervise", map[string]any{"report": "1", "instruction": "0", "lead_unit": ndrc.ID, "workdays": "10"})
	if code != 200 {
		t.Fatalf("supervise: %d %v", code, out)
	}
	it := out["supervision_item"].(map[string]any)
	if it["source"] != string(supervise.FromResearch) || it["ref"] != research.SupervisionRef(id, 1) {
		t.Fatalf("item: %v", it)
	}
	if code, body, _ := clerk.get(page); code != 200 || !strings.Contains(body, "/supervise/items/"+it["id"].(string)) {
		t.Fatalf("the report does not link its item: %d", code)
	}
}

// TestStudyPages: a session is set, an invitee signs in with the QR URL's
// token and the organizer's page and the hours show it.
func TestStudyPages(t *testing.T) {
	e := newEnv(t)
	clerk := e.client()
	clerk.login("wenmi", demo.Password)
	handler := e.byLogin("chengban")
	start := e.clock.now().Add(30 * time.Minute).In(time.FixedZone("CST", 8*3600))
	code, _, h := clerk.post("/study/trainings", url.Values{"title": {"公文写作培训"}, "start": {start.Format("2006-01-02 15:04")},
		"end": {start.Add(90 * time.Minute).Format("2006-01-02 15:04")}, "person": {handler.ID}})
	if code != 303 {
		t.Fatalf("create: %d", code)
	}
	page := h.Get("Location")
	if code, body, _ := clerk.get(page); code != 200 || !strings.Contains(body, "签到二维码") {
		t.Fatalf("page: %d", code)
	}
	tr, err := e.store.Training(context.Background(), strings.TrimPrefix(page, "/study/trainings/"))
	if err != nil {
		t.Fatal(err)
	}
	tok := study.SignInToken(tr, e.clock.now().Add(5*time.Minute))
	c := e.client()
	c.login("chengban", demo.Password)
	if code, body, _ := c.get(page + "/checkin?t=" + url.QueryEscape(tok)); code != 200 || !strings.Contains(body, "确认签到") {
		t.Fatalf("checkin page: %d", code)
	}
	if code, _, _ := c.post(page+"/checkin", url.Values{"t": {"bad.token"}}); code != 422 {
		t.Fatalf("bad token: %d", code)
	}
	if code, _, _ := c.post(page+"/checkin", url.Values{"t": {tok}}); code != 303 {
		t.Fatalf("checkin: %d", code)
	}
	if code, body, _ := clerk.get("/study"); code != 200 || !strings.Contains(body, `data-testid="study-hours-value">1.5<`) {
		t.Fatalf("hours: %d", code)
	}
	if code, body, _ := c.get("/study/library"); code != 200 || !strings.Contains(body, "先学后想再提笔") {
		t.Fatalf("library: %d", code)
	}
}

// TestIssuedToModelLibrary: a numbered 发文 joins the 范文 library from its
// page in one action, once.
func TestIssuedToModelLibrary(t *testing.T) {
	e := newProofEnv(t, true)
	rec := e.proofDraft(document.Unclassified)
	e.toReview(rec)
	e.toNumbered(rec)
	c := e.client()
	c.login("wenmi", demo.Password)
	if code, body, _ := c.get("/docs/" + rec.ID); code != 200 || !strings.Contains(body, "加入范文库") {
		t.Fatalf("doc page: %d", code)
	}
	code, _, h := c.post("/study/library", url.Values{"doc": {rec.ID}, "summary": {"格式规范"}})
	if code != 303 {
		t.Fatalf("add: %d", code)
	}
	if code, body, _ := c.get(h.Get("Location")); code != 200 || !strings.Contains(body, rec.Doc.Title) {
		t.Fatalf("entry: %d", code)
	}
	if code, body, _ := c.post("/study/library", url.Values{"doc": {rec.ID}}); code != 422 || !strings.Contains(body, "已在范文库中") {
		t.Fatalf("twice: %d", code)
	}
}

// TestResearchAssignAndUrge: setting a topic tells the assigned unit in its
// inbox; past the deadline the office urges the late unit in one click (a
// second click the same day urges no one); the topic reads 已逾期 until its
// report is accepted, then 已完成 though its date has passed.
func TestResearchAssignAndUrge(t *testing.T) {
	e := newEnv(t)
	ndrc := e.unit("区发改局")
	clerk := e.client()
	clerk.login("wenmi", demo.Password)
	clerk.get("/research")
	due := e.clock.now().AddDate(0, 0, 3).Format("2006-01-02")
	_, _, h := clerk.post("/research", url.Values{"title": {"关于夜间经济的调研"}, "source": {"office"}, "unit": {ndrc.ID}, "due": {due}})
	page := h.Get("Location")
	handler := e.client()
	handler.login("chengban", demo.Password)
	told := func(what string) bool {
		for _, p := range e.officeClerks(ndrc) {
			c := e.client()
			c.login(p.Login, demo.Password)
			if _, inbox, _ := c.get("/inbox"); strings.Contains(inbox, what) {
				return true
			}
		}
		return false
	}
	if len(e.officeClerks(ndrc)) == 0 {
		t.Fatal("区发改局 has no clerk in the demo")
	}
	if !told("调研任务：关于夜间经济的调研") {
		t.Fatal("the assigned unit's clerks were not told")
	}
	if _, body, _ := clerk.get(page); !strings.Contains(body, "调研中") || strings.Contains(body, `data-testid="research-urge"`) {
		t.Fatal("before the deadline: not 调研中, or offers 催报")
	}
	e.clock.t = e.clock.t.AddDate(0, 0, 5)
	clerk.login("wenmi", demo.Password) // five days on, the sessions have lapsed
	handler.login("chengban", demo.Password)
	_, body, _ := clerk.get(page)
	if !strings.Contains(body, "已逾期") || !strings.Contains(body, `data-testid="research-urge"`) {
		t.Fatalf("past the deadline: not 已逾期, or no 催报: %s %v", alert(body), regexp.MustCompile(`research-state">[^<]*`).FindString(body))
	}
	if code, _, _ := handler.post(page+"/urge", url.Values{}); code != http.StatusForbidden {
		t.Fatalf("the unit urged itself: %d", code)
	}
	if code, body, _ := clerk.post(page+"/urge", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("urge: %d %s", code, alert(body))
	}
	if !told("调研催报：关于夜间经济的调研") {
		t.Fatal("the late unit was not urged")
	}
	if code, body, _ := clerk.post(page+"/urge", url.Values{}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "没有需要催报的单位") {
		t.Fatalf("urged twice the same day: %d", code)
	}
	handler.get(page)
	if code, _, _ := handler.post(page+"/submit", url.Values{"unit": {ndrc.ID}, "title": {"夜间经济调研报告"}, "body": {"一、基本情况。"}}); code != http.StatusSeeOther {
		t.Fatalf("submit: %d", code)
	}
	clerk.get(page)
	if code, _, _ := clerk.post(page+"/accept", url.Values{"report": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("accept: %d", code)
	}
	if _, body, _ := clerk.get(page); !strings.Contains(body, `data-testid="research-state">已完成`) {
		t.Fatal("all reports accepted, past its date: not 已完成")
	}
	if _, body, _ := clerk.get("/research"); !strings.Contains(body, "已完成") {
		t.Fatal("the list does not say 已完成")
	}
}
