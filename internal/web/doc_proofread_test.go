package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// The proofreader takes a second and 140 MB to load, so the tests share one,
// as a server process does.
var sharedChecker = sync.OnceValues(func() (*proofread.Checker, error) { return proofread.New(proofread.Config{}) })

var sharedRenderer = sync.OnceValues(func() (*layout.Renderer, error) { return layout.NewRenderer(layout.FontConfig{}, nil) })

// renderer returns the shared renderer, skipping the test when the fonts are
// not installed (scripts/setup-fonts.sh) — except in CI, which installs them.
func renderer(t *testing.T) *layout.Renderer {
	t.Helper()
	r, err := sharedRenderer()
	if errors.Is(err, layout.ErrFontsMissing) && os.Getenv("CI") == "" {
		t.Skip("fonts not installed; run scripts/setup-fonts.sh")
	}
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// newProofEnv is newDocEnv with the proofreader and, when withFonts, the renderer.
func newProofEnv(t *testing.T, withFonts bool) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)} // 09:30 in Beijing, a Monday
	return newProofEnvOn(t, storetest.SQLite(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}), c, withFonts)
}

// newProofEnvOn is newProofEnv on a store opened with c's clock.
func newProofEnvOn(t *testing.T, s *store.Store, c *clock, withFonts bool) *env {
	t.Helper()
	return newProofEnvWith(t, s, c, withFonts, nil)
}

// newProofEnvWith is newProofEnvOn with the server's options adjusted by set.
func newProofEnvWith(t *testing.T, s *store.Store, c *clock, withFonts bool, set func(*web.Options)) *env {
	t.Helper()
	d := demo.NewDistrict(c.now())
	if err := demo.Seed(context.Background(), s, d); err != nil {
		t.Fatal(err)
	}
	checker, err := sharedChecker()
	if err != nil {
		t.Fatal(err)
	}
	opt := web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler), DataDir: t.TempDir(), Proofreader: checker}
	if withFonts {
		opt.Renderer = renderer(t)
	}
	if set != nil {
		set(&opt)
	}
	h, err := web.New(s, opt)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, srv: ts, store: s, clock: c, d: d}
}

// act applies req to p's open task on the document, straight through the store.
func (e *env) act(p org.Person, docID string, req route.Request) store.DocRecord {
	e.t.Helper()
	ctx := context.Background()
	a, err := e.store.Actor(ctx, p.ID, e.store.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	items, err := e.store.OpenTasksFor(ctx, a, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, it := range items {
		if it.Doc.ID == docID {
			req.Task = it.TaskID
			rec, err := e.store.Act(ctx, p, docID, req)
			if err != nil {
				e.t.Fatalf("%s %s at %s: %v", p.Name, req.Op, it.Step, err)
			}
			return rec
		}
	}
	e.t.Fatalf("%s has no open task on %s", p.Name, docID)
	return store.DocRecord{}
}

// proofDraft is a 通知 by the 政府办's clerk with a wrong character (己经),
// a half-width comma and a nonstandard term (其它) in its body.
func (e *env) proofDraft(level document.Level) store.DocRecord {
	e.t.Helper()
	office := e.unit("政府办")
	doc := document.Document{Type: document.Notice, Title: "清澜区人民政府办公室关于做好冬季防火工作的通知",
		Classification: document.Classification{Level: level},
		Body:           document.ParseBody("一、高度重视\n各单位己经完成了部署,其它工作要抓紧。\n二、抓好落实")}
	if level > document.Unclassified {
		doc.Classification.PeriodYears = 1
	}
	rec, err := e.store.CreateOutgoing(context.Background(), e.byLogin("wenmi"), store.NewOutgoing{
		UnitID: e.child(office.ID, "秘书科").ID, To: []string{e.towns(1)[0].ID}, Doc: doc})
	if err != nil {
		e.t.Fatal(err)
	}
	return rec
}

// toReview sends the draft through the section head to the office's 核稿,
// which the clerk holds.
func (e *env) toReview(rec store.DocRecord) {
	e.t.Helper()
	office := e.unit("政府办")
	e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve})
	e.act(e.head(e.child(office.ID, "秘书科").ID), rec.ID, route.Request{Op: route.Approve, Comment: "同意"})
}

// toNumbered takes a document at 核稿 through countersign, sign-off and 编号.
func (e *env) toNumbered(rec store.DocRecord) store.DocRecord {
	e.t.Helper()
	office := e.unit("政府办")
	cs := e.child(office.ID, "综合科")
	e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误", Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: cs.ID}}}})
	e.act(e.head(cs.ID), rec.ID, route.Request{Op: route.Approve, Comment: "同意"})
	e.act(e.head(office.ID), rec.ID, route.Request{Op: route.Approve, Comment: "同意印发"})
	return e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve})
}

