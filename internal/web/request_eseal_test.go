package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// esealEnv is the demo district with its electronic seals (a master key and
// fonts), the 政府办's seal pool (reqPool) and a 区政府 notice of the
// 政府办 taken through 印发 to 分发, carrying the 区政府's seal.
type esealEnv struct {
	*env
	keeper org.Person
	doc    store.DocRecord
	eseal  seal.Seal // the 区政府's electronic seal
}

func newESealEnv(t *testing.T, s *store.Store, c *clock) *esealEnv {
	t.Helper()
	master, err := gmcrypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	e := newProofEnvWith(t, s, c, true, func(o *web.Options) { o.MasterKey = master })
	ctx := context.Background()
	if err := demo.SeedSeals(ctx, s, e.d, master, c.now()); err != nil {
		t.Fatal(err)
	}
	keeper := reqPool(t, e)
	office, gov := e.unit("政府办"), e.unit("区政府")
	rec, err := s.CreateOutgoing(ctx, e.byLogin("wenmi"), store.NewOutgoing{UnitID: e.child(office.ID, "秘书科").ID, To: []string{e.towns(1)[0].ID},
		Doc: document.Document{Type: document.Notice, Title: "清澜区人民政府关于做好冬季防火工作的通知", Seals: []string{gov.Name},
			Body: document.ParseBody("一、高度重视\n各单位已经完成了部署。\n二、抓好落实")}})
	if err != nil {
		t.Fatal(err)
	}
	e.toReview(rec)
	e.toNumbered(rec)
	clerk := e.byLogin("wenmi")
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Comment: "复核无误"})
	rec = e.act(clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-11-30", "copies": "10"}})
	all, err := s.Seals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	x := &esealEnv{env: e, keeper: keeper, doc: rec}
	for _, es := range all {
		if es.Organ == gov.Name {
			x.eseal = es
		}
	}
	if x.eseal.ID == "" {
		t.Fatal("no 区政府 electronic seal")
	}
	return x
}

// sealRequest is wenmi's 用印 request of seal-gov for docID ("" for paper),
// approved by zhuren up to 用印 when approve.
func (x *esealEnv) sealRequest(docID string, approve bool) request.Request {
	x.t.Helper()
	ctx := context.Background()
	wenmi, zhuren := x.byLogin("wenmi"), x.byLogin("zhuren")
	r, err := x.store.CreateRequest(ctx, wenmi, request.New{ID: "r-" + docID + time.Now().Format("150405.000000000"), Kind: request.SealUse,
		UnitID: x.child(x.unit("政府办").ID, "秘书科").ID, Reason: "按程序印发",
		Seal: &request.SealInfo{SealID: "seal-gov", Material: "清澜区人民政府关于做好冬季防火工作的通知", DocID: docID, Copies: 10}})
	if err != nil {
		x.t.Fatal(err)
	}
	for approve && r.Status == request.Pending {
		tasks := r.Route.OpenTasks()
		if r, err = x.store.ReqAct(ctx, zhuren, r.ID, "approve", nil, store.ReqRoute(route.Request{Op: route.Approve, Task: tasks[0].ID})); err != nil {
			x.t.Fatal(err)
		}
	}
	return r
}

