package web_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestPrecedentsAPI, on both stores: GET /api/v1/precedents beside a draft
// offers the organ's notice on the same matter and never a 机密 one to an
// uncleared drafter (documents or paragraphs, in any form); inserting from
// the 机密 one is refused and the refusal audited; someone who may not
// open the draft gets nothing of it; a cleared director is offered it.
func TestPrecedentsAPI(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
		e := newEnvOn(t, s, c)
		ctx := context.Background()
		clerk, director := e.byLogin("wenmi"), e.byLogin("zhuren")
		unit := e.child(e.unit("政府办").ID, "秘书科").ID
		mk := func(title, body string) store.DocRecord {
			t.Helper()
			rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: unit, Doc: document.Document{
				Type: document.Notice, Title: title, Body: document.ParseBody(body)}})
			if err != nil {
				t.Fatal(err)
			}
			return rec
		}
		flood := mk("关于做好2025年汛期防汛工作的通知", "各镇主要负责同志是本地区防汛工作第一责任人，要靠前指挥。")
		secret := mk("关于汛期防汛工作部署的通知", "白鹭洲蓄滞洪区分洪口门设在北堤七号闸，汛期防汛工作第一责任人由区防指统一调度。")
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetClearance(ctx, director.ID, org.Secret) }); err != nil {
			t.Fatal(err)
		}
		director, _ = s.Person(ctx, director.ID)
		if _, err := s.Classify(ctx, director, secret.ID, secret.Version, document.Classification{Level: document.Secret, PeriodYears: 10}, "涉及防汛部署"); err != nil {
			t.Fatal(err)
		}
		draft := mk("关于做好2026年汛期防汛工作的通知", "各镇主要负责同志要靠前指挥。")

		get := func(cl *client, q url.Values) (int, string) {
			t.Helper()
			code, out, _ := cl.call("GET", "/api/v1/precedents?"+q.Encode(), nil)
			b, _ := json.Marshal(out)
			return code, string(b)
		}
		cc := e.clientAs(t, clerk)
		for _, q := range []url.Values{{"doc": {draft.ID}}, {"doc": {draft.ID}, "para": {"汛期防汛工作第一责任人"}},
			{"unit": {unit}, "type": {"notice"}, "title": {"关于汛期防汛工作的通知"}}} {
			code, got := get(cc, q)
			if code != http.StatusOK || !strings.Contains(got, flood.ID) {
				t.Errorf("clerk, %v: %d %s", q, code, got)
			}
			if strings.Contains(got, secret.ID) || strings.Contains(got, "白鹭洲") || strings.Contains(got, "部署的通知") || strings.Contains(got, "机密") {
				t.Errorf("clerk, %v: the 机密 document shows: %s", q, got)
			}
			if q.Get("doc") != "" && strings.Contains(got, `"id":"`+draft.ID) {
				t.Errorf("clerk, %v: the draft is its own precedent: %s", q, got)
			}
		}
		code, out, _ := cc.call("POST", "/api/v1/precedents/insert", map[string]any{"document": draft.ID, "source": secret.ID, "paragraph": 0})
		if b, _ := json.Marshal(out); code != http.StatusForbidden || strings.Contains(string(b), "白鹭洲") {
			t.Errorf("inserting from the 机密 document: %d %s", code, b)
		}
		if es, _ := s.ListAudit(ctx, store.AuditFilter{ActorID: clerk.ID, Action: "access.deny", Limit: 1}); len(es) == 0 || es[0].ObjectID != secret.ID {
			t.Errorf("the refusal is not audited: %+v", es)
		}
		code, out, _ = cc.call("POST", "/api/v1/precedents/insert", map[string]any{"document": draft.ID, "source": flood.ID, "paragraph": 0})
		if code != http.StatusOK || out["note"] != "（参照：《"+flood.Doc.Title+"》）" || !strings.Contains(out["text"].(string), "第一责任人") {
			t.Errorf("inserting: %d %v", code, out)
		}

		// Another organ's person may not open the draft: refused, nothing shown.
		outsider := e.head(e.unit("区发改局").ID)
		if code, got := get(e.clientAs(t, outsider), url.Values{"doc": {draft.ID}}); code != http.StatusForbidden || strings.Contains(got, "防汛") {
			t.Errorf("outsider: %d %s", code, got)
		}
		// The cleared director is offered the 机密 precedent.
		if code, got := get(e.clientAs(t, director), url.Values{"doc": {draft.ID}, "para": {"分洪口门设在北堤七号闸"}}); code != http.StatusOK || !strings.Contains(got, "白鹭洲") {
			t.Errorf("cleared director: %d %s", code, got)
		}
	})
}