func findingsOf(t *testing.T, out map[string]any) []map[string]any {
	t.Helper()
	raw, ok := out["findings"].([]any)
	if !ok {
		t.Fatalf("no findings in %v", out)
	}
	var fs []map[string]any
	for _, f := range raw {
		fs = append(fs, f.(map[string]any))
	}
	return fs
}

func findingWith(fs []map[string]any, text string) map[string]any {
	for _, f := range fs {
		if f["text"] == text {
			return f
		}
	}
	return nil
}

func TestProofreadAPI(t *testing.T) {
	e := newProofEnv(t, false)
	c := e.client()
	c.login("wenmi", demo.Password)

	// Plain text: rune offsets into the text, a key per finding.
	text := "“通知”：各单位己经完成了部署,其它工作要抓紧。"
	code, out, _ := c.call("POST", "/api/v1/proofread", map[string]any{"text": text})
	if code != http.StatusOK {
		t.Fatalf("text: %d %v", code, out)
	}
	fs := findingsOf(t, out)
	for _, c := range []struct {
		flagged, category, rule, suggestion string
	}{{"己经", "typo", "T01", "已经"}, {",", "punctuation", "P01", "，"}, {"其它", "term", "W01", "其他"}} {
		f := findingWith(fs, c.flagged)
		if f == nil {
			t.Errorf("no finding on %q in %v", c.flagged, fs)
			continue
		}
		start, end := int(f["start"].(float64)), int(f["end"].(float64))
		if got := string([]rune(text)[start:end]); got != c.flagged {
			t.Errorf("offsets %d–%d cut %q, want %q", start, end, got, c.flagged)
		}
		if f["category"] != c.category || f["rule"] != c.rule || f["suggestion"] != c.suggestion || f["severity"] == "" || f["message"] == "" {
			t.Errorf("finding on %q: %v", c.flagged, f)
		}
		if f["key"] != c.category+"/"+c.rule+"/"+c.flagged {
			t.Errorf("key %v", f["key"])
		}
	}

	// A structured document: findings per part, offsets into the part.
	doc := proofread.Document{DocType: "通知", Title: "关于做好冬季防火工作的通知。", To: "各镇人民政府",
		Body: []proofread.Paragraph{{Text: "一、高度重视", Level: 1}, {Text: "请各单位己经落实。"}}, Ignore: []string{"format/F11/各镇人民政府"}}
	code, out, _ = c.call("POST", "/api/v1/proofread", map[string]any{"document": doc})
	if code != http.StatusOK {
		t.Fatalf("document: %d %v", code, out)
	}
	fs = findingsOf(t, out)
	typo := findingWith(fs, "己经")
	if typo == nil || typo["part"] != "body" || typo["index"] != 1.0 || typo["start"] != 4.0 {
		t.Errorf("body finding: %v", typo)
	}
	title := false
	for _, f := range fs {
		title = title || (f["part"] == "title" && f["rule"] == "F08")
	}
	if !title {
		t.Errorf("no title finding (trailing full stop) in %v", fs)
	}

	// Over proofread.MaxInput (but under the body cap): 400, in Chinese (issue 11).
	big := strings.Repeat("文", proofread.MaxInput/3+1)
	if code, out, _ := c.call("POST", "/api/v1/proofread", map[string]any{"text": big}); code != http.StatusBadRequest || out["error"] != "校对的文字不能超过 1024 KB（现有 1025 KB）" {
		t.Errorf("text over MaxInput: %d %v", code, out)
	}
	if code, out, _ := c.call("POST", "/api/v1/proofread", map[string]any{"document": map[string]any{"title": "关于的通知", "body": []map[string]any{{"text": big}}}}); code != http.StatusBadRequest {
		t.Errorf("document over MaxInput: %d %v", code, out)
	}

	// Neither or both is a bad request; an auditor has no workbench.
	if code, _, _ := c.call("POST", "/api/v1/proofread", map[string]any{}); code != http.StatusBadRequest {
		t.Errorf("empty request: %d", code)
	}
	if code, _, _ := c.call("POST", "/api/v1/proofread", map[string]any{"text": "x", "document": doc}); code != http.StatusBadRequest {
		t.Errorf("both: %d", code)
	}
	a := e.client()
	a.login("auditor", demo.Password)
	if code, _, _ := a.call("POST", "/api/v1/proofread", map[string]any{"text": text}); code != http.StatusForbidden {
		t.Errorf("auditor: %d", code)
	}

	// Without a proofreader the API says so.
	off := newDocEnv(t)
	oc := off.client()
	oc.login("wenmi", demo.Password)
	if code, out, _ := oc.call("POST", "/api/v1/proofread", map[string]any{"text": text}); code != http.StatusServiceUnavailable || !strings.Contains(out["error"].(string), "未启用") {
		t.Errorf("no proofreader: %d %v", code, out)
	}
}

