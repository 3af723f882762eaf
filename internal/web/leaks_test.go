package web_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
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

// instructed registers an incoming document at 政府办 at level and walks it
// to the 副区长's 批办; it returns the document and the instruction.
func (e *env) instructed(title string, level document.Level) (store.DocRecord, string) {
	e.t.Helper()
	office := e.unit("政府办")
	doc := document.Document{Type: document.Notice, Title: title, Body: document.ParseBody("请抓紧推进。")}
	if level > document.Unclassified {
		doc.Classification = document.Classification{Level: level, PeriodYears: 1}
	}
	rec, err := e.store.RegisterIncoming(context.Background(), e.byLogin("jiyao"), office.ID, doc, "市政府办公室")
	if err != nil {
		e.t.Fatal(err)
	}
	clerk, director, leader := e.byLogin("wenmi"), e.withRole(org.RoleOfficeDirector, office.ID), e.byLogin("lingdao")
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Comment: "签收"})
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Comment: "登记"})
	e.act(director, rec.ID, route.Request{Op: route.Approve, Comment: "拟请分管副区长阅示", Next: []route.NextTask{
		{Assignee: route.Assignee{Kind: route.Person, Person: leader.ID}}}})
	instruction := "请区住建局牵头，月底前报送推进方案（" + level.Label() + "）。"
	e.act(leader, rec.ID, route.Request{Op: route.Approve, Comment: instruction, Next: []route.NextTask{
		{Assignee: route.Assignee{Kind: route.Person, Person: director.ID}, Lead: true}}})
	return rec, instruction
}

// TestSuperviseRefLeaks: the 立项 form shows the title and the 批示 of the
// named document only to a 督查员 who may open it (a refusal, audited, reads
// like a missing document); 立项 through the API refuses a ref the 督查员 may
// not open — a classified document, an all-zero ID — and takes the
// instruction and the instructor from the document's 批办, not from the
// request; the item page shows the document's title only to readers who may
// open the document.
func TestSuperviseRefLeaks(t *testing.T) {
	forEachDocEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		secret := e.secretDoc()
		confidential, secretWords := e.instructed("关于秘密级重点项目的通知", document.Confidential)
		open, words := e.instructed("关于推进老旧小区改造的通知", document.Unclassified)
		sup := e.client()
		sup.login("ducha", demo.Password) // 督查员 of 政府办, 秘密 clearance, on neither route

		for _, doc := range []store.DocRecord{secret, confidential} {
			code, body, _ := sup.get("/supervise/new?doc=" + doc.ID)
			if code != http.StatusOK || strings.Contains(body, doc.Doc.Title) || strings.Contains(body, secretWords) || !strings.Contains(body, "所引来文不存在或您无权查看") {
				t.Errorf("立项 form on %s: %d, title shown %v, 批示 shown %v", doc.Doc.Classification.Level.Label(), code,
					strings.Contains(body, doc.Doc.Title), strings.Contains(body, secretWords))
			}
			if n := len(e.refusals(doc.ID)); n != 1 {
				t.Errorf("%d refusals audited for the %s document", n, doc.Doc.Classification.Level.Label())
			}
		}
		// The 非密 one is prefilled from its 批办.
		if code, body, _ := sup.get("/supervise/new?doc=" + open.ID); code != 200 || !strings.Contains(body, open.Doc.Title) || !strings.Contains(body, words) {
			t.Errorf("立项 form on the 非密 document: %d", code)
		}

		item := func(ref string) map[string]any {
			return map[string]any{"source": "instruction", "ref": ref, "title": "编造的督办事项", "instruction": "编造的批示",
				"instructor": e.byLogin("ducha").ID, "lead_unit": e.unit("区住建局").ID, "workdays": "10", "schedule": "每周五"}
		}
		for _, ref := range []string{"00000000-0000-0000-0000-000000000000", secret.ID, confidential.ID} {
			if code, out, _ := sup.call("POST", "/api/v1/supervise/items", item(ref)); code != http.StatusUnprocessableEntity || out["error"] != "所引来文不存在或您无权查看" {
				t.Errorf("立项 with ref %s: %d %v", ref, code, out)
			}
		}
		if n := len(e.refusals(secret.ID)); n != 2 {
			t.Errorf("%d refusals audited for the 机密 document after the API", n)
		}
		if n, _ := e.store.CountSupItems(ctx, store.SupFilter{}); n != 0 {
			t.Fatalf("%d items made from refused refs", n)
		}
		code, out, _ := sup.call("POST", "/api/v1/supervise/items", item(open.ID))
		if code != http.StatusCreated || out["instruction"] != words || out["instructor"] != e.byLogin("lingdao").ID || out["ref"] != open.ID {
			t.Fatalf("立项 from the 非密 document: %d %v", code, out)
		}
		id := out["id"].(string)
		// The lead unit's responsible person reads the item, but may not open
		// the 政府办 document it came from: no title, refusal audited.
		handler := e.client()
		lead := e.person(out["units"].([]any)[0].(map[string]any)["responsible"].(string))
		handler.login(lead.Login, demo.Password)
		before := len(e.refusals(open.ID))
		code, body, _ := handler.get("/supervise/items/" + id)
		if code != 200 || strings.Contains(body, open.Doc.Title) || !strings.Contains(body, "来文（您无权查看该文件）") {
			t.Errorf("item page for the lead unit: %d, document title shown %v", code, strings.Contains(body, open.Doc.Title))
		}
		if n := len(e.refusals(open.ID)); n != before+1 {
			t.Errorf("refusal on the item page not audited (%d → %d)", before, n)
		}
		// The 督查员, who may open it, sees it linked.
		if _, body, _ := sup.get("/supervise/items/" + id); !strings.Contains(body, `data-testid="sup-doc-link">`+open.Doc.Title) {
			t.Error("the 督查员 does not see the document linked")
		}
	})
}

