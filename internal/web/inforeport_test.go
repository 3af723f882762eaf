package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
)

var infoIDRE = regexp.MustCompile(`^/info/([^/?]+)`)

// TestInfoForms walks 信息报送 through its forms: a town submits (a bad
// form comes back as typed with a Chinese message and nothing stored), the
// 政府办's director adopts it and records the city's adoption and a 批示,
// the 督查员 turns the 批示 into a supervision item, the director compiles
// it into 《信息专报》 and every page renders; another town cannot open it.
func TestInfoForms(t *testing.T) {
	e := newEnv(t)
	town, other := e.head(e.unit("白沙镇").ID), e.head(e.unit("石桥镇").ID)
	office := e.unit("政府办").ID
	tc := e.client()
	if code, _ := tc.login(town.Login, demo.Password); code != http.StatusSeeOther {
		t.Fatal("login town")
	}
	if code, body, _ := tc.get("/info/new"); code != http.StatusOK || !strings.Contains(body, "报送信息") {
		t.Fatalf("new: %d", code)
	}
	form := url.Values{"office_id": {office}, "title": {""}, "body": {"白沙镇正文保留"}, "category": {"economy"}, "urgency": {"normal"}, "level": {"非密"}}
	if code, body, _ := tc.post("/info", form); code != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写信息标题") || !strings.Contains(body, "白沙镇正文保留") {
		t.Fatalf("bad form: %d", code)
	}
	form.Set("title", "白沙镇“三资”清理盘活集体资产")
	code, _, h := tc.post("/info", form)
	m := infoIDRE.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("submit: %d %s", code, h.Get("Location"))
	}
	id := m[1]
	if code, body, _ := tc.get("/info/" + id); code != http.StatusOK || !strings.Contains(body, "白沙镇正文保留") {
		t.Fatalf("page: %d", code)
	}
	oc := e.client()
	oc.login(other.Login, demo.Password)
	if code, _, _ := oc.get("/info/" + id); code != http.StatusForbidden {
		t.Fatalf("another town opened it: %d", code)
	}

	ed := e.client()
	ed.login("zhuren", demo.Password)
	if code, body, _ := ed.get("/info?tab=queue"); code != http.StatusOK || !strings.Contains(body, "白沙镇“三资”") {
		t.Fatalf("queue: %d", code)
	}
	ed.get("/info/" + id)
	steps := []struct {
		op   string
		form url.Values
	}{
		{"edit", url.Values{"title": {"白沙镇“三资”清理盘活集体资产"}, "body": {"白沙镇正文保留，数据已核实。"}, "note": {"补充"}}},
		{"adopt", url.Values{"outlet": {"《信息专报》"}}},
		{"adoption", url.Values{"level": {"city"}, "outlet": {"云泽市委办《每日汇报》"}, "date": {"2026-11-30"}}},
		{"instruction", url.Values{"leader": {"市委书记 李明"}, "level": {"city"}, "text": {"经验很好，请在全市推广。"}, "date": {"2026-11-30"}}},
	}
	for _, s := range steps {
		if code, body, _ := ed.post("/info/"+id+"/"+s.op, s.form); code != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", s.op, code, alert(body))
		}
		ed.get("/info/" + id)
	}
	if code, body, _ := ed.post("/info/"+id+"/adoption", url.Values{"level": {"city"}, "outlet": {""}, "date": {"2026-11-30"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写采用载体") {
		t.Fatalf("empty outlet: %d", code)
	}
	sc := e.client()
	sc.login("ducha", demo.Password)
	sc.get("/info/" + id)
	if code, body, _ := sc.post("/info/"+id+"/supervise", url.Values{"instruction": {"0"}, "lead_unit": {e.unit("白沙镇").ID}, "workdays": {"10"}}); code != http.StatusSeeOther {
		t.Fatalf("supervise: %d %s", code, alert(body))
	}
	code, body, _ := sc.get("/info/" + id)
	if code != http.StatusOK || !strings.Contains(body, `data-testid="info-sup-link"`) {
		t.Fatalf("no link to the item: %d", code)
	}
	ed.get("/info/issues")
	code, _, h = ed.post("/info/issues", url.Values{"publication": {"special"}, "item": {id}})
	if code != http.StatusSeeOther {
		t.Fatalf("issue: %d", code)
	}
	code, body, _ = ed.get(h.Get("Location"))
	if code != http.StatusOK || !strings.Contains(body, "2026年第1期") || !strings.Contains(body, "信息专报") {
		t.Fatalf("issue page: %d", code)
	}
	for _, p := range []string{"/info", "/info?tab=adopted", "/info/solicitations", "/info/scores", "/info/scores?unit=" + e.unit("白沙镇").ID, "/info/" + id + "?from=1&to=2"} {
		if code, body, _ := ed.get(p); code != http.StatusOK {
			t.Errorf("%s: %d %s", p, code, alert(body))
		}
	}
	if _, body, _ := ed.get("/info/scores?unit=" + e.unit("白沙镇").ID); !strings.Contains(body, "市级采用") || !strings.Contains(body, "市委书记 李明批示") {
		t.Error("scores do not trace the city adoption and the 批示")
	}
	// 考核评比's 信息采用得分 counts the same points and lists the report
	// behind them; the other town's head, who may not open it, is shown none.
	rq := "/api/v1/evaluate/records?period=2026-11&class=towns&indicator=info_score&part=num&unit=" + e.unit("白沙镇").ID
	if code, body, _ := ed.get(rq); code != http.StatusOK || !strings.Contains(body, id) || !strings.Contains(body, "白沙镇“三资”") {
		t.Errorf("scoreboard records: %d %s", code, body)
	}
	if code, body, _ := oc.get(rq); code != http.StatusOK || strings.Contains(body, "三资") || !strings.Contains(body, `"hidden":1`) {
		t.Errorf("another town's records: %d %s", code, body)
	}
	// A 约稿 to the other town is in its head's 待办 until answered.
	ed.get("/info/solicitations")
	if code, body, _ := ed.post("/info/solicitations", url.Values{"topic": {"冬季安全生产"}, "due": {"2026-12-03T17:30"}, "unit": {e.unit("石桥镇").ID}}); code != http.StatusSeeOther {
		t.Fatalf("solicit: %d %s", code, alert(body))
	}
	if code, body, _ := oc.get("/workbench"); code != http.StatusOK || !strings.Contains(body, "冬季安全生产") {
		t.Fatalf("not in the other town's 待办: %d", code)
	}
}

// TestInfoAttachments: a town's report comes with a file through the
// documents' upload path (a file the policy refuses fails the form, which
// comes back as typed and stores nothing); the file downloads for those who
// may read the report — the town, the receiving office's editors — and is
// refused (and the refusal audited) to another town; an address the report
// does not name is not served, whatever the file store holds.
func TestInfoAttachments(t *testing.T) {
	e := newDocEnv(t)
	town, other := e.head(e.unit("白沙镇").ID), e.head(e.unit("石桥镇").ID)
	office := e.unit("政府办").ID
	tc := e.client()
	tc.login(town.Login, demo.Password)
	tc.get("/info/new")
	form := url.Values{"office_id": {office}, "title": {"白沙镇冬季防火排查情况"}, "body": {"已排查隐患十二处。"}, "category": {"safety"}, "urgency": {"normal"}, "level": {"非密"}}
	code, body, _ := tc.postMultipart("/info", form, "files", "run.exe", []byte("MZ\x90\x00not a document"))
	if code < 400 || code >= 500 || !strings.Contains(body, "白沙镇冬季防火排查情况") {
		t.Fatalf("refused file: %d %s", code, alert(body))
	}
	pdf := []byte("%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")
	code, body, h := tc.postMultipart("/info", form, "files", "排查表.pdf", pdf)
	m := infoIDRE.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("submit with a file: %d %s", code, alert(body))
	}
	id := m[1]
	_, page, _ := tc.get("/info/" + id)
	link := regexp.MustCompile(`href="(/info/files/` + id + `/[0-9a-f]{64})"`).FindStringSubmatch(page)
	if link == nil || !strings.Contains(page, "排查表.pdf") {
		t.Fatalf("the page lists no file")
	}
	ed := e.client()
	ed.login("zhuren", demo.Password)
	for who, c := range map[string]*client{"town": tc, "editor": ed} {
		code, got, h := c.get(link[1])
		if code != http.StatusOK || got != string(pdf) || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s download: %d %q", who, code, got)
		}
		if code, got, _ := c.get("/api/v1" + link[1]); code != http.StatusOK || got != string(pdf) {
			t.Errorf("%s API download: %d", who, code)
		}
	}
	oc := e.client()
	oc.login(other.Login, demo.Password)
	before := e.denials("info_report")
	if code, got, _ := oc.get(link[1]); code != http.StatusForbidden || strings.Contains(got, "%PDF") {
		t.Errorf("another town downloaded it: %d", code)
	}
	if e.denials("info_report") != before+1 {
		t.Error("the refused download was not audited")
	}
	if code, _, _ := tc.get("/info/files/" + id + "/" + strings.Repeat("0", 64)); code != http.StatusNotFound {
		t.Errorf("an address the report does not name: %d", code)
	}
	if code, _, _ := e.client().get(link[1]); code == http.StatusOK {
		t.Error("served without login")
	}
}