var (
	acceptForm = regexp.MustCompile(`(?s)<li id="pf-\d+" class="[a-z]+" data-testid="finding" data-key="([^"]+)">.*?name="op" value="accept".*?name="key" value="([^"]+)"><input type="hidden" name="part" value="([^"]+)"><input type="hidden" name="index" value="(\d+)"><input type="hidden" name="start" value="(\d+)"><input type="hidden" name="version" value="(\d+)">`)
)

// acceptFields finds the accept form of the finding on text in a page.
func acceptFields(t *testing.T, body, key string) url.Values {
	t.Helper()
	for _, m := range acceptForm.FindAllStringSubmatch(body, -1) {
		if m[1] == key && m[2] == key {
			return url.Values{"op": {"accept"}, "key": {key}, "part": {m[3]}, "index": {m[4]}, "start": {m[5]}, "version": {m[6]}}
		}
	}
	t.Fatalf("no accept form for %s", key)
	return nil
}

func TestProofreadEditorAcceptAndIgnore(t *testing.T) {
	e := newProofEnv(t, false)
	ctx := context.Background()
	rec := e.proofDraft(document.Unclassified)
	c := e.client()
	c.login("wenmi", demo.Password)

	// The editor shows the findings marked in the text.
	code, body, _ := c.get("/docs/" + rec.ID + "/edit")
	if code != 200 || !strings.Contains(body, `data-testid="proofread"`) {
		t.Fatalf("editor: %d, panel %v", code, strings.Contains(body, `data-testid="proofread"`))
	}
	for _, want := range []string{`data-testid="proof-mark">己经</a>`, `data-testid="proof-mark">其它</a>`, `data-key="typo/T01/己经"`} {
		if !strings.Contains(body, want) {
			t.Errorf("editor lacks %s", want)
		}
	}

	// Accept: a new version with the suggestion, the acceptance counted at 起草.
	f := acceptFields(t, body, "typo/T01/己经")
	f.Set("back", "edit")
	code, _, h := c.post("/docs/"+rec.ID+"/proofread", f)
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/docs/"+rec.ID+"/edit?proofread=accept") {
		t.Fatalf("accept: %d %s", code, h.Get("Location"))
	}
	got, _ := e.store.Document(ctx, rec.ID)
	if got.Version != 2 || !strings.Contains(got.Doc.Body.String(), "各单位已经完成了部署") || got.Doc.Body.Paragraphs[0].Level != 1 {
		t.Fatalf("after accept: v%d %q", got.Version, got.Doc.Body.String())
	}
	vs, _ := e.store.Versions(ctx, rec.ID)
	if len(vs) != 2 || !strings.Contains(vs[1].Note, "己经→已经") {
		t.Errorf("version note: %+v", vs)
	}
	if counts, _ := e.store.AcceptedCounts(ctx, rec.ID); !maps.Equal(counts, map[string]int{"draft": 1}) {
		t.Errorf("counts: %v", counts)
	}
	if _, body, _ := c.get(h.Get("Location")); !strings.Contains(body, `data-testid="proofread-notice"`) || strings.Contains(body, `data-key="typo/T01/己经"`) {
		t.Error("after accept the editor does not confirm, or still flags 己经")
	}
	// The same form again: it was of version 1, and the text has changed
	// since — a conflict, said plainly.
	if code, body, _ := c.post("/docs/"+rec.ID+"/proofread", f); code != http.StatusConflict || !strings.Contains(body, "已被他人修改，请刷新") {
		t.Errorf("stale accept: %d", code)
	}

	// "Not an error": hidden now, and still hidden after an unrelated edit.
	if code, _, _ := c.post("/docs/"+rec.ID+"/proofread", url.Values{"op": {"ignore"}, "key": {"term/W01/其它"}, "back": {"edit"}}); code != http.StatusSeeOther {
		t.Fatalf("ignore: %d", code)
	}
	doc := got.Doc
	doc.Body = document.ParseBody(doc.Body.String() + "\n三、加强值守")
	if _, err := e.store.SaveDraft(ctx, e.byLogin("wenmi"), rec.ID, doc, "补充"); err != nil {
		t.Fatal(err)
	}
	code, out, _ := c.call("GET", "/api/v1/documents/"+rec.ID+"/proofread", nil)
	if code != 200 || out["version"] != 3.0 || findingWith(findingsOf(t, out), "其它") != nil {
		t.Errorf("ignored finding shows again: %d %v", code, out)
	}
	if ign := out["ignored"].([]any); len(ign) != 1 || ign[0] != "term/W01/其它" {
		t.Errorf("ignored: %v", ign)
	}
	// Taken back, it shows again.
	if code, _, _ := c.call("POST", "/api/v1/documents/"+rec.ID+"/proofread", map[string]any{"op": "unignore", "key": "term/W01/其它"}); code != 200 {
		t.Errorf("unignore: %d", code)
	}
	_, out, _ = c.call("GET", "/api/v1/documents/"+rec.ID+"/proofread", nil)
	comma := findingWith(findingsOf(t, out), ",")
	if findingWith(findingsOf(t, out), "其它") == nil || comma == nil {
		t.Fatalf("after unignore: %v", out)
	}
	// Accepting through the API.
	code, out, _ = c.call("POST", "/api/v1/documents/"+rec.ID+"/proofread", map[string]any{"op": "accept", "key": comma["key"],
		"part": comma["part"], "index": comma["index"], "start": comma["start"], "version": 3})
	if code != 200 || out["version"] != 4.0 {
		t.Fatalf("api accept: %d %v", code, out)
	}
	if counts, _ := e.store.AcceptedCounts(ctx, rec.ID); counts["draft"] != 2 {
		t.Errorf("counts after api accept: %v", counts)
	}
	if es, _ := e.store.ListAudit(ctx, store.AuditFilter{Action: "proofread."}); len(es) != 4 {
		t.Errorf("audit entries: %d", len(es))
	}

	// A colleague who may read the document but holds no task cannot act on it.
	o := e.client()
	o.login("ducha", demo.Password)
	if code, body, _ := o.get("/docs/" + rec.ID + "/proofread"); code != 200 || strings.Contains(body, `data-testid="accept"`) {
		t.Errorf("colleague's proofread page: %d", code)
	}
	if code, body, _ := o.post("/docs/"+rec.ID+"/proofread", url.Values{"op": {"ignore"}, "key": {"term/W01/其它"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "当前办理人") {
		t.Errorf("colleague ignores: %d", code)
	}
	// Someone from another organ may not even look.
	x := e.client()
	x.login("chengban", demo.Password)
	if code, _, _ := x.get("/docs/" + rec.ID + "/proofread"); code != http.StatusForbidden {
		t.Errorf("other organ: %d", code)
	}
	if code, _, _ := x.call("GET", "/api/v1/documents/"+rec.ID+"/proofread", nil); code != http.StatusForbidden {
		t.Errorf("other organ via API: %d", code)
	}
}

func TestProofreadAtReviewCounted(t *testing.T) {
	e := newProofEnv(t, false)
	ctx := context.Background()
	rec := e.proofDraft(document.Unclassified)
	e.toReview(rec)
	c := e.client()
	c.login("wenmi", demo.Password)
	// At 核稿 the findings stand next to the action form.
	_, body, _ := c.get("/docs/" + rec.ID)
	i, j := strings.Index(body, `data-testid="task-review"`), strings.Index(body, `data-testid="proofread"`)
	if i < 0 || j < 0 || j < i {
		t.Fatalf("review page: task %d, panel %d", i, j)
	}
	f := acceptFields(t, body, "typo/T01/己经")
	f.Set("back", "page")
	if code, _, h := c.post("/docs/"+rec.ID+"/proofread", f); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/docs/"+rec.ID+"?") {
		t.Fatalf("accept at review: %d %s", code, h.Get("Location"))
	}
	if counts, _ := e.store.AcceptedCounts(ctx, rec.ID); !maps.Equal(counts, map[string]int{"review": 1}) {
		t.Errorf("counts: %v", counts)
	}
	if totals, _ := e.store.AcceptedTotals(ctx, rec.OrganID); totals["review"] != 1 {
		t.Errorf("totals: %v", totals)
	}
	// The count is on the 发文稿纸 and on the panel.
	if _, body, _ := c.get("/docs/" + rec.ID + "/sheet"); !strings.Contains(body, "办公室核稿采纳1处") {
		t.Error("the sheet does not show the accepted count")
	}
	if _, body, _ := c.get("/docs/" + rec.ID); !strings.Contains(body, `data-testid="accepted-total">1<`) {
		t.Error("the panel does not show the accepted count")
	}
	// A colleague who may read the document but holds no task sees no panel.
	d := e.client()
	d.login("ducha", demo.Password)
	if code, body, _ := d.get("/docs/" + rec.ID); code != 200 || strings.Contains(body, `data-testid="proofread"`) {
		t.Error("panel shown to someone without a task")
	}
}