// TestClassifyAndVersionLevels replays the exploit: the drafter can
// no longer change the 密级 by saving (not raise her draft, not lower a 机密
// one); 定密, 变更密级 and 解密 are done on their own form by the organ's 定密
// 责任人 only (others refused, audited), from the version shown, with a
// basis, audited with the old and the new marking; and after a 机密 document
// is lowered to 非密, a member of the unit not cleared for 机密 opens it but
// not its 机密 versions — not the diff (page and API, refusals audited), not
// their notes in the version lists.
func TestClassifyAndVersionLevels(t *testing.T) {
	forEachDocEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		secret := e.secretDoc()
		office := e.unit("区委办")
		director := e.withRole(org.RoleOfficeDirector, office.ID) // 机密 clearance, the organ's 定密责任人
		if err := e.store.Write(ctx, func(tx *store.Tx) error {
			return tx.AddGrant(ctx, store.Grant{ID: "g-director", PersonID: director.ID, ObjectKind: "document", ObjectID: secret.ID, GrantedBy: e.byLogin("secadmin").ID})
		}); err != nil {
			t.Fatal(err)
		}
		drafter := e.client()
		drafter.login("jiyao", demo.Password)
		dir := e.client()
		dir.login(director.Login, demo.Password)
		member := e.client()
		member.login(e.withRole(org.RoleClerk, office.ID).Login, demo.Password) // 秘密 clearance

		// Saving cannot change the marking: the editor has no such field (a
		// forged one is ignored), the API refuses another marking and keeps
		// the stored one when none is sent.
		if _, body, _ := drafter.get("/docs/" + secret.ID + "/edit"); strings.Contains(body, `name="level"`) || !strings.Contains(body, "机密★10年") {
			t.Error("the editor still offers the 密级, or does not show it")
		}
		f := url.Values{"type": {string(secret.Doc.Type)}, "title": {secret.Doc.Title}, "body": {secret.Doc.Body.String()},
			"level": {"0"}, "period": {""}, "version": {"1"}}
		if code, _, _ := drafter.post("/docs/"+secret.ID+"/edit", f); code != http.StatusSeeOther {
			t.Fatalf("editor save: %d", code)
		}
		lowered := secret.Doc
		lowered.Classification = document.Classification{Level: document.Confidential, PeriodYears: 1}
		if code, out, _ := drafter.call("POST", "/api/v1/documents/"+secret.ID+"/versions", map[string]any{"document": lowered}); code != http.StatusUnprocessableEntity || !strings.Contains(out["error"].(string), "变更密级") {
			t.Errorf("API save lowering to 秘密: %d %v", code, out)
		}
		unmarked := secret.Doc
		unmarked.Classification = document.Classification{}
		if code, out, _ := drafter.call("POST", "/api/v1/documents/"+secret.ID+"/versions", map[string]any{"document": unmarked, "base_version": 2}); code != http.StatusCreated {
			t.Errorf("API save without a marking: %d %v", code, out)
		}
		if code, out, _ := drafter.call("POST", "/api/v1/documents/"+secret.ID+"/versions", map[string]any{"document": unmarked, "base_version": 2}); code != http.StatusConflict || out["error"] != "已被他人修改，请刷新后重试" {
			t.Errorf("API save from a stale version: %d %v", code, out)
		}
		got, _ := e.store.Document(ctx, secret.ID)
		if got.Version != 3 || got.Doc.Classification != secret.Doc.Classification {
			t.Fatalf("after the saves: v%d %s", got.Version, got.Doc.Classification)
		}
		// A 批注 on a 机密 passage, which the next version deletes: its quote
		// is the 机密 text.
		text := []rune(got.Doc.Text())
		at := strings.Index(string(text), "机密内容")
		start := len([]rune(string(text)[:at]))
		if code, out, _ := drafter.call("POST", "/api/v1/documents/"+secret.ID+"/annotations", map[string]any{"start": start, "end": start + 4, "comment": "此段须删去"}); code != http.StatusCreated {
			t.Fatalf("批注: %d %v", code, out)
		}
		redacted := got.Doc
		redacted.Body = document.ParseBody("各单位：\n一、已公开的事项")
		if code, out, _ := drafter.call("POST", "/api/v1/documents/"+secret.ID+"/versions", map[string]any{"document": redacted, "base_version": 3}); code != http.StatusCreated {
			t.Fatalf("redacting save: %d %v", code, out)
		}
		if code, _, _ := member.get("/docs/" + secret.ID); code != http.StatusForbidden {
			t.Fatalf("uncleared member before 解密: %d", code)
		}
		if rs := e.refusals(secret.ID); len(rs) != 1 || rs[0].ObjectKind != "document" || !strings.Contains(rs[0].Detail, "机密") {
			t.Errorf("the refused opening is not audited naming the document: %+v", rs)
		}

		// Only the 定密责任人 is offered the form, and may use it.
		if _, body, _ := drafter.get("/docs/" + secret.ID); strings.Contains(body, `data-testid="classify"`) {
			t.Error("the drafter is offered 变更密级")
		}
		declassify := url.Values{"level": {"0"}, "period": {""}, "basis": {"已公开发布"}, "version": {"4"}}
		if code, _, _ := drafter.post("/docs/"+secret.ID+"/classify", maps.Clone(declassify)); code != http.StatusForbidden {
			t.Errorf("the drafter declassifies: %d", code)
		}
		if code, out, _ := drafter.call("POST", "/api/v1/documents/"+secret.ID+"/classification", map[string]any{"classification": map[string]any{"level": "unclassified"}, "basis": "x", "version": 4}); code != http.StatusForbidden {
			t.Errorf("the drafter declassifies through the API: %d %v", code, out)
		}
		denied, _ := e.store.ListAudit(ctx, store.AuditFilter{Action: "access.deny", ActorID: e.byLogin("jiyao").ID})
		if len(denied) != 2 || denied[0].ObjectID != secret.ID || !strings.Contains(denied[0].Detail, "定密责任人") {
			t.Errorf("%d refusals of 变更密级 audited, want 2", len(denied))
		}
		_, body, _ := dir.get("/docs/" + secret.ID)
		if !strings.Contains(body, `data-testid="classify-form"`) {
			t.Fatal("the 定密责任人 is not offered 变更密级")
		}
		noBasis := url.Values{"level": {"0"}, "basis": {" "}, "version": {"4"}}
		if code, body, _ := dir.post("/docs/"+secret.ID+"/classify", noBasis); code != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写解密的依据") {
			t.Errorf("without a basis: %d", code)
		}
		stale := url.Values{"level": {"0"}, "basis": {"已公开发布"}, "version": {"3"}}
		if code, body, _ := dir.post("/docs/"+secret.ID+"/classify", stale); code != http.StatusConflict || !strings.Contains(body, "已被他人修改，请刷新") {
			t.Errorf("from a stale page: %d", code)
		}
		if code, body, h := dir.post("/docs/"+secret.ID+"/classify", declassify); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "done=classify") {
			t.Fatalf("解密: %d %s %s", code, h.Get("Location"), firstLines(body, "<div class=\"alert", 3))
		}
		es, _ := e.store.ListAudit(ctx, store.AuditFilter{Action: "document.declassify"})
		if len(es) != 1 || es[0].ActorID != director.ID || !strings.Contains(es[0].Detail, `"from":"机密★10年"`) || !strings.Contains(es[0].Detail, `"to":"非密"`) || !strings.Contains(es[0].Detail, "已公开发布") {
			t.Errorf("解密 audit: %+v", es)
		}

		// Now 非密: the member opens it, but not its 机密 versions.
		if code, _, _ := member.get("/docs/" + secret.ID); code != 200 {
			t.Fatalf("member after 解密: %d", code)
		}
		before := len(e.refusals(secret.ID))
		if code, body, _ := member.get("/docs/" + secret.ID + "/diff?from=1&to=5"); code != http.StatusForbidden || !strings.Contains(body, "第 1 版为机密") || strings.Contains(body, "机密内容") {
			t.Errorf("member's diff of the 机密 version: %d", code)
		}
		if code, out, _ := member.call("GET", "/api/v1/documents/"+secret.ID+"/diff?from=3&to=5", nil); code != http.StatusForbidden {
			t.Errorf("member's API diff: %d %v", code, out)
		}
		if n := len(e.refusals(secret.ID)); n != before+2 {
			t.Errorf("%d refusals of earlier versions audited, want 2", n-before)
		}
		_, out, _ := member.call("GET", "/api/v1/documents/"+secret.ID+"/versions", nil)
		vs, _ := out["versions"].([]any)
		if len(vs) != 5 {
			t.Fatalf("versions: %v", out)
		}
		for i, x := range vs {
			v := x.(map[string]any)
			want := map[bool]string{true: "secret", false: "unclassified"}[i < 4]
			if v["level"] != want || (i < 4 && v["note"] != nil) || (i == 4 && v["note"] == nil) {
				t.Errorf("version %d as the member sees it: %v", i+1, v)
			}
		}
		if _, body, _ := member.get("/docs/" + secret.ID + "/edit"); strings.Count(body, "您的涉密等级不足以查看此版本") != 4 || !strings.Contains(body, "解密：机密★10年→非密（已公开发布）") {
			t.Error("the member's version list shows the 机密 versions' notes, or hides the 非密 one's")
		}
		// Nor the deleted 机密 passage a 批注 quotes (page and API); the 批注
		// itself shows.
		if _, body, _ := member.get("/docs/" + secret.ID + "/edit"); strings.Contains(body, "机密内容") || !strings.Contains(body, "此段须删去") {
			t.Error("the member's editor shows the deleted 机密 passage a 批注 quotes")
		}
		for _, path := range []string{"/annotations", ""} {
			_, out, _ := member.call("GET", "/api/v1/documents/"+secret.ID+path, nil)
			if b, _ := json.Marshal(out); strings.Contains(string(b), "机密内容") || !strings.Contains(string(b), "此段须删去") {
				t.Errorf("GET …%s shows the member the deleted 机密 passage", path)
			}
		}
		if _, body, _ := drafter.get("/docs/" + secret.ID + "/edit"); !strings.Contains(body, "<q>机密内容</q>") {
			t.Error("the drafter, cleared for it, does not see what the 批注 quotes")
		}
		// The 定密责任人 compares them, watermarked.
		if code, body, _ := dir.get("/docs/" + secret.ID + "/diff?from=1&to=5"); code != 200 || !strings.Contains(body, "watermark") {
			t.Errorf("the director's diff: %d", code)
		}
		// And may classify it again through the API.
		code, out, _ := dir.call("POST", "/api/v1/documents/"+secret.ID+"/classification", map[string]any{
			"classification": map[string]any{"level": "confidential", "period_years": 5}, "basis": "涉及未公开的后续安排", "version": 5})
		if code != 200 || out["document"].(map[string]any)["classification"].(map[string]any)["level"] != "confidential" {
			t.Errorf("定密 through the API: %d %v", code, out)
		}
	})
}

