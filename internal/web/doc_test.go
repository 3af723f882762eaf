package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// newDocEnv is newEnv with a data directory for attachments.
func newDocEnv(t *testing.T) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)} // 09:30 in Beijing, a Monday
	s := storetest.SQLite(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)})
	d := demo.NewDistrict(c.now())
	if err := demo.Seed(context.Background(), s, d); err != nil {
		t.Fatal(err)
	}
	h, err := web.New(s, web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler), DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, srv: ts, store: s, clock: c, d: d}
}

// Names for the demo district's people and units.
func (e *env) unit(short string) org.Unit {
	for _, u := range e.d.Units {
		if u.ShortName == short {
			return u
		}
	}
	e.t.Fatalf("no unit %s", short)
	return org.Unit{}
}

func (e *env) child(parentID, name string) org.Unit {
	for _, u := range e.d.Units {
		if u.ParentID == parentID && strings.Contains(u.Name, name) {
			return u
		}
	}
	e.t.Fatalf("no unit %s under %s", name, parentID)
	return org.Unit{}
}

func (e *env) person(id string) org.Person {
	for _, p := range e.d.People {
		if p.ID == id {
			return p
		}
	}
	e.t.Fatalf("no person %s", id)
	return org.Person{}
}

func (e *env) byLogin(login string) org.Person {
	for _, p := range e.d.People {
		if p.Login == login {
			return p
		}
	}
	e.t.Fatalf("no login %s", login)
	return org.Person{}
}

func (e *env) head(unitID string) org.Person {
	for _, p := range e.d.Positions {
		if p.UnitID == unitID && org.HeadTitle(p.Title) {
			return e.person(p.PersonID)
		}
	}
	e.t.Fatalf("no head of %s", unitID)
	return org.Person{}
}

func (e *env) withRole(r org.Role, unitID string) org.Person {
	for _, a := range e.d.Roles {
		if a.Role == r && a.UnitID == unitID {
			return e.person(a.PersonID)
		}
	}
	e.t.Fatalf("nobody is %s in %s", r, unitID)
	return org.Person{}
}

func (e *env) towns(n int) []org.Unit {
	var out []org.Unit
	for _, u := range e.d.Units {
		if u.Kind == org.KindTown && len(out) < n {
			out = append(out, u)
		}
	}
	return out
}

var (
	docLocation = regexp.MustCompile(`^/docs/([0-9a-f-]{36})`)
	taskField   = regexp.MustCompile(`name="task" value="(\d+)"`)
	firstOption = regexp.MustCompile(`name="unit_id"[^>]*>\s*<option value="([^"]+)"`)
)