// TestProofreadAtSignOff: at 签发 the leader who signs sees the open findings
// next to the sign-off form and accepts one with one click; the count is kept
// for the sign-off step beside the 核稿 count, on the panel, the API and the
// 发文稿纸.
func TestProofreadAtSignOff(t *testing.T) {
	e := newProofEnv(t, false)
	ctx := context.Background()
	rec := e.proofDraft(document.Unclassified)
	e.toReview(rec)
	office := e.unit("政府办")
	cs := e.child(office.ID, "综合科")

	// 核稿 accepts one suggestion (己经), then the draft goes on to 会签 and 签发.
	clerk := e.client()
	clerk.login("wenmi", demo.Password)
	_, body, _ := clerk.get("/docs/" + rec.ID)
	f := acceptFields(t, body, "typo/T01/己经")
	f.Set("back", "page")
	if code, _, _ := clerk.post("/docs/"+rec.ID+"/proofread", f); code != http.StatusSeeOther {
		t.Fatalf("accept at review: %d", code)
	}
	e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误", Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: cs.ID}}}})
	e.act(e.head(cs.ID), rec.ID, route.Request{Op: route.Approve, Comment: "同意"})

	leader := e.client()
	leader.login(e.head(office.ID).Login, demo.Password)
	_, body, _ = leader.get("/docs/" + rec.ID)
	i, j := strings.Index(body, `data-testid="task-sign_off"`), strings.Index(body, `data-testid="proofread"`)
	if i < 0 || j < 0 || j < i {
		t.Fatalf("sign-off page: task %d, panel %d", i, j)
	}
	if strings.Contains(body, `data-key="typo/T01/己经"`) || !strings.Contains(body, `data-key="term/W01/其它"`) {
		t.Error("the sign-off panel does not show the findings still open")
	}
	f = acceptFields(t, body, "term/W01/其它")
	f.Set("back", "page")
	if code, _, h := leader.post("/docs/"+rec.ID+"/proofread", f); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/docs/"+rec.ID+"?proofread=accept") {
		t.Fatalf("accept at sign-off: %d %s", code, h.Get("Location"))
	}
	got, _ := e.store.Document(ctx, rec.ID)
	if !strings.Contains(got.Doc.Body.String(), "其他工作") {
		t.Errorf("after accept at sign-off: %q", got.Doc.Body.String())
	}
	if counts, _ := e.store.AcceptedCounts(ctx, rec.ID); !maps.Equal(counts, map[string]int{"review": 1, "sign_off": 1}) {
		t.Errorf("counts: %v", counts)
	}
	_, body, _ = leader.get("/docs/" + rec.ID)
	if !strings.Contains(body, `data-testid="accepted-total">2<`) || !strings.Contains(body, "领导签发 1") {
		t.Error("the panel does not show the counts per step")
	}
	if _, out, _ := leader.call("GET", "/api/v1/documents/"+rec.ID+"/proofread", nil); out["accepted"] == nil ||
		out["accepted"].(map[string]any)["sign_off"] != 1.0 || out["accepted"].(map[string]any)["review"] != 1.0 {
		t.Errorf("API accepted counts: %v", out["accepted"])
	}
	if _, body, _ := leader.get("/docs/" + rec.ID + "/sheet"); !strings.Contains(body, "办公室核稿采纳1处；领导签发采纳1处") {
		t.Error("the sheet does not show both counts")
	}
	// Signed off and numbered, the text is fixed: findings are still shown at
	// 复核, but no longer accepted.
	e.act(e.head(office.ID), rec.ID, route.Request{Op: route.Approve, Comment: "同意印发"})
	e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve})
	_, body, _ = clerk.get("/docs/" + rec.ID + "/proofread")
	if strings.Contains(body, `data-testid="accept"`) || !strings.Contains(body, `data-testid="finding"`) {
		t.Error("a numbered document still offers 采纳, or shows no findings")
	}
}