// TestSupListsOnlyReadable: the item lists (and so the workbench, the
// statistics' click-through and the 督办通报, which share their scope) show
// a person only items that person may open: for people of a unit on the item
// (whatever their section), for its 督查室, and for the leaders overseeing
// (分管) its units — to whom the overdue items are escalated — every listed
// item opens.
func TestSupListsOnlyReadable(t *testing.T) {
	forEachDocEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		if err := demo.SeedSupervision(ctx, e.store, e.d, e.clock.now()); err != nil {
			t.Fatal(err)
		}
		os, err := e.store.Oversight(ctx)
		if err != nil {
			t.Fatal(err)
		}
		logins := map[string]bool{"ducha": true, "chengban": true, "lingdao": true}
		for _, o := range os[:3] {
			logins[e.person(o.LeaderID).Login] = true
		}
		// Someone in the same section as a lead unit's responsible person.
		items, _ := e.store.SupItems(ctx, store.SupFilter{Limit: 20})
		for _, it := range items[:min(5, len(items))] {
			for _, p := range e.d.Positions {
				if p.UnitID == it.LeadUnit {
					logins[e.person(p.PersonID).Login] = true
					break
				}
			}
		}
		checked := 0
		for login := range logins {
			c := e.client()
			c.login(login, demo.Password)
			_, out, _ := c.call("GET", "/api/v1/supervise/items?tab=all&limit=50", nil)
			rows, _ := out["items"].([]any)
			for _, x := range rows {
				id := x.(map[string]any)["id"].(string)
				if code, out, _ := c.call("GET", "/api/v1/supervise/items/"+id, nil); code != 200 {
					t.Errorf("%s lists item %s but may not open it: %d %v", login, id, code, out["error"])
				}
				checked++
			}
		}
		if checked < 20 {
			t.Fatalf("only %d listed items checked", checked)
		}
	})
}

