package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// TestFieldLimits (issue 11): a 50,000-character title — once accepted, its
// PDF took 153 s — is refused over the API and the form with 400 and a
// Chinese message naming the field, the limit and the count; the form comes
// back with everything else as typed; nothing is written.
func TestFieldLimits(t *testing.T) {
	forEachDocEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		count := func() int {
			n, err := e.store.CountDocuments(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		c := e.client()
		c.login("wenmi", demo.Password)
		_, page, _ := c.get("/docs/new")
		unitID := firstOption.FindStringSubmatch(page)[1]
		town := e.towns(1)[0].ID
		id := c.createDraft("清澜区人民政府办公室关于做好冬季防火工作的通知", "0", town)
		before := count()
		long := strings.Repeat("长", 50_000)
		const msg = "标题不能超过 200 字（现有 50000 字）"

		// The form: 400, the message, and the body, 附注 and 附件说明 as typed.
		f := draftForm(long, "0", town)
		f.Set("unit_id", unitID)
		f.Set("note", "（联系人：张明 电话：1234567）")
		f.Set("attachment_note", "防火检查表")
		code, body, _ := c.postMultipart("/docs/new", f, "", "", nil)
		if code != http.StatusBadRequest || !strings.Contains(body, msg) {
			t.Errorf("form: %d %s", code, firstLines(body, `<div class="alert`, 3))
		}
		for _, typed := range []string{"一、高度重视", "（一）压实责任。", f.Get("note"), "防火检查表"} {
			if !strings.Contains(html.UnescapeString(body), typed) {
				t.Errorf("the form lost %q", typed)
			}
		}
		// The JSON API.
		doc := document.Document{Type: document.Notice, Title: long, Body: document.ParseBody(draftBody)}
		code, out, _ := c.call("POST", "/api/v1/documents", map[string]any{"unit_id": unitID, "document": doc, "to": []string{town}})
		if code != http.StatusBadRequest || out["error"] != msg {
			t.Errorf("API: %d %v", code, out)
		}
		// Incoming registration through the API reaches the store's check.
		code, out, _ = c.call("POST", "/api/v1/incoming", map[string]any{"unit_id": unitID, "sender": "市政府办公室", "document": doc})
		if code != http.StatusBadRequest || out["error"] != msg {
			t.Errorf("incoming API: %d %v", code, out)
		}
		// A save of the draft: 400, the editor again with the input.
		edit := url.Values{"type": {"notice"}, "title": {long}, "body": {draftBody + "\n三、加强检查"}, "version": {"1"}}
		code, body, _ = c.post("/docs/"+id+"/edit", edit)
		if code != http.StatusBadRequest || !strings.Contains(body, msg) || !strings.Contains(body, "三、加强检查") {
			t.Errorf("edit: %d %s", code, firstLines(body, `<div class="alert`, 3))
		}
		if n := count(); n != before {
			t.Errorf("%d documents stored from refused input", n-before)
		}
		if rec, _ := e.store.Document(ctx, id); rec.Version != 1 || rec.Doc.Title == long {
			t.Errorf("the refused save was written: version %d", rec.Version)
		}
		// A body just over 200,000 characters.
		doc = document.Document{Type: document.Notice, Title: "清澜区人民政府办公室关于做好冬季防火工作的通知",
			Body: document.ParseBody(strings.Repeat("正", document.MaxBody+1))}
		code, out, _ = c.call("POST", "/api/v1/documents", map[string]any{"unit_id": unitID, "document": doc, "to": []string{town}})
		if code != http.StatusBadRequest || out["error"] != "正文不能超过 200000 字（现有 200001 字）" {
			t.Errorf("long body: %d %v", code, out)
		}
		// A search query.
		if code, body, _ := c.get("/docs?q=" + strings.Repeat("查", 201)); code != http.StatusBadRequest || !strings.Contains(body, "搜索词不能超过 200 字（现有 201 字）") {
			t.Errorf("long query: %d %s", code, firstLines(body, `<div class="alert`, 3))
		}

		// 督办立项 over the API and the form.
		sup := e.client()
		sup.login("ducha", demo.Password)
		item := map[string]any{"source": "leader", "title": long, "instruction": "请抓紧落实", "instructor": e.byLogin("lingdao").ID,
			"lead_unit": e.unit("区住建局").ID, "workdays": "10", "schedule": "每周五"}
		if code, out, _ := sup.call("POST", "/api/v1/supervise/items", item); code != http.StatusBadRequest || out["error"] != "督办事项标题不能超过 200 字（现有 50000 字）" {
			t.Errorf("立项 API: %d %v", code, out)
		}
		form := url.Values{"instruction": {"请抓紧落实，月底前报结果"}}
		for k, v := range item {
			if form.Get(k) == "" {
				form.Set(k, v.(string))
			}
		}
		code, body, _ = sup.post("/supervise", form)
		if code != http.StatusBadRequest || !strings.Contains(body, "督办事项标题不能超过 200 字") || !strings.Contains(body, "请抓紧落实，月底前报结果") {
			t.Errorf("立项 form: %d %s", code, firstLines(body, `<div class="alert`, 3))
		}
		if n, _ := e.store.CountSupItems(ctx, store.SupFilter{}); n != 0 {
			t.Errorf("%d items stored from refused input", n)
		}
	})
}