// proofSamples are two drafts that between them trip every rule but the
// statistical T03 (which may or may not fire), written with the word lists of
// proofLists.
var proofSamples = []proofread.Document{
	{DocType: "请示", DocNumber: "清政发[2024]第05号", Title: "关于申请经费的请示报告。", To: "区财政局、区发改局",
		Body: []proofread.Paragraph{
			{Text: "一、总体要求", Level: 1},
			{Text: "截止目前,我们己经完成了部署。。要认真的做好工作，研究研究后到到现场。"},
			{Text: "三、其它事项", Level: 1},
			{Text: "（1）区经信委王伟冬区长指出，全区绝对领先，二O二四年参会5-10人，增长20～30%，约50人左右，百分之5，２０２４年，眉首……"},
			{Text: "他说:“要落实“三个一”要求” 。 请XX单位 抓紧--完成..."},
		},
		Attachments: "附件:1、方案。", Date: "2024-1-5", CC: "抄送：市委"},
	{DocType: "通知", DocNumber: "清政发〔24〕1号", Title: "关于做好冬季防火工作的通知的通知", To: "各镇人民政府：",
		Body: []proofread.Paragraph{
			{Text: "截止2024年底，学习《条例》、《办法》，每组三、四个人，要进一步进一步落实，辈份，原国土资源部。"},
			{Text: "一.加强领导", Level: 1},
			{Text: "（一)压实责任", Level: 2},
			{Text: "1、明确分工", Level: 3},
			{Text: "(1)细化措施", Level: 4},
		}},
}