// TestAuditLogWithoutClassifiedTitles: the audit log is read by the auditor,
// who may not read business content; the entries of a classified document —
// created, received, opened, printed, refused — name it by ID and level,
// never by its title.
func TestAuditLogWithoutClassifiedTitles(t *testing.T) {
	forEachDocEnv(t, func(t *testing.T, e *env) {
		secret := e.secretDoc()
		in, err := e.store.RegisterIncoming(context.Background(), e.byLogin("jiyao"), e.unit("区委办").ID, document.Document{Type: document.Notice,
			Title: "关于机密来文的通知", Classification: document.Classification{Level: document.Secret}, Body: document.ParseBody("机密来文。")}, "市委办公室")
		if err != nil {
			t.Fatal(err)
		}
		jiyao := e.client()
		jiyao.login("jiyao", demo.Password)
		for _, path := range []string{"/docs/" + secret.ID, "/docs/" + secret.ID + "/sheet", "/api/v1/documents/" + in.ID} {
			if code, _, _ := jiyao.get(path); code != 200 {
				t.Fatalf("%s: %d", path, code)
			}
		}
		other := e.client()
		other.login("wenmi", demo.Password)
		other.get("/docs/" + secret.ID)
		auditor := e.client()
		auditor.login("auditor", demo.Password)
		code, out, _ := auditor.call("GET", "/api/v1/audit?limit=500", nil)
		b, _ := json.Marshal(out)
		if code != 200 || !strings.Contains(string(b), secret.ID) || !strings.Contains(string(b), in.ID) {
			t.Fatalf("audit log: %d", code)
		}
		for _, title := range []string{secretTitle, in.Doc.Title} {
			if strings.Contains(string(b), title) {
				t.Errorf("the audit log names the classified document 《%s》", title)
			}
		}
	})
}

