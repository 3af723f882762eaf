package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// TestCopiesCarryIssuedText: distributing through the API typesets the issued
// text; the receiving copy's files API and page list it (PDF and OFD) with
// the attachment and their hashes, and the receiver's 校验 finds them 一致.
func TestCopiesCarryIssuedText(t *testing.T) {
	e := newProofEnv(t, true)
	rec := e.proofDraft(document.Unclassified)
	c := e.client()
	c.login("wenmi", demo.Password)
	if code, body, _ := c.postMultipart("/docs/"+rec.ID+"/files", url.Values{}, "files", "附件1 联系表.txt", []byte("联系人：张三 电话：0571-12345678")); code >= 400 {
		t.Fatalf("upload: %d %s", code, firstLines(body, `<div class="alert`, 2))
	}
	e.toReview(rec)
	e.toNumbered(rec)
	clerk := e.byLogin("wenmi")
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Comment: "复核无误"})
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-11-30", "copies": "10"}})
	a, _ := e.store.Actor(context.Background(), clerk.ID, e.store.Now())
	items, _ := e.store.OpenTasksFor(context.Background(), a, 100)
	task := -1
	for _, w := range items {
		if w.Doc.ID == rec.ID {
			task = w.TaskID
		}
	}
	if code, out, _ := c.call("POST", "/api/v1/documents/"+rec.ID+"/act", route.Request{Op: route.Approve, Task: task, Comment: "分发"}); code != 200 {
		t.Fatalf("distribute: %d %v", code, out)
	}
	copies, err := e.store.IncomingFrom(context.Background(), rec.ID)
	if err != nil || len(copies) != 1 {
		t.Fatalf("copies: %v %v", copies, err)
	}
	cp := copies[0]
	townClerk := e.withRole(org.RoleClerk, cp.UnitID)
	r := e.client()
	r.login(townClerk.Login, demo.Password)
	code, out, _ := r.call("GET", "/api/v1/documents/"+cp.ID+"/files", nil)
	files, _ := out["files"].([]any)
	if code != 200 || len(files) != 3 {
		t.Fatalf("receiver's files: %d %v", code, out)
	}
	roles := map[string]int{}
	for _, f := range files {
		m := f.(map[string]any)
		roles[m["role"].(string)]++
		if len(m["sha256"].(string)) != 64 {
			t.Errorf("no hash: %v", m)
		}
		if m["role"] == "issued" && !strings.HasPrefix(m["name"].(string), cp.Doc.Number.String()) {
			t.Errorf("issued text named %v", m["name"])
		}
	}
	if roles["issued"] != 2 || roles["attachment"] != 1 {
		t.Fatalf("roles: %v", roles)
	}
	code, out, _ = r.call("GET", "/api/v1/documents/"+cp.ID+"/files/verify", nil)
	checks, _ := out["files"].([]any)
	if code != 200 || len(checks) != 3 {
		t.Fatalf("verify: %d %v", code, out)
	}
	for _, ch := range checks {
		if m := ch.(map[string]any); m["ok"] != true || m["result"] != "一致" {
			t.Errorf("check: %v", m)
		}
	}
	_, page, _ := r.get("/docs/" + cp.ID + "?verify=1")
	if strings.Count(page, `data-testid="check" class="ok">一致`) != 3 || !strings.Contains(page, "正式文本") || strings.Contains(page, "无附件") {
		t.Errorf("receiver's page: %s", firstLines(page, `<h2 id="files"`, 12))
	}
	// The sender holds the same issued text.
	sent, _ := e.store.Files(context.Background(), rec.ID)
	if len(sent) != 3 {
		t.Errorf("sender's files: %+v", sent)
	}
}