var proofLists = url.Values{"organs": {"区经信委|区经济和信息化局|机构改革后更名"}, "leaders": {"王伟东|区长"}, "banned": {"绝对领先||广告用语"}}

// TestProofreadEveryRuleSwitchable: the findings carry exactly the issue's
// category names (all seven appear, custom from the office's word lists);
// every rule that fires is one the settings page offers; and every rule and
// every category, switched off on the settings page, stops firing for the
// whole deployment while the others go on. The office director keeps the
// lists, the system administrator the switches.
func TestProofreadEveryRuleSwitchable(t *testing.T) {
	e := newProofEnv(t, false)
	admin := e.client()
	admin.login("sysadmin", demo.Password)
	c := e.client()
	c.login("wenmi", demo.Password)
	director := e.client()
	director.login("zhuren", demo.Password)
	if code, body, _ := director.post("/settings/proofread/lists", maps.Clone(proofLists)); code != http.StatusSeeOther {
		t.Fatalf("save the word lists: %d %s", code, body)
	}

	save := func(disabled ...string) {
		t.Helper()
		if code, body, _ := admin.post("/settings/proofread/rules", url.Values{"disabled": disabled}); code != http.StatusSeeOther {
			t.Fatalf("save settings %v: %d %s", disabled, code, body)
		}
	}
	// check returns the rules and categories that fire on the samples.
	check := func() (rules, cats map[string]int) {
		t.Helper()
		rules, cats = map[string]int{}, map[string]int{}
		for _, doc := range proofSamples {
			code, out, _ := c.call("POST", "/api/v1/proofread", map[string]any{"document": doc})
			if code != http.StatusOK {
				t.Fatalf("proofread: %d %v", code, out)
			}
			for _, f := range findingsOf(t, out) {
				rules[f["rule"].(string)]++
				cats[f["category"].(string)]++
				if sev := f["severity"]; sev != "error" && sev != "warning" && sev != "hint" {
					t.Errorf("severity %v", sev)
				}
				if msg, _ := f["message"].(string); !strings.ContainsFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
					t.Errorf("message %q is not in Chinese", msg)
				}
				if _, ok := f["suggestion"].(string); !ok {
					t.Errorf("finding without a suggestion field: %v", f)
				}
			}
		}
		return rules, cats
	}

	save()
	rules, cats := check()
	offered := map[string]proofread.Category{}
	for _, r := range proofread.Rules() {
		offered[r.ID] = r.Category
		if _, ok := rules[r.ID]; !ok && r.ID != "T03" {
			t.Errorf("rule %s (%s) does not fire on the samples", r.ID, r.Description)
		}
	}
	for id := range rules {
		if _, ok := offered[id]; !ok {
			t.Errorf("rule %s fires but the settings page cannot switch it off", id)
		}
	}
	var names []string
	for _, cat := range proofread.Categories() {
		names = append(names, string(cat))
	}
	if want := []string{"typo", "punctuation", "repetition", "format", "term", "number", "custom"}; !slices.Equal(names, want) {
		t.Fatalf("categories %v, want %v", names, want)
	}
	for cat := range cats {
		if !slices.Contains(names, cat) {
			t.Errorf("category %q is not one of the issue's names", cat)
		}
	}
	for _, cat := range names {
		if cats[cat] == 0 {
			t.Errorf("no %s finding", cat)
		}
	}
	// The settings page offers every rule and every category.
	_, body, _ := admin.get("/settings/proofread")
	for id := range offered {
		if !strings.Contains(body, `data-testid="rule-`+id+`"`) {
			t.Errorf("settings page lacks rule %s", id)
		}
	}
	for _, cat := range names {
		if !strings.Contains(body, `data-testid="category-`+cat+`"`) {
			t.Errorf("settings page lacks category %s", cat)
		}
	}

	// Each switch, one at a time.
	switches := slices.Sorted(maps.Keys(rules))
	switches = append(switches, names...)
	for _, off := range switches {
		save(off)
		gotRules, gotCats := check()
		if gotRules[off] > 0 || gotCats[off] > 0 {
			t.Errorf("%s switched off but still fires", off)
		}
		for id, n := range rules {
			if id != off && string(offered[id]) != off && gotRules[id] == 0 && id != "T03" {
				t.Errorf("switching %s off also stopped %s (%d before)", off, id, n)
			}
		}
	}
}

