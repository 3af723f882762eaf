package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// TestChosenSealIssued: the drafter chooses the 加盖印章 in the draft form
// (a seal of another organ is refused with the form kept), the page and the
// API show it, the drafter changes it to none through the API, the signer at
// 签发 chooses the office's older seal on the page — not the one the office
// registered last, which 分发 would take unasked — and the issued PDF and OFD
// carry exactly that seal: seal.Verify names it. After 印发 the choice is
// final.
func TestChosenSealIssued(t *testing.T) {
	master, err := gmcrypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
	c := &clock{t: start}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = start
		ctx := context.Background()
		e := newProofEnvWith(t, s, c, true, func(o *web.Options) { o.MasterKey = master })
		if err := demo.SeedSeals(ctx, s, e.d, master, c.now()); err != nil {
			t.Fatal(err)
		}
		office, gov := e.unit("政府办"), e.unit("区政府")
		all, err := s.Seals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var officeSeal, govSeal seal.Seal
		for _, x := range all {
			switch x.UnitID {
			case office.ID:
				officeSeal = x
			case gov.ID:
				govSeal = x
			}
		}
		// A newer seal of the 政府办: what 分发 would press were nothing chosen.
		newer, err := seal.New(seal.NewRequest{ID: uid.New(), UnitID: office.ID, Organ: office.Name, Name: office.Name + "公文专用章",
			Kind: seal.KindOffice, Image: seal.SampleImage(300), CreatedBy: e.byLogin("wenmi").ID, Now: c.now()}, master)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.AddSeal(ctx, newer) }); err != nil {
			t.Fatal(err)
		}
		cl := e.client()
		cl.login("wenmi", demo.Password)
		if _, page, _ := cl.get("/docs/new"); !strings.Contains(page, `data-testid="seal-`+officeSeal.ID+`"`) || !strings.Contains(page, `data-testid="seal-`+newer.ID+`"`) {
			t.Fatalf("the draft form offers no seals: %s", firstLines(page, `data-testid="seal-pick"`, 6))
		}
		f := draftForm("清澜区人民政府办公室关于做好冬季防火工作的通知", "0", e.towns(1)[0].ID)
		f.Set("unit_id", e.child(office.ID, "秘书科").ID)
		f.Set("seal", govSeal.ID)
		code, body, _ := cl.postMultipart("/docs/new", f, "", "", nil)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "不是发文机关（"+office.Name+"）的印章") || !strings.Contains(body, "冬季防火") {
			t.Fatalf("the 区政府's seal on the office's draft: %d %s", code, firstLines(body, `<div class="alert`, 2))
		}
		f.Set("seal", officeSeal.ID)
		code, body, h := cl.postMultipart("/docs/new", f, "", "", nil)
		m := docLocation.FindStringSubmatch(h.Get("Location"))
		if code != http.StatusSeeOther || m == nil {
			t.Fatalf("draft with a seal: %d %s", code, firstLines(body, `<div class="alert`, 2))
		}
		id := m[1]
		if _, page, _ := cl.get("/docs/" + id); !strings.Contains(page, officeSeal.Name+"（办公室印章）") || !strings.Contains(page, `data-testid="seal-form"`) {
			t.Fatalf("page: %s", firstLines(page, `data-testid="seal-choice"`, 4))
		}
		code, out, _ := cl.call("GET", "/api/v1/documents/"+id+"/seals", nil)
		if opts, _ := out["options"].([]any); code != 200 || out["chosen"] != true || len(opts) != 2 || out["can_choose"] != true {
			t.Fatalf("api: %d %v", code, out)
		}
		if code, out, _ := cl.call("POST", "/api/v1/documents/"+id+"/seals", map[string]any{"seal_ids": []string{officeSeal.ID, newer.ID}}); code != 422 ||
			!strings.Contains(out["error"].(string), "只能加盖一枚印章") {
			t.Fatalf("two seals of one organ: %d %v", code, out)
		}
		if code, out, _ := cl.call("POST", "/api/v1/documents/"+id+"/seals", map[string]any{"seal_ids": []string{}}); code != 200 || out["none"] != true {
			t.Fatalf("none: %d %v", code, out)
		}
		rec, err := s.Document(ctx, id)
		if err != nil || len(rec.Doc.Seals) != 0 {
			t.Fatalf("印章 after none: %v %v", rec.Doc.Seals, err)
		}
		// To 签发: the office's director chooses the seal on the page.
		e.toReview(rec)
		cs := e.child(office.ID, "综合科")
		e.act(e.byLogin("wenmi"), id, route.Request{Op: route.Approve, Comment: "核稿无误", Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: cs.ID}}}})
		e.act(e.head(cs.ID), id, route.Request{Op: route.Approve, Comment: "同意"})
		director := e.client()
		director.login(e.head(office.ID).Login, demo.Password)
		if code, body, _ := director.post("/docs/"+id+"/seals", url.Values{}); code != 422 || !strings.Contains(body, "请选择加盖的印章") {
			t.Fatalf("nothing chosen: %d %s", code, firstLines(body, `<div class="alert`, 2))
		}
		if code, body, _ := director.post("/docs/"+id+"/seals", url.Values{"seal": {officeSeal.ID}}); code != http.StatusSeeOther {
			t.Fatalf("the signer's choice: %d %s", code, firstLines(body, `<div class="alert`, 2))
		}
		e.act(e.head(office.ID), id, route.Request{Op: route.Approve, Comment: "同意印发"})
		clerk := e.byLogin("wenmi")
		e.act(clerk, id, route.Request{Op: route.Approve})
		e.act(clerk, id, route.Request{Op: route.Approve, Comment: "复核无误"})
		e.act(clerk, id, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-11-30", "copies": "10"}})
		a, _ := s.Actor(ctx, clerk.ID, s.Now())
		items, _ := s.OpenTasksFor(ctx, a, 100)
		task := -1
		for _, w := range items {
			if w.Doc.ID == id {
				task = w.TaskID
			}
		}
		if code, out, _ := cl.call("POST", "/api/v1/documents/"+id+"/act", route.Request{Op: route.Approve, Task: task, Comment: "分发"}); code != 200 {
			t.Fatalf("distribute: %d %v", code, out)
		}
		files, err := s.Files(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		formats := map[string]bool{}
		for _, f := range files {
			if f.Role != string(document.FileIssued) {
				continue
			}
			code, body, _ := cl.get("/api/v1/documents/" + id + "/files/" + f.SHA256)
			if code != 200 {
				t.Fatalf("%s: %d", f.Name, code)
			}
			rep, err := seal.Verify([]byte(body))
			if err != nil || !rep.Intact || len(rep.Seals) != 1 || rep.Seals[0].SealName != officeSeal.Name || rep.Seals[0].Organ != office.Name {
				t.Fatalf("%s: %+v %v", f.Name, rep, err)
			}
			formats[rep.Format] = true
		}
		if !formats["PDF"] || !formats["OFD"] {
			t.Fatalf("issued formats: %v", formats)
		}
		code, out, _ = cl.call("GET", "/api/v1/documents/"+id+"/seals", nil)
		if code != 200 || out["issued"] != true || out["can_choose"] != false {
			t.Errorf("after 印发: %d %v", code, out)
		}
		es, _ := s.ListAudit(ctx, store.AuditFilter{Action: "document.seals"})
		if len(es) != 3 {
			t.Errorf("audited choices: %d", len(es))
		}
	})
}
