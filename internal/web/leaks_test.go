package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// The leaks of classified content found when the system was attacked (issue
// 11): every place that shows anything of a document — a title in a bulk
// result, a prefilled form, the document a supervision item names, an
// earlier version — asks the access decision first, and a refusal is
// audited with the document named. Each test runs on both stores.

// forEachDocEnv runs fn on a demo district served over HTTP, on SQLite and
// on PostgreSQL.
func forEachDocEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)} // 09:30 in Beijing, a Monday
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
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
		fn(t, &env{t: t, srv: ts, store: s, clock: c, d: d})
	})
}

// secretTitle names the 机密 document the tests try to see.
const secretTitle = "中共清澜区委办公室关于绝不可外泄的机密事项的通知"

// secretDoc has the 机要员 of 区委办 (cleared for 机密) draft a 机密 document.
func (e *env) secretDoc() store.DocRecord {
	e.t.Helper()
	jiyao := e.byLogin("jiyao")
	office := e.unit("区委办")
	rec, err := e.store.CreateOutgoing(context.Background(), jiyao, store.NewOutgoing{UnitID: e.child(office.ID, "机要科").ID, Doc: document.Document{
		Type: document.Notice, Title: secretTitle, Classification: document.Classification{Level: document.Secret, PeriodYears: 10},
		Body: document.ParseBody("各单位：\n一、机密内容")}})
	if err != nil {
		e.t.Fatal(err)
	}
	return rec
}

// refusals returns the audited refusals naming a document.
func (e *env) refusals(docID string) []audit.Entry {
	e.t.Helper()
	es, err := e.store.ListAudit(context.Background(), store.AuditFilter{Action: "access.deny", Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []audit.Entry
	for _, en := range es {
		if en.ObjectID == docID {
			out = append(out, en)
		}
	}
	return out
}

// TestBulkSignForLeaks: bulk 签收 (the API and the form) answers a document
// the caller may not open — or one that does not exist — with the same
// words and without its title, and audits the refusal; and it signs for
// only: a 登记 task sent to it is refused and the document stays at 登记,
// without a 收文编号.
func TestBulkSignForLeaks(t *testing.T) {
	forEachDocEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		secret := e.secretDoc()
		c := e.client()
		c.login("wenmi", demo.Password) // 秘密 clearance, 政府办

		code, out, _ := c.call("POST", "/api/v1/documents/sign-for", map[string]any{"items": []map[string]any{
			{"document": secret.ID, "task": 1}, {"document": "00000000-0000-0000-0000-000000000000", "task": 1}}})
		res, _ := out["results"].([]any)
		if code != http.StatusOK || len(res) != 2 {
			t.Fatalf("sign-for: %d %v", code, out)
		}
		for i, x := range res {
			r := x.(map[string]any)
			if r["ok"] != false || r["message"] != "文件不存在或您无权办理" || strings.Contains(r["title"].(string), "机密") {
				t.Errorf("result %d: %v", i, r)
			}
		}
		if n := len(e.refusals(secret.ID)); n != 1 {
			t.Errorf("%d refusals audited for the 机密 document, want 1", n)
		}
		c.get("/docs")
		code, body, _ := c.post("/docs/signfor", url.Values{"item": {secret.ID + ":1"}})
		if code != http.StatusOK || strings.Contains(body, secretTitle) || !strings.Contains(body, "文件不存在或您无权办理") {
			t.Errorf("form sign-for: %d, title shown %v", code, strings.Contains(body, secretTitle))
		}
		if n := len(e.refusals(secret.ID)); n != 2 {
			t.Errorf("%d refusals audited after the form, want 2", n)
		}
		if got, _ := e.store.Document(ctx, secret.ID); got.Step != "起草" {
			t.Errorf("the 机密 document moved: %s", got.Step)
		}

		// An incoming document in the clerk's own office: 签收 in bulk works,
		// and its 登记 task sent to the same endpoint is refused.
		in, err := e.store.RegisterIncoming(ctx, e.byLogin("jiyao"), e.unit("政府办").ID, document.Document{Type: document.Notice,
			Title: "关于报送年度工作总结的通知", Body: document.ParseBody("请于月底前报送。")}, "市政府办公室")
		if err != nil {
			t.Fatal(err)
		}
		code, out, _ = c.call("POST", "/api/v1/documents/sign-for", map[string]any{"items": []map[string]any{{"document": in.ID, "task": 1}}})
		if r := out["results"].([]any)[0].(map[string]any); code != 200 || r["ok"] != true || r["title"] != in.Doc.Title {
			t.Fatalf("signing for one's own incoming: %d %v", code, out)
		}
		inst, _ := e.store.Instance(ctx, in.ID)
		register := inst.OpenTasks()[0]
		if inst.Template.Steps[register.Step].Key != "register" {
			t.Fatalf("after 签收: %s", inst.CurrentStep().Key)
		}
		code, out, _ = c.call("POST", "/api/v1/documents/sign-for", map[string]any{"items": []map[string]any{{"document": in.ID, "task": register.ID}}})
		if r := out["results"].([]any)[0].(map[string]any); code != 200 || r["ok"] != false || !strings.Contains(r["message"].(string), "不在“签收”环节") {
			t.Errorf("the 登记 task through bulk 签收: %d %v", code, out)
		}
		c.get("/docs")
		if _, body, _ := c.post("/docs/signfor", url.Values{"item": {in.ID + ":" + strconv.Itoa(register.ID)}}); !strings.Contains(body, "不在“签收”环节") {
			t.Error("the 登记 task through the bulk form was not refused")
		}
		if got, _ := e.store.Document(ctx, in.ID); got.Step != "登记" || got.InNumber != "" {
			t.Errorf("the document was registered through bulk 签收: %s %q", got.Step, got.InNumber)
		}
	})
}