// TestProofreadOpenAPI: every answer the proofreading endpoints give is in
// openapi.json under its path and method.
func TestProofreadOpenAPI(t *testing.T) {
	e := newProofEnv(t, false)
	rec := e.proofDraft(document.Unclassified)
	off := newDocEnv(t)
	offRec := off.proofDraft(document.Unclassified)

	c := e.client()
	c.login("wenmi", demo.Password)
	_, spec, _ := c.call("GET", "/api/v1/openapi.json", nil)
	paths := spec["paths"].(map[string]any)
	documented := func(path, method string, code int) bool {
		p, ok := paths[path].(map[string]any)
		if !ok {
			return false
		}
		m, ok := p[method].(map[string]any)
		if !ok {
			return false
		}
		_, ok = m["responses"].(map[string]any)[strconv.Itoa(code)]
		return ok
	}
	oc := off.client()
	oc.login("wenmi", demo.Password)
	other := e.client()
	other.login("chengban", demo.Password) // another organ
	colleague := e.client()
	colleague.login("ducha", demo.Password) // may read, holds no task
	auditor := e.client()
	auditor.login("auditor", demo.Password)
	doc := "/api/v1/documents/" + rec.ID + "/proofread"
	for _, call := range []struct {
		who          *client
		method, path string
		body         any
		want         int
		spec         string
	}{
		{c, "POST", "/api/v1/proofread", map[string]any{"text": "其它"}, 200, "/proofread"},
		{c, "POST", "/api/v1/proofread", map[string]any{}, 400, "/proofread"},
		{auditor, "POST", "/api/v1/proofread", map[string]any{"text": "其它"}, 403, "/proofread"},
		{oc, "POST", "/api/v1/proofread", map[string]any{"text": "其它"}, 503, "/proofread"},
		{c, "GET", doc, nil, 200, "/documents/{id}/proofread"},
		{other, "GET", doc, nil, 403, "/documents/{id}/proofread"},
		{c, "GET", "/api/v1/documents/no-such-doc/proofread", nil, 404, "/documents/{id}/proofread"},
		{oc, "GET", "/api/v1/documents/" + offRec.ID + "/proofread", nil, 503, "/documents/{id}/proofread"},
		{c, "POST", doc, map[string]any{"op": "ignore", "key": "term/W01/其它"}, 200, "/documents/{id}/proofread"},
		{c, "POST", doc, map[string]any{"op": 5}, 400, "/documents/{id}/proofread"},
		{other, "POST", doc, map[string]any{"op": "ignore", "key": "term/W01/其它"}, 403, "/documents/{id}/proofread"},
		{c, "POST", "/api/v1/documents/no-such-doc/proofread", map[string]any{"op": "ignore", "key": "term/W01/其它"}, 404, "/documents/{id}/proofread"},
		{colleague, "POST", doc, map[string]any{"op": "ignore", "key": "term/W01/其它"}, 422, "/documents/{id}/proofread"},
		{c, "POST", doc, map[string]any{"op": "accept", "key": "typo/T01/己经", "part": "body", "index": 1, "start": 3, "version": 9}, 409, "/documents/{id}/proofread"},
		{oc, "POST", "/api/v1/documents/" + offRec.ID + "/proofread", map[string]any{"op": "accept", "key": "typo/T01/己经", "part": "body", "index": 1, "start": 3}, 503, "/documents/{id}/proofread"},
	} {
		code, out, _ := call.who.call(call.method, call.path, call.body)
		if code != call.want {
			t.Errorf("%s %s %v: %d %v, want %d", call.method, call.path, call.body, code, out, call.want)
		}
		if !documented(call.spec, strings.ToLower(call.method), code) {
			t.Errorf("openapi.json lacks %d for %s %s", code, call.method, call.spec)
		}
	}
}

// TestProofreadIgnoreIsPerDocument: "not an error" on one document hides the
// finding there only; the same slip in another draft is still flagged.
func TestProofreadIgnoreIsPerDocument(t *testing.T) {
	e := newProofEnv(t, false)
	one, two := e.proofDraft(document.Unclassified), e.proofDraft(document.Unclassified)
	c := e.client()
	c.login("wenmi", demo.Password)
	if code, _, _ := c.call("POST", "/api/v1/documents/"+one.ID+"/proofread", map[string]any{"op": "ignore", "key": "term/W01/其它"}); code != 200 {
		t.Fatalf("ignore: %d", code)
	}
	_, out, _ := c.call("GET", "/api/v1/documents/"+one.ID+"/proofread", nil)
	if findingWith(findingsOf(t, out), "其它") != nil {
		t.Error("the marked finding still shows on its document")
	}
	_, out, _ = c.call("GET", "/api/v1/documents/"+two.ID+"/proofread", nil)
	if findingWith(findingsOf(t, out), "其它") == nil {
		t.Error("a mark on one document hides the finding on another")
	}
	if _, body, _ := c.get("/docs/" + two.ID + "/edit"); !strings.Contains(body, `data-key="term/W01/其它"`) {
		t.Error("the other draft's editor does not flag 其它")
	}
}