// TestRequestESeal, on both stores: the security officer links the 政府办's
// 政府印章 to the 区政府's electronic seal; the keeper's 加盖电子印章 on an
// approved request naming the notice typesets its issued text with that
// seal — both files verify (as `shuniu verify` does) naming the organ and
// the seal's key — records the use as electronic in the 用印登记簿, audits
// both, and 分发 then sends the sealed text. Each refusal says why and
// changes nothing.
func TestRequestESeal(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
		x := newESealEnv(t, s, c)
		ctx := context.Background()
		gov := x.unit("区政府")
		keeper := x.client()
		keeper.login(x.keeper.Login, demo.Password)
		refused := func(cl *client, id string, code int, want string) {
			t.Helper()
			got, out, _ := cl.call("POST", "/api/v1/requests/"+id+"/eseal", map[string]any{})
			if got != code || !strings.Contains(out["error"].(string), want) {
				t.Fatalf("eseal on %s: %d %v, want %d %q", id, got, out, code, want)
			}
		}
		approved := x.sealRequest(x.doc.ID, true)
		if approved.Status != request.Approved {
			t.Fatalf("request: %s", approved.Status)
		}
		pending := x.sealRequest(x.doc.ID, false)
		paper := x.sealRequest("", true)

		// The form offers the printed document to its office's clerk; naming a
		// document one may not open is refused, and nothing is created.
		if _, page, _ := keeper.get("/requests/new?kind=seal_use"); !strings.Contains(page, `<option value="`+x.doc.ID+`"`) {
			t.Errorf("the form does not offer 《%s》: %s", x.doc.Doc.Title, firstLines(page, `data-testid="req-doc-id"`, 6))
		}
		outsider := x.client()
		outsider.login("chengban", demo.Password)
		before, _ := s.Requests(ctx, store.ReqFilter{})
		if code, out, _ := outsider.call("POST", "/api/v1/requests", map[string]any{"kind": "seal_use", "seal_id": "seal-gov", "doc_id": x.doc.ID, "copies": "1", "reason": "试"}); code < 400 ||
			out["error"] != "您无权查看所选关联公文，不能在用印申请中关联它" {
			t.Fatalf("an outsider names the document: %d %v", code, out)
		}
		if after, _ := s.Requests(ctx, store.ReqFilter{}); len(after) != len(before) {
			t.Fatalf("a refused request was stored")
		}

		// Not linked yet.
		refused(keeper, approved.ID, 422, "印章“清澜区人民政府”没有对应的电子印章，请安全保密管理员在“电子印章”页关联后再办理")
		// Only the security officer links.
		wenmi := x.client()
		wenmi.login("wenmi", demo.Password)
		link := map[string]any{"req_seal_id": "seal-gov", "eseal_id": x.eseal.ID}
		if code, _, _ := wenmi.call("POST", "/api/v1/seals/links", link); code != 403 {
			t.Fatalf("wenmi links: %d", code)
		}
		sec := x.client()
		sec.login("secadmin", demo.Password)
		if code, out, _ := sec.call("POST", "/api/v1/seals/links", map[string]any{"req_seal_id": "seal-gov", "eseal_id": "nope"}); code != 422 || out["error"] != "所选电子印章不存在" {
			t.Fatalf("link to nothing: %d %v", code, out)
		}
		if code, out, _ := sec.call("POST", "/api/v1/seals/links", link); code != 200 || out["eseal_id"] != x.eseal.ID {
			t.Fatalf("link: %d %v", code, out)
		}
		if _, page, _ := sec.get("/security/seals"); !strings.Contains(page, `data-testid="seal-link-row" data-id="seal-gov"`) ||
			!strings.Contains(page, `<option value="`+x.eseal.ID+`" selected>`) {
			t.Fatalf("the officer's page does not show the link: %s", firstLines(page, `id="links"`, 12))
		}

		refused(keeper, pending.ID, 422, "该申请尚未批准（当前：")
		refused(keeper, paper.ID, 422, "该申请没有关联公文，不能加盖电子印章")
		refused(wenmi, approved.ID, 422, "不是“用印”环节的办理人")
		if files, _ := s.Files(ctx, x.doc.ID); len(files) != 0 {
			t.Fatalf("a refusal left files: %+v", files)
		}

		code, out, _ := keeper.call("POST", "/api/v1/requests/"+approved.ID+"/eseal", map[string]any{})
		if code != 200 || out["status"] != "done" || out["seal"].(map[string]any)["eseal_applied"] != true {
			t.Fatalf("eseal: %d %v", code, out)
		}
		refused(keeper, approved.ID, 422, "该申请已加盖电子印章")
		files, err := s.Files(ctx, x.doc.ID)
		if err != nil || len(files) != 2 {
			t.Fatalf("files: %+v %v", files, err)
		}
		formats := map[string]bool{}
		for _, f := range files {
			if f.Role != string(document.FileIssued) || !strings.HasPrefix(f.Name, x.doc.DocNumber) {
				t.Errorf("file %+v", f)
			}
			code, body, _ := wenmi.get("/api/v1/documents/" + x.doc.ID + "/files/" + f.SHA256)
			if code != 200 {
				t.Fatalf("%s: %d", f.Name, code)
			}
			rep, err := seal.Verify([]byte(body))
			if err != nil || !rep.Intact || len(rep.Seals) != 1 || rep.Seals[0].Organ != gov.Name || rep.Seals[0].SealName != x.eseal.Name ||
				rep.Seals[0].Fingerprint != x.eseal.Fingerprint {
				t.Fatalf("%s: %+v %v", f.Name, rep, err)
			}
			formats[rep.Format] = true
		}
		if !formats["PDF"] || !formats["OFD"] {
			t.Fatalf("formats %v", formats)
		}
		for _, action := range []string{"document.eseal", "request.eseal"} {
			if es, err := s.ListAudit(ctx, store.AuditFilter{Action: action, Limit: 5}); err != nil || len(es) != 1 || es[0].ActorID != x.keeper.ID {
				t.Errorf("audit %s: %+v %v", action, es, err)
			}
		}
		zhuren := x.client()
		zhuren.login("zhuren", demo.Password)
		code, out, _ = zhuren.call("GET", "/api/v1/requests/register?office="+x.unit("政府办").ID+"&month=2026-11", nil)
		if code != 200 || !strings.Contains(fmt.Sprint(out), "eseal:true") {
			t.Fatalf("register: %d %v", code, out)
		}

		// 分发 sends the sealed text as it is.
		e := x.env
		a, _ := s.Actor(ctx, x.byLogin("wenmi").ID, s.Now())
		items, _ := s.OpenTasksFor(ctx, a, 100)
		task := -1
		for _, w := range items {
			if w.Doc.ID == x.doc.ID {
				task = w.TaskID
			}
		}
		if code, out, _ := wenmi.call("POST", "/api/v1/documents/"+x.doc.ID+"/act", route.Request{Op: route.Approve, Task: task, Comment: "分发"}); code != 200 {
			t.Fatalf("distribute: %d %v", code, out)
		}
		copies, err := e.store.IncomingFrom(ctx, x.doc.ID)
		if err != nil || len(copies) != 1 {
			t.Fatalf("copies: %v %v", copies, err)
		}
		got, _ := s.Files(ctx, copies[0].ID)
		sent := map[string]bool{}
		for _, f := range files {
			sent[f.SHA256] = true
		}
		if len(got) != 2 || !sent[got[0].SHA256] || !sent[got[1].SHA256] {
			t.Fatalf("the copy carries %+v, not the sealed %+v", got, files)
		}

		// A revoked electronic seal is refused.
		again := x.sealRequest(x.doc.ID, true)
		if err := s.Write(ctx, func(tx *store.Tx) error { _, err := tx.RevokeSeal(ctx, x.eseal.ID); return err }); err != nil {
			t.Fatal(err)
		}
		refused(keeper, again.ID, 422, "电子印章“"+x.eseal.Name+"”已停用，不能加盖")
	})
}