// postMultipart sends a form with one file field, the way a browser does.
func (c *client) postMultipart(path string, form url.Values, field, name string, content []byte) (int, string, http.Header) {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if field != "" {
		fw, _ := mw.CreateFormFile(field, name)
		_, _ = fw.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

const draftBody = "各镇人民政府、街道办事处：\n一、高度重视\n（一）压实责任。\n二、抓好落实"

func draftForm(title, level string, to ...string) url.Values {
	f := url.Values{"type": {"notice"}, "title": {title}, "level": {level}, "body": {draftBody}, "to": to}
	if level != "0" {
		f.Set("period", "1")
	}
	return f
}

// createDraft has the client draft a 通知 and returns its id.
func (c *client) createDraft(title, level string, to ...string) string {
	c.e.t.Helper()
	_, page, _ := c.get("/docs/new")
	f := draftForm(title, level, to...)
	f.Set("unit_id", firstOption.FindStringSubmatch(page)[1])
	code, body, h := c.postMultipart("/docs/new", f, "", "", nil)
	m := docLocation.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		c.e.t.Fatalf("create draft: %d %s", code, firstLines(body, "<div class=\"alert", 3))
	}
	return m[1]
}

func TestDocumentAccess(t *testing.T) {
	e := newDocEnv(t)
	ctx := context.Background()
	towns := e.towns(3)
	clerk := e.client()
	clerk.login("wenmi", demo.Password)
	secret := clerk.createDraft("清澜区人民政府办公室关于做好冬季防火工作的通知", "1", towns[0].ID)
	open := clerk.createDraft("清澜区人民政府办公室关于做好元旦春节期间安全生产工作的通知", "0", towns[0].ID, towns[1].ID, towns[2].ID)

	// The drafter sees the classified document, watermarked; the opening is audited.
	code, body, _ := clerk.get("/docs/" + secret)
	wenmi := e.byLogin("wenmi")
	if code != 200 || !strings.Contains(body, `data-testid="watermark"`) || !strings.Contains(body, wenmi.Name+" 2026-11-30 09:30") {
		t.Fatalf("drafter on classified doc: %d", code)
	}
	reads, _ := e.store.ListAudit(ctx, store.AuditFilter{Action: "document.read"})
	if len(reads) < 1 || reads[0].ObjectID != secret || reads[0].ActorID != wenmi.ID {
		t.Fatalf("classified opening not audited: %+v", reads)
	}
	if _, body, _ := clerk.get("/docs/" + secret + "/sheet"); !strings.Contains(body, `data-testid="watermark"`) {
		t.Error("the printable sheet of a classified document has no watermark")
	}
	if _, body, _ := clerk.get("/docs/" + open); strings.Contains(body, `data-testid="watermark"`) {
		t.Error("unclassified doc watermarked")
	}
	if _, body, _ := clerk.get("/docs?tab=todo"); !strings.Contains(body, "冬季防火") || !strings.Contains(body, "元旦春节") {
		t.Error("drafter's list lacks the drafts")
	}

	// A colleague in the same office, not on the route: the unclassified
	// draft is open to the unit, the classified one is invisible and refused.
	colleague := e.client()
	colleague.login("ducha", demo.Password)
	if code, _, _ := colleague.get("/docs/" + open); code != 200 {
		t.Errorf("colleague on unit's unclassified doc: %d", code)
	}
	if code, body, _ := colleague.get("/docs/" + secret); code != http.StatusForbidden || !strings.Contains(body, "涉密") {
		t.Errorf("colleague on classified doc: %d", code)
	}
	denied, _ := e.store.ListAudit(ctx, store.AuditFilter{Action: "access.deny"})
	if len(denied) == 0 || !strings.Contains(denied[0].Detail, secret) {
		t.Errorf("refusal not audited: %+v", denied)
	}
	for _, path := range []string{"/docs?tab=todo", "/docs?tab=done", "/docs?tab=closed", "/docs?q=防火", "/workbench", "/api/v1/documents?q=防火"} {
		if _, body, _ := colleague.get(path); strings.Contains(body, "冬季防火") || strings.Contains(body, secret) {
			t.Errorf("%s shows the classified document to a colleague", path)
		}
	}
	// Someone from another organ gets neither.
	other := e.client()
	other.login("chengban", demo.Password)
	for _, id := range []string{open, secret} {
		if code, _, _ := other.get("/docs/" + id); code != http.StatusForbidden {
			t.Errorf("other organ on %s: %d", id, code)
		}
		if code, _, _ := other.get("/api/v1/documents/" + id); code != http.StatusForbidden {
			t.Errorf("other organ via API on %s: %d", id, code)
		}
	}
	if code, _, _ := other.get("/docs/" + secret + "/sheet"); code != http.StatusForbidden {
		t.Errorf("other organ on the sheet: %d", code)
	}
	// Workbench counts are real: the drafter has two drafts to do.
	_, body, _ = clerk.get("/api/v1/workbench")
	if !strings.Contains(body, `"todo":2`) {
		t.Errorf("workbench counts: %s", firstLines(body, "{", 1))
	}
}

func TestDraftFormKeepsInput(t *testing.T) {
	e := newDocEnv(t)
	c := e.client()
	c.login("wenmi", demo.Password)
	_, page, _ := c.get("/docs/new")
	town := e.towns(1)[0]
	f := draftForm("关于做好冬季防火工作", "0", town.ID)
	f.Set("unit_id", firstOption.FindStringSubmatch(page)[1])
	f.Set("note", "（联系人：张三）")
	code, body, _ := c.postMultipart("/docs/new", f, "", "", nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "data-testid=\"findings\"") {
		t.Fatalf("bad title: %d", code)
	}
	for _, want := range []string{`value="关于做好冬季防火工作"`, "（一）压实责任。", `value="（联系人：张三）"`, `value="` + town.ID + `" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("input not given back: %s", want)
		}
	}
	// A file whose content does not match its name is refused, nothing is created.
	f.Set("title", "清澜区人民政府办公室关于做好冬季防火工作的通知")
	code, body, _ = c.postMultipart("/docs/new", f, "files", "方案.pdf", []byte("<html><script>alert(1)</script>"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "与扩展名不符") {
		t.Fatalf("html as pdf: %d", code)
	}
	// A file with no 附件说明 gets one from its name.
	f.Del("csrf")
	code, _, h := c.postMultipart("/docs/new", f, "files", "实施方案.pdf", []byte("%PDF-1.7\n"))
	m := docLocation.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("with a file: %d", code)
	}
	if _, body, _ := c.get("/docs/" + m[1]); !strings.Contains(body, "附件：实施方案") || strings.Contains(body, `data-testid="findings"`) {
		t.Error("附件说明 not written from the file name")
	}
	// A classification above one's clearance is refused.
	if p := e.byLogin("wenmi"); p.Clearance < org.Secret {
		f.Set("level", "2")
		f.Set("period", "5")
		if code, _, _ := c.postMultipart("/docs/new", f, "", "", nil); code != http.StatusForbidden {
			t.Errorf("above clearance: %d", code)
		}
	}
}

// call sends a JSON request in the client's session (with its CSRF token).
func (c *client) call(method, path string, body any) (int, map[string]any, http.Header) {
	c.e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.e.srv.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp.Header
}

func TestDocumentAPI(t *testing.T) {
	e := newDocEnv(t)
	c := e.client()
	c.login("wenmi", demo.Password)
	office := e.unit("政府办")
	secretariat := e.child(office.ID, "秘书科")
	town := e.towns(1)[0]
	doc := document.Document{Type: document.Notice, Title: "清澜区人民政府办公室关于做好冬季防火工作的通知", Body: document.ParseBody(draftBody)}
	code, out, _ := c.call("POST", "/api/v1/documents", map[string]any{"unit_id": secretariat.ID, "document": doc, "to": []string{town.ID}})
	if code != http.StatusCreated {
		t.Fatalf("create: %d %v", code, out)
	}
	id := out["id"].(string)
	// A title without its doc type is refused with the findings.
	bad := doc
	bad.Title = "关于做好冬季防火工作"
	if code, out, _ := c.call("POST", "/api/v1/documents", map[string]any{"unit_id": secretariat.ID, "document": bad, "to": []string{town.ID}}); code != http.StatusUnprocessableEntity || out["findings"] == nil {
		t.Errorf("bad title: %d %v", code, out)
	}
	if _, out, _ := c.call("GET", "/api/v1/documents?tab=todo&q=防火", nil); len(out["documents"].([]any)) != 1 {
		t.Errorf("list: %v", out)
	}
	_, got, _ := c.call("GET", "/api/v1/documents/"+id, nil)
	tasks := got["my_tasks"].([]any)
	if len(tasks) != 1 {
		t.Fatalf("my tasks: %v", got["my_tasks"])
	}
	task := int(tasks[0].(float64))

	doc.Body = document.ParseBody(draftBody + "\n三、加强值守")
	if code, out, _ := c.call("POST", "/api/v1/documents/"+id+"/versions", map[string]any{"document": doc, "note": "补充"}); code != http.StatusCreated || out["version"] != 2.0 {
		t.Fatalf("save version: %d %v", code, out)
	}
	if code, out, _ := c.call("GET", "/api/v1/documents/"+id+"/versions", nil); code != 200 || len(out["versions"].([]any)) != 2 {
		t.Errorf("versions: %d %v", code, out)
	}
	if code, out, _ := c.call("GET", "/api/v1/documents/"+id+"/files", nil); code != 200 || out["files"] != nil && len(out["files"].([]any)) != 0 {
		t.Errorf("files: %d %v", code, out)
	}
	if code, out, _ := c.call("GET", "/api/v1/documents/"+id+"/diff?from=1&to=2", nil); code != 200 || out["inserted"] != 7.0 || out["deleted"] != 0.0 {
		t.Errorf("diff: %d %v", code, out)
	}
	code, out, _ = c.call("POST", "/api/v1/documents/"+id+"/annotations", map[string]any{"start": 0, "end": 3, "comment": "称谓"})
	if code != http.StatusCreated || out["quote"] != "清澜区" {
		t.Fatalf("annotate: %d %v", code, out)
	}
	if code, _, _ := c.call("POST", "/api/v1/documents/"+id+"/annotations/"+out["id"].(string)+"/resolve", nil); code != 200 {
		t.Errorf("resolve: %d", code)
	}

	// Files: a PDF may be shown inline; a text file is a download; both nosniff.
	pdf := []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj <<>> endobj\n")
	if code, body, _ := c.postMultipart("/api/v1/documents/"+id+"/files", url.Values{}, "files", "方案.pdf", pdf); code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, body)
	}
	if code, body, _ := c.postMultipart("/api/v1/documents/"+id+"/files", url.Values{}, "files", "page.pdf", []byte("<!doctype html><script>1</script>")); code != http.StatusUnprocessableEntity || !strings.Contains(body, "扩展名") {
		t.Errorf("html upload: %d %s", code, body)
	}
	_, files, _ := c.call("GET", "/api/v1/documents/"+id+"/files", nil)
	f := files["files"].([]any)[0].(map[string]any)
	resp, err := c.http.Get(e.srv.URL + "/docs/" + id + "/files/" + f["sha256"].(string))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") {
		t.Errorf("download: %d %v", resp.StatusCode, resp.Header)
	}

	code, out, _ = c.call("POST", "/api/v1/documents/"+id+"/act", route.Request{Op: route.Approve, Task: task, Comment: "请审核"})
	if code != 200 || out["step"] != "处室/部门负责人审核" {
		t.Fatalf("act: %d %v", code, out)
	}
	if code, out, _ := c.call("POST", "/api/v1/documents/"+id+"/act", route.Request{Op: route.Approve, Task: task}); code != http.StatusUnprocessableEntity || !strings.Contains(out["error"].(string), "不能再办理") {
		t.Errorf("act twice: %d %v", code, out)
	}
	other := e.client()
	other.login("chengban", demo.Password)
	if code, _, _ := other.call("GET", "/api/v1/documents/"+id, nil); code != http.StatusForbidden {
		t.Errorf("other organ: %d", code)
	}
	if code, _, _ := other.call("GET", "/docs/"+id+"/files/"+f["sha256"].(string), nil); code != http.StatusForbidden {
		t.Errorf("other organ downloads: %d", code)
	}
	// Bulk sign-for reports each item.
	_, out, _ = c.call("POST", "/api/v1/documents/sign-for", map[string]any{"items": []map[string]any{{"document": id, "task": task}, {"document": "nope", "task": 1}}})
	rs := out["results"].([]any)
	if len(rs) != 2 || rs[0].(map[string]any)["ok"] != false || rs[1].(map[string]any)["message"] != "文件不存在或您无权办理" {
		t.Errorf("bulk results: %v", out)
	}
	if code, out, _ := c.call("GET", "/api/v1/openapi.json", nil); code != 200 || out["paths"].(map[string]any)["/documents/{id}/act"] == nil {
		t.Errorf("openapi lacks the document paths")
	}
}

// TestDelegatedSignOff: a deputy acting for the leader who delegated sees
// "代 X 办理", and the route records both.
func TestDelegatedSignOff(t *testing.T) {
	e := newDocEnv(t)
	ctx := context.Background()
	s := e.store
	dept := e.unit("区发改局")
	section := e.child(dept.ID, "综合规划科")
	invest := e.child(dept.ID, "投资科")
	drafter := e.byLogin("chengban")
	rec, err := s.CreateOutgoing(ctx, drafter, store.NewOutgoing{UnitID: section.ID, To: []string{e.towns(1)[0].ID}, Doc: document.Document{
		Type: document.Notice, Title: "清澜区发展和改革局关于报送2027年项目计划的通知", Body: document.ParseBody("一、报送范围\n二、报送时间")}})
	if err != nil {
		t.Fatal(err)
	}
	act := func(p org.Person, req route.Request) {
		t.Helper()
		a, _ := s.Actor(ctx, p.ID, s.Now())
		items, _ := s.OpenTasksFor(ctx, a, 100)
		for _, it := range items {
			if it.Doc.ID == rec.ID {
				req.Task = it.TaskID
				if _, err := s.Act(ctx, p, rec.ID, req); err != nil {
					t.Fatalf("%s: %v", p.Name, err)
				}
				return
			}
		}
		t.Fatalf("%s has no task", p.Name)
	}
	act(drafter, route.Request{Op: route.Approve})
	act(e.head(section.ID), route.Request{Op: route.Approve, Comment: "同意"})
	act(e.withRole(org.RoleClerk, dept.ID), route.Request{Op: route.Approve, Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: invest.ID}}}})
	act(e.head(invest.ID), route.Request{Op: route.Approve, Comment: "同意"})

	var executive org.Person
	for _, dl := range e.d.Delegations {
		if dl.ToID == e.byLogin("lingdao").ID {
			executive = e.person(dl.FromID)
		}
	}
	c := e.client()
	c.login("lingdao", demo.Password)
	code, body, _ := c.get("/docs/" + rec.ID)
	if code != 200 || !strings.Contains(body, "代 "+executive.Name+" 办理") {
		t.Fatalf("deputy's page: %d, on behalf shown: %v", code, strings.Contains(body, "代 "))
	}
	m := regexp.MustCompile(`name="task" value="(\d+)"><input type="hidden" name="on_behalf_of" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil || m[2] != executive.ID {
		t.Fatalf("no delegated task form: %v", m)
	}
	// The sign-off opinion is required; a refusal keeps the input.
	code, body, _ = c.post("/docs/"+rec.ID+"/act", url.Values{"task": {m[1]}, "on_behalf_of": {m[2]}, "op": {"approve"}, "comment": {"  "}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "须填写意见") {
		t.Fatalf("blank sign-off: %d", code)
	}
	code, _, h := c.post("/docs/"+rec.ID+"/act", url.Values{"task": {m[1]}, "on_behalf_of": {m[2]}, "op": {"approve"}, "comment": {"同意印发"}})
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "done=approve") {
		t.Fatalf("sign off: %d", code)
	}
	_, body, _ = c.get("/docs/" + rec.ID + "/sheet")
	if !strings.Contains(body, executive.Name+"（"+e.byLogin("lingdao").Name+" 代）") || !strings.Contains(body, "同意印发") {
		t.Error("sheet does not show the sign-off under delegation")
	}
	// Urging: the drafter urges the office clerk, who sees it on the task.
	d := e.client()
	d.login("chengban", demo.Password)
	_, body, _ = d.get("/docs/" + rec.ID)
	um := regexp.MustCompile(`name="task" value="(\d+)">\s*<span>编号`).FindStringSubmatch(body)
	if um == nil {
		t.Fatal("drafter is not offered to urge the numbering")
	}
	if code, _, _ := d.post("/docs/"+rec.ID+"/act", url.Values{"task": {um[1]}, "op": {"urge"}, "comment": {"请尽快编号"}}); code != http.StatusSeeOther {
		t.Fatalf("urge: %d", code)
	}
	k := e.client()
	k.login(e.withRole(org.RoleClerk, dept.ID).Login, demo.Password)
	if _, body, _ := k.get("/docs/" + rec.ID); !strings.Contains(body, `data-testid="urged"`) {
		t.Error("the urged clerk does not see the urge")
	}
}

func TestRegisterIncomingByHand(t *testing.T) {
	e := newDocEnv(t)
	town := e.towns(1)[0]
	townOffice := e.child(town.ID, "党政办")
	clerk := e.withRole(org.RoleClerk, townOffice.ID)
	c := e.client()
	c.login(clerk.Login, demo.Password)
	_, page, _ := c.get("/incoming/new")
	if !strings.Contains(page, `value="`+townOffice.ID+`"`) {
		t.Fatal("the town office is not offered as the receiving unit")
	}
	f := url.Values{"unit_id": {townOffice.ID}, "sender": {"云泽市应急管理局"}, "title": {"云泽市应急管理局关于开展冬季安全检查的通知"},
		"type": {"notice"}, "number": {"云应急〔2026〕18号"}, "level": {"0"}}
	// Without a scan the form fails and keeps the input.
	code, body, _ := c.postMultipart("/incoming/new", f, "", "", nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "扫描件") || !strings.Contains(body, `value="云应急〔2026〕18号"`) {
		t.Fatalf("without scan: %d", code)
	}
	f.Set("number", "云应急[2026]18号")
	if code, body, _ := c.postMultipart("/incoming/new", f, "scan", "原件.pdf", []byte("%PDF-1.4\n")); code != http.StatusUnprocessableEntity || !strings.Contains(body, "来文字号") {
		t.Fatalf("look-alike brackets: %d", code)
	}
	f.Set("number", "云应急〔2026〕18号")
	code, _, h := c.postMultipart("/incoming/new", f, "scan", "原件.pdf", []byte("%PDF-1.4\n"))
	m := docLocation.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("register: %d", code)
	}
	_, body, _ = c.get("/docs/" + m[1])
	for _, want := range []string{"云泽市应急管理局", "云应急〔2026〕18号", "原件.pdf", "扫描件", "收〔2026〕1号"} {
		if !strings.Contains(body, want) {
			t.Errorf("registered item lacks %q", want)
		}
	}
	// Registering the paper in hand is its 签收 and 登记: the clerk is not
	// asked for either again, and it waits at 拟办.
	for _, again := range []string{`data-testid="task-sign_for"`, `data-testid="task-register"`} {
		if strings.Contains(body, again) {
			t.Errorf("the registrar is asked again: %s", again)
		}
	}
	// The 来文字号 is listed beside the 收文编号 and found by search.
	_, list, _ := c.get("/docs?tab=done&q=" + url.QueryEscape("云应急〔2026〕18号"))
	if !strings.Contains(list, `data-id="`+m[1]+`"`) || !strings.Contains(list, "来文 云应急〔2026〕18号") || !strings.Contains(list, "收〔2026〕1号") {
		t.Error("the list searched by the 来文字号 does not show it with both numbers")
	}
	// A clerk of another town cannot register for this one.
	other := e.child(e.towns(2)[1].ID, "党政办")
	oc := e.client()
	oc.login(e.withRole(org.RoleClerk, other.ID).Login, demo.Password)
	oc.get("/incoming/new")
	f.Del("csrf")
	if code, _, _ := oc.postMultipart("/incoming/new", f, "scan", "原件.pdf", []byte("%PDF-1.4\n")); code != http.StatusUnprocessableEntity {
		t.Errorf("foreign town: %d", code)
	}
}

// taskOf returns the task id of the viewer's form at a step.
func taskOf(t *testing.T, body, step string) string {
	t.Helper()
	i := strings.Index(body, `data-testid="task-`+step+`"`)
	if i < 0 {
		t.Fatalf("no task form at %s", step)
	}
	m := taskField.FindStringSubmatch(body[i:])
	return m[1]
}

// TestForwardAddReviewerAndOverdue: 转办 to a colleague, 加签 at 核稿, and
// what an overdue handover looks like days later.
func TestForwardAddReviewerAndOverdue(t *testing.T) {
	e := newDocEnv(t)
	office := e.unit("政府办")
	secretariat := e.child(office.ID, "秘书科")
	general := e.child(office.ID, "综合科")
	clerk := e.client()
	clerk.login("wenmi", demo.Password)
	id := clerk.createDraft("清澜区人民政府办公室关于做好冬季防火工作的通知", "0", e.towns(1)[0].ID)
	_, body, _ := clerk.get("/docs/" + id)
	if code, _, _ := clerk.post("/docs/"+id+"/act", url.Values{"task": {taskOf(t, body, "draft")}, "op": {"approve"}}); code != http.StatusSeeOther {
		t.Fatalf("send: %d", code)
	}
	// The section head forwards the review to a colleague in the office.
	head := e.head(secretariat.ID)
	colleague := e.byLogin("ducha")
	h := e.client()
	h.login(head.Login, demo.Password)
	_, body, _ = h.get("/docs/" + id)
	code, body, _ := h.post("/docs/"+id+"/act", url.Values{"task": {taskOf(t, body, "unit_review")}, "op": {"forward"}, "to": {"person:" + colleague.ID}, "comment": {"请代为审核"}})
	if code != http.StatusSeeOther {
		t.Fatalf("forward: %d %s", code, firstLines(body, "<div class=\"alert", 2))
	}
	cl := e.client()
	cl.login(colleague.Login, demo.Password)
	_, body, _ = cl.get("/docs/" + id)
	if code, _, _ := cl.post("/docs/"+id+"/act", url.Values{"task": {taskOf(t, body, "unit_review")}, "op": {"approve"}, "comment": {"同意"}}); code != http.StatusSeeOther {
		t.Fatalf("forwarded review: %d", code)
	}
	// 核稿 adds the 综合科 head as a reviewer; both must finish the step.
	_, body, _ = clerk.get("/docs/" + id)
	task := taskOf(t, body, "review")
	if code, _, _ := clerk.post("/docs/"+id+"/act", url.Values{"task": {task}, "op": {"add_reviewer"}, "add": {"leader:" + general.ID}}); code != http.StatusSeeOther {
		t.Fatalf("add reviewer: %d", code)
	}
	g := e.client()
	g.login(e.head(general.ID).Login, demo.Password)
	if _, body, _ := g.get("/docs/" + id); !strings.Contains(body, `data-testid="task-review"`) {
		t.Fatal("the added reviewer has no task")
	}
	// Three days on, nobody has acted: the open tasks are flagged overdue.
	e.clock.t = e.clock.t.Add(72 * time.Hour)
	clerk.login("wenmi", demo.Password)
	_, body, _ = clerk.get("/docs/" + id)
	if !strings.Contains(body, `data-testid="flags"`) || !strings.Contains(body, "逾期未办") {
		t.Error("no overdue flag")
	}
	if _, body, _ := clerk.get("/docs?tab=todo&state=逾期"); !strings.Contains(body, "冬季防火") {
		t.Error("the overdue filter does not find the item")
	}
	if _, body, _ := clerk.get("/docs?tab=todo&state=正常"); strings.Contains(body, "冬季防火") {
		t.Error("an overdue item shows as 正常")
	}
}