// TestInfoIssueDistribute: an issue of 《信息专报》 goes out through 办文: the
// editor chooses the units, the issue becomes an outgoing document of the
// office (版头 信息专报, its 期号, the item's file) at 分发, which the
// office's clerk finishes as for any document; each town's office then has
// it to sign for among its incoming documents. It goes out once; a town's
// head cannot send it.
func TestInfoIssueDistribute(t *testing.T) {
	e := newEnv(t)
	baisha, shiqiao := e.unit("白沙镇"), e.unit("石桥镇")
	town := e.head(baisha.ID)
	office := e.unit("政府办").ID
	tc := e.client()
	tc.login(town.Login, demo.Password)
	tc.get("/info/new")
	_, _, h := tc.post("/info", url.Values{"office_id": {office}, "title": {"白沙镇冬春水利建设进展"}, "body": {"已完成渠道清淤三十公里。"}, "category": {"economy"}, "urgency": {"normal"}, "level": {"非密"}})
	id := infoIDRE.FindStringSubmatch(h.Get("Location"))[1]
	ed := e.client()
	ed.login("zhuren", demo.Password)
	ed.get("/info/" + id)
	if code, body, _ := ed.post("/info/"+id+"/adopt", url.Values{"outlet": {"《信息专报》"}}); code != http.StatusSeeOther {
		t.Fatalf("adopt: %d %s", code, alert(body))
	}
	ed.get("/info/issues")
	_, _, h = ed.post("/info/issues", url.Values{"publication": {"special"}, "item": {id}})
	issue := h.Get("Location")
	issue = issue[:strings.IndexByte(issue, '?')]
	code, body, _ := ed.get(issue)
	if code != http.StatusOK || !strings.Contains(body, `data-testid="info-distribute-form"`) {
		t.Fatalf("issue page offers no 分发: %d", code)
	}
	if code, body, _ := ed.post(issue+"/distribute", url.Values{}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "请选择分发单位") {
		t.Fatalf("no units: %d %s", code, alert(body))
	}
	if code, _, _ := tc.post(issue+"/distribute", url.Values{"unit": {baisha.ID}}); code != http.StatusForbidden {
		t.Fatalf("a town's head distributed it: %d", code)
	}
	code, body, h = ed.post(issue+"/distribute", url.Values{"unit": {baisha.ID, shiqiao.ID}})
	if code != http.StatusSeeOther {
		t.Fatalf("distribute: %d %s", code, alert(body))
	}
	loc := h.Get("Location")
	doc := loc
	if !strings.HasPrefix(loc, "/docs/") {
		// The editor was the clerk holding 分发: it went out at once.
		_, body, _ = ed.get(issue)
		m := regexp.MustCompile(`href="/docs/([^"]+)" data-testid="info-issue-doc"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("issue page does not link its document: %s", loc)
		}
		doc = "/docs/" + m[1]
	} else {
		// The office's clerk finishes 分发 on the document's page.
		var sent bool
		for _, p := range e.officeClerks(e.unit("政府办")) {
			cc := e.client()
			cc.login(p.Login, demo.Password)
			_, page, _ := cc.get(doc)
			m := taskField.FindStringSubmatch(page)
			if m == nil {
				continue
			}
			if code, body, _ := cc.post(doc+"/act", url.Values{"task": {m[1]}, "op": {"approve"}}); code != http.StatusSeeOther {
				t.Fatalf("clerk 分发: %d %s", code, alert(body))
			}
			sent = true
			break
		}
		if !sent {
			t.Fatal("no clerk of the office holds 分发")
		}
	}
	code, body, _ = ed.get(doc)
	if code != http.StatusOK || !strings.Contains(body, "2026年第1期") || !strings.Contains(body, "白沙镇冬春水利建设进展") {
		t.Fatalf("document page: %d", code)
	}
	if rec, err := e.store.Document(context.Background(), strings.TrimPrefix(doc, "/docs/")); err != nil || rec.Doc.IssuerMark != "信息专报" || rec.Step != "已办结" && rec.Step != "归档" {
		t.Fatalf("document: %v %q %q", err, rec.Doc.IssuerMark, rec.Step)
	}
	for _, u := range []string{"白沙镇", "石桥镇"} {
		found := false
		for _, p := range e.officeClerks(e.unit(u)) {
			cc := e.client()
			cc.login(p.Login, demo.Password)
			if _, body, _ := cc.get("/workbench"); strings.Contains(body, "白沙镇冬春水利建设进展") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s's office did not receive it", u)
		}
	}
	if code, body, _ := ed.post(issue+"/distribute", url.Values{"unit": {baisha.ID}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "本期已分发") {
		t.Errorf("distributed twice: %d %s", code, alert(body))
	}
}
