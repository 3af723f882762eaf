package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
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

// TestIssuedTextSealed: a document carrying 印章, distributed by an office
// whose organ has a registered electronic seal (the demo's), is issued as a
// PDF and an OFD with that seal pressed and signed; both verify naming the
// organ, and neither does after one byte is changed.
func TestIssuedTextSealed(t *testing.T) {
	master, err := gmcrypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)}
	s := storetest.SQLite(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)})
	e := newProofEnvWith(t, s, c, true, func(o *web.Options) { o.MasterKey = master })
	ctx := context.Background()
	if err := demo.SeedSeals(ctx, s, e.d, master, c.now()); err != nil {
		t.Fatal(err)
	}
	office := e.unit("政府办")
	rec, err := s.CreateOutgoing(ctx, e.byLogin("wenmi"), store.NewOutgoing{UnitID: e.child(office.ID, "秘书科").ID, To: []string{e.towns(1)[0].ID},
		Doc: document.Document{Type: document.Notice, Title: "清澜区人民政府办公室关于做好冬季防火工作的通知", Seals: []string{office.Name},
			Body: document.ParseBody("一、高度重视\n各单位已经完成了部署。\n二、抓好落实")}})
	if err != nil {
		t.Fatal(err)
	}
	e.toReview(rec)
	e.toNumbered(rec)
	clerk := e.byLogin("wenmi")
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Comment: "复核无误"})
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-11-30", "copies": "10"}})
	cl := e.client()
	cl.login("wenmi", demo.Password)
	a, _ := s.Actor(ctx, clerk.ID, s.Now())
	items, _ := s.OpenTasksFor(ctx, a, 100)
	task := -1
	for _, w := range items {
		if w.Doc.ID == rec.ID {
			task = w.TaskID
		}
	}
	if code, out, _ := cl.call("POST", "/api/v1/documents/"+rec.ID+"/act", route.Request{Op: route.Approve, Task: task, Comment: "分发"}); code != 200 {
		t.Fatalf("distribute: %d %v", code, out)
	}
	files, err := s.Files(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	formats := map[string]bool{}
	for _, f := range files {
		if f.Role != string(document.FileIssued) {
			continue
		}
		code, body, _ := cl.get("/api/v1/documents/" + rec.ID + "/files/" + f.SHA256)
		if code != 200 {
			t.Fatalf("%s: %d", f.Name, code)
		}
		file := []byte(body)
		rep, err := seal.Verify(file)
		if err != nil || !rep.Intact || len(rep.Seals) != 1 || rep.Seals[0].Organ != office.Name || rep.Seals[0].SealName != office.Name+"印章" {
			t.Fatalf("%s: %+v %v", f.Name, rep, err)
		}
		formats[rep.Format] = true
		changed := bytes.Clone(file)
		changed[len(changed)/3] ^= 0x01
		if rep, err := seal.Verify(changed); err == nil && rep.Intact {
			t.Errorf("%s with one byte changed still verifies: %+v", f.Name, rep)
		}
	}
	if !formats["PDF"] || !formats["OFD"] {
		t.Fatalf("issued formats: %v (files %v)", formats, files)
	}
}

// TestOpinionSignatureShown: the leader's 签发意见 is signed with the leader's
// SM2 key and the record shows "已验签"; the opinion altered in the database
// shows "验签失败".
func TestOpinionSignatureShown(t *testing.T) {
	master, err := gmcrypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)}
	s := storetest.SQLite(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler), MasterKey: master})
	e := newProofEnvWith(t, s, c, false, func(o *web.Options) { o.MasterKey = master })
	rec := e.proofDraft(document.Unclassified)
	e.toReview(rec)
	e.toNumbered(rec)
	cl := e.client()
	cl.login("wenmi", demo.Password)
	sigTag := func() string {
		t.Helper()
		code, page, _ := cl.get("/docs/" + rec.ID)
		if code != 200 {
			t.Fatalf("page: %d", code)
		}
		i := strings.Index(page, `data-testid="opinion-sig"`)
		if i < 0 || strings.Count(page, `data-testid="opinion-sig"`) != 1 {
			t.Fatalf("signed opinions on the page: %d", strings.Count(page, `data-testid="opinion-sig"`))
		}
		return page[i : i+200]
	}
	if tag := sigTag(); !strings.Contains(tag, ">已验签<") {
		t.Fatalf("signed 签发意见 shown as %q", tag)
	}
	raw, err := sql.Open("sqlite", "file:"+s.Path()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	res, err := raw.Exec(`UPDATE route_instances SET state = REPLACE(state, '同意印发', '同意印发，抄送全区') WHERE id = ?`, rec.ID)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("tamper: %v %d", err, n)
	}
	if tag := sigTag(); !strings.Contains(tag, ">验签失败<") || !strings.Contains(tag, "记录被改动") {
		t.Fatalf("altered 签发意见 shown as %q", tag)
	}
}