// TestBrowserClassify: the 办公室主任 of 政府办 — its 定密责任人 — opens a 非密
// draft, opens 变更密级, sets 秘密★5年 with a basis and submits; the page
// confirms and shows the new marking. The drafter is offered no such form.
func TestBrowserClassify(t *testing.T) {
	e := newDocEnv(t)
	ctx := browser(t)
	w := &walker{t: t, ctx: ctx, e: e}
	office := e.unit("政府办")
	rec, err := e.store.CreateOutgoing(context.Background(), e.byLogin("wenmi"), store.NewOutgoing{UnitID: e.child(office.ID, "秘书科").ID,
		Doc: document.Document{Type: document.Notice, Title: "清澜区人民政府办公室关于年度重点项目安排的通知", Body: document.ParseBody("一、项目安排")}})
	if err != nil {
		t.Fatal(err)
	}
	w.as(e.byLogin("wenmi"))
	w.open(rec.ID)
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=classify]').length`))
	if err != nil || n != 0 {
		t.Error("the drafter is offered 变更密级")
	}
	w.as(e.withRole(org.RoleOfficeDirector, office.ID))
	w.open(rec.ID)
	w.do(chromedp.Click(`[data-testid=classify] summary`), chromedp.WaitVisible(`[data-testid=classify-form]`),
		chromedp.SetValue(`[data-testid=classify-level]`, "1"),
		chromedp.SetValue(`[data-testid=classify-period]`, "5"),
		chromedp.SetValue(`[data-testid=classify-basis]`, "涉及尚未公布的项目安排"))
	screenshot(t, ctx, "doc-classify-form")
	w.do(chromedp.Click(`[data-testid=classify-submit]`), chromedp.WaitVisible(`.alert`))
	if msg := w.text(`.alert`); !strings.Contains(msg, "密级已变更") {
		t.Fatalf("after 变更密级: %q", msg)
	}
	if tag := w.text(`[data-testid=classification]`); tag != "秘密★5年" {
		t.Errorf("marking shown: %q", tag)
	}
	screenshot(t, ctx, "doc-classified")
	if got, _ := e.store.Document(context.Background(), rec.ID); got.Doc.Classification != (document.Classification{Level: document.Confidential, PeriodYears: 5}) {
		t.Errorf("stored marking: %v", got.Doc.Classification)
	}
}