// TestProofreadDoubleClick: the same 采纳 sent several times at once (a
// double click, two tabs) makes one new version and counts one.
func TestProofreadDoubleClick(t *testing.T) {
	e := newProofEnv(t, false)
	ctx := context.Background()
	rec := e.proofDraft(document.Unclassified)
	c := e.client()
	c.login("wenmi", demo.Password)
	_, body, _ := c.get("/docs/" + rec.ID + "/edit")
	f := acceptFields(t, body, "typo/T01/己经")
	f.Set("csrf", c.csrf)
	var wg sync.WaitGroup
	codes := make(chan int, 3)
	for range 3 {
		wg.Go(func() {
			resp, err := c.http.PostForm(e.srv.URL+"/docs/"+rec.ID+"/proofread", f)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	ok := 0
	for code := range codes {
		switch code {
		case http.StatusSeeOther:
			ok++
		case http.StatusConflict: // 已被他人修改，请刷新
		default:
			t.Errorf("status %d", code)
		}
	}
	got, _ := e.store.Document(ctx, rec.ID)
	if ok != 1 || got.Version != 2 {
		t.Errorf("%d acceptances went through, version %d", ok, got.Version)
	}
	if counts, _ := e.store.AcceptedCounts(ctx, rec.ID); !maps.Equal(counts, map[string]int{"draft": 1}) {
		t.Errorf("counts: %v", counts)
	}
}

// TestAcceptAtOnce: two reviewers at 核稿 click 采纳 on the same finding at
// the same moment, on the page and through the API. One acceptance makes a
// version; the other is told plainly that the text changed (409, 已被他人修改，
// 请刷新) — never a database error — on both stores.
func TestAcceptAtOnce(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		e := newProofEnvOn(t, s, c, false)
		ctx := context.Background()
		office := e.unit("政府办")
		var reviewers []*client
		for _, a := range e.d.Roles {
			if a.Role == org.RoleClerk && a.UnitID == office.ID && len(reviewers) < 2 {
				r := e.client()
				r.login(e.person(a.PersonID).Login, demo.Password)
				reviewers = append(reviewers, r)
			}
		}
		if len(reviewers) != 2 {
			t.Fatalf("%d reviewers in 政府办", len(reviewers))
		}
		for round, api := range []bool{false, true} {
			rec := e.proofDraft(document.Unclassified)
			e.toReview(rec)
			var forms []url.Values
			for _, r := range reviewers {
				_, body, _ := r.get("/docs/" + rec.ID + "/proofread")
				forms = append(forms, acceptFields(t, body, "typo/T01/己经"))
			}
			type answer struct {
				code int
				body string
			}
			answers := make([]answer, len(reviewers))
			var wg sync.WaitGroup
			for i, r := range reviewers {
				f := forms[i]
				wg.Go(func() {
					var req *http.Request
					if api {
						n, _ := strconv.Atoi(f.Get("version"))
						idx, _ := strconv.Atoi(f.Get("index"))
						start, _ := strconv.Atoi(f.Get("start"))
						b, _ := json.Marshal(map[string]any{"op": "accept", "key": f.Get("key"), "part": f.Get("part"), "index": idx, "start": start, "version": n})
						req, _ = http.NewRequest("POST", e.srv.URL+"/api/v1/documents/"+rec.ID+"/proofread", bytes.NewReader(b))
						req.Header.Set("Content-Type", "application/json")
						req.Header.Set("X-CSRF-Token", r.csrf)
					} else {
						f.Set("csrf", r.csrf)
						req, _ = http.NewRequest("POST", e.srv.URL+"/docs/"+rec.ID+"/proofread", strings.NewReader(f.Encode()))
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					}
					resp, err := r.http.Do(req)
					if err != nil {
						answers[i] = answer{0, err.Error()}
						return
					}
					defer resp.Body.Close()
					b, _ := io.ReadAll(resp.Body)
					answers[i] = answer{resp.StatusCode, string(b)}
				})
			}
			wg.Wait()
			ok, conflicts := 0, 0
			for _, a := range answers {
				switch {
				case a.code == http.StatusSeeOther || a.code == http.StatusOK:
					ok++
				case a.code == http.StatusConflict && strings.Contains(a.body, "已被他人修改，请刷新"):
					conflicts++
				default:
					t.Errorf("round %d: answer %d %s", round, a.code, firstLines(a.body, "<div class=\"alert", 3))
				}
			}
			if ok != 1 || conflicts != 1 {
				t.Errorf("round %d (api %v): %d accepted, %d conflicts", round, api, ok, conflicts)
			}
			got, _ := e.store.Document(ctx, rec.ID)
			if counts, _ := e.store.AcceptedCounts(ctx, rec.ID); got.Version != 2 || counts["review"] != 1 {
				t.Errorf("round %d: v%d, counts %v", round, got.Version, counts)
			}
		}
	})
}
