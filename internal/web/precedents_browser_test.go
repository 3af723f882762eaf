package web_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestBrowserPrecedents is 起草助手 in the draft editor, on both stores with
// one browser: the panel shows the organ's earlier notice on the same
// matter and follows the title as it is typed; a paragraph selected in the
// 正文 (keyboard: Alt+Shift+P) brings the most similar paragraphs; one click
// inserts one at the cursor, its source note goes into the version's note
// and so into the revision history — not into the 正文 — and the insertion
// is audited.
func TestBrowserPrecedents(t *testing.T) {
	ctx := browserFor(t, 4*time.Minute) // one browser for both stores
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
		e := newEnvOn(t, s, c)
		w := &walker{t: t, ctx: ctx, e: e}
		clerk := e.byLogin("wenmi")
		unit := e.child(e.unit("政府办").ID, "秘书科").ID
		mk := func(title, body string) store.DocRecord {
			t.Helper()
			rec, err := s.CreateOutgoing(context.Background(), clerk, store.NewOutgoing{UnitID: unit, Doc: document.Document{
				Type: document.Notice, Title: title, Body: document.ParseBody(body)}})
			if err != nil {
				t.Fatal(err)
			}
			return rec
		}
		const duty = "各镇主要负责同志是本地区防汛工作第一责任人，要亲自部署、靠前指挥。"
		flood := mk("关于做好2025年汛期防汛工作的通知", "为做好今年汛期防汛工作，现就有关事项通知如下：\n"+duty+"\n对河道和地质灾害隐患点开展拉网式排查，建立台账。")
		mk("关于印发机关会议管理办法的通知", "现将《机关会议管理办法》印发给你们，请认真贯彻执行。")
		draft := mk("关于做好2026年汛期防汛工作的通知", "为做好今年汛期防汛工作，现就有关事项通知如下：\n各镇主要负责同志要靠前指挥。")

		w.as(clerk)
		w.do(chromedp.Navigate(e.srv.URL+"/docs/"+draft.ID+"/edit"), chromedp.WaitVisible(`[data-testid=precedent-doc]`))
		if got := w.text(`[data-testid=precedent-docs]`); !strings.Contains(got, flood.Doc.Title) || strings.Contains(got, "会议管理") {
			t.Fatalf("precedents beside the draft: %q", got)
		}
		// The title typed anew: the panel follows it.
		w.eval(`(function(){const t=document.querySelector('[data-testid=edit-title]'); t.value='关于修订机关会议管理办法的通知'; t.dispatchEvent(new Event('input',{bubbles:true})); return true})()`)
		w.waitJS(`(document.querySelector('[data-testid=precedent-docs]')||{textContent:''}).textContent.indexOf('会议管理办法') >= 0`)
		screenshot(t, ctx, "precedents-panel")

		// More like this: the cursor in a paragraph, Alt+Shift+P.
		w.eval(`(function(){const b=document.querySelector('[data-testid=edit-body]'); const i=b.value.indexOf('要靠前'); b.focus(); b.setSelectionRange(i,i);
			b.dispatchEvent(new KeyboardEvent('keydown',{key:'P',code:'KeyP',altKey:true,shiftKey:true,bubbles:true})); return true})()`)
		w.do(chromedp.WaitVisible(`[data-testid=precedent-paragraph]`))
		if got := w.text(`[data-testid=precedent-paragraph]`); !strings.Contains(got, duty) {
			t.Fatalf("the most similar paragraph: %q", got)
		}
		// One click inserts it at the cursor (the end of the 正文).
		w.eval(`(function(){const b=document.querySelector('[data-testid=edit-body]'); b.setSelectionRange(b.value.length,b.value.length); return true})()`)
		w.do(chromedp.Click(`[data-testid=precedent-paragraph] [data-testid=precedent-insert]`))
		w.waitJS(`document.querySelector('[data-testid=precedent-status]').textContent.indexOf('已在光标处插入') >= 0`)
		if v := w.value(`[data-testid=edit-body]`); !strings.HasSuffix(v, "要靠前指挥。\n"+duty) {
			t.Errorf("the 正文 after inserting: %q", v)
		}
		note := "（参照：《" + flood.Doc.Title + "》）"
		if v := w.value(`[data-testid=version-note]`); v != note {
			t.Errorf("the version's note: %q, want %q", v, note)
		}
		w.do(chromedp.Click(`[data-testid=save]`), chromedp.WaitVisible(`.alert`))
		if got := w.text(`.versions`); !strings.Contains(got, note) {
			t.Errorf("the revision history does not keep the source: %q", got)
		}
		rec, err := s.Document(context.Background(), draft.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b := rec.Doc.Body.String(); !strings.Contains(b, duty) || strings.Contains(b, "参照") {
			t.Errorf("the saved 正文: %q", b)
		}
		es, err := s.ListAudit(context.Background(), store.AuditFilter{Action: "document.precedent_insert", Limit: 5})
		if err != nil || len(es) != 1 || es[0].ObjectID != draft.ID || !strings.Contains(es[0].Detail, flood.ID) {
			t.Errorf("the insertion's audit: %+v, %v", es, err)
		}
	})
}

// waitJS waits until the expression is true.
func (w *walker) waitJS(js string) {
	w.t.Helper()
	for range 100 {
		if w.eval(`!!(` + js + `)`) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	w.t.Fatalf("timed out waiting for %s", js)
}
