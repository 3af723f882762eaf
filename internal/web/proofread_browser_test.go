package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// TestBrowserProofread drives the proofreader through the pages as the
// office uses it: the office director types the office's word lists on
// 校对设置 and the system administrator switches a rule off; in the draft
// editor the findings are highlighted in the text and one click on 采纳
// applies a suggestion (also one from the office's list), one click on 不是错误
// hides a finding for good; at 核稿 and at 签发 the open findings stand beside
// the action form and what each accepts is counted.
func TestBrowserProofread(t *testing.T) {
	e := newProofEnv(t, false)
	ctx := browser(t)
	w := &walker{t: t, ctx: ctx, e: e}
	office := e.unit("政府办")
	cs := e.child(office.ID, "综合科")

	// 校对设置: the office director types the office's lists in the page,
	// following the link in the navigation.
	w.as(e.byLogin("zhuren"))
	w.do(chromedp.Navigate(e.srv.URL+"/org"), chromedp.Click(`[data-testid=proofread-settings-link]`), chromedp.WaitVisible(`[data-testid=proofread-lists]`),
		chromedp.SetValue(`[data-testid=organs]`, "区经信委|区经济和信息化局|机构改革后更名"),
		chromedp.SetValue(`[data-testid=leaders]`, "王伟东|区长"),
		chromedp.SetValue(`[data-testid=banned]`, "绝对领先||广告用语"),
		chromedp.Click(`[data-testid=save-lists]`), chromedp.WaitVisible(`.alert.ok`))
	if v := w.value(`[data-testid=organs]`); !strings.Contains(v, "区经信委|区经济和信息化局") {
		t.Fatalf("organ list after saving: %q", v)
	}
	if w.eval(`document.querySelector('[data-testid=rule-W03]') !== null`) {
		t.Error("the office director is offered the rule switches")
	}
	screenshot(t, ctx, "proofread-settings-lists")
	// The system administrator switches a rule off; the lists stay as typed.
	w.as(e.byLogin("sysadmin"))
	w.do(chromedp.Navigate(e.srv.URL+"/settings/proofread"), chromedp.WaitVisible(`[data-testid=proofread-rules]`),
		chromedp.Click(`[data-testid=rule-W03]`),
		chromedp.Click(`[data-testid=save-rules]`), chromedp.WaitVisible(`.alert.ok`))
	if checked := w.eval(`document.querySelector('[data-testid=rule-W03]').checked`); !checked {
		t.Error("W03 not kept switched off")
	}
	if v := w.value(`[data-testid=organs]`); !strings.Contains(v, "区经信委|区经济和信息化局") || !w.eval(`document.querySelector('[data-testid=organs]').readOnly`) {
		t.Errorf("the system administrator's view of the lists: %q", v)
	}
	screenshot(t, ctx, "proofread-settings-rules")

	rec, err := e.store.CreateOutgoing(context.Background(), e.byLogin("wenmi"), store.NewOutgoing{
		UnitID: e.child(office.ID, "秘书科").ID, To: []string{e.towns(1)[0].ID}, Doc: document.Document{Type: document.Notice,
			Title: "清澜区人民政府办公室关于做好冬季防火工作的通知",
			Body:  document.ParseBody("一、高度重视\n各单位己经完成了部署,其它工作要抓紧。\n二、抓好落实\n区经信委要在２０２４年底前牵头完成。")}})
	if err != nil {
		t.Fatal(err)
	}
	mark := func(key string) string { return `[data-testid=proofread] li[data-key="` + key + `"]` }

	// The editor: findings highlighted in the text.
	w.as(e.byLogin("wenmi"))
	w.do(chromedp.Navigate(e.srv.URL+"/docs/"+rec.ID+"/edit"), chromedp.WaitVisible(`[data-testid=proofread] [data-testid=proof-mark]`))
	bg := w.evalString(`(function(){for (const m of document.querySelectorAll('[data-testid=proof-mark]')) if (m.textContent === '己经') return getComputedStyle(m).backgroundColor; return ''})()`)
	if bg == "" || bg == "rgba(0, 0, 0, 0)" || bg == "transparent" {
		t.Errorf("己经 is not highlighted (background %q)", bg)
	}
	screenshot(t, ctx, "proofread-editor")
	// One click accepts: a new version with the suggestion, in the editor.
	w.press(mark("typo/T01/己经") + ` [data-testid=accept]`)
	if v := w.value(`[data-testid=edit-body]`); !strings.Contains(v, "各单位已经完成") {
		t.Errorf("editor body after accepting: %q", v)
	}
	// The office's own list: one click puts the organ's current name in.
	w.press(mark("custom/C01/区经信委") + ` [data-testid=accept]`)
	if v := w.value(`[data-testid=edit-body]`); !strings.Contains(v, "区经济和信息化局要在") {
		t.Errorf("editor body after accepting the organ name: %q", v)
	}
	// 不是错误: gone now and after reloading.
	w.press(mark("term/W01/其它") + ` [data-testid=ignore]`)
	w.do(chromedp.Navigate(e.srv.URL+"/docs/"+rec.ID+"/edit"), chromedp.WaitVisible(`[data-testid=proofread]`))
	if w.eval(`document.querySelector('` + mark("term/W01/其它") + `') !== null`) {
		t.Error("the finding marked 不是错误 is shown again")
	}
	got, _ := e.store.Document(context.Background(), rec.ID)
	if got.Version != 3 {
		t.Errorf("version %d after two acceptances", got.Version)
	}

	// 核稿: the open findings beside the action form; one click, counted.
	e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve})
	e.act(e.head(e.child(office.ID, "秘书科").ID), rec.ID, route.Request{Op: route.Approve, Comment: "同意"})
	w.open(rec.ID)
	w.do(chromedp.WaitVisible(`[data-testid="task-review"]`), chromedp.WaitVisible(`[data-testid=proofread]`))
	if !w.eval(`!!(document.querySelector('[data-testid="task-review"]').compareDocumentPosition(document.querySelector('[data-testid=proofread]')) & Node.DOCUMENT_POSITION_FOLLOWING)`) {
		t.Error("the findings are not beside the 核稿 form")
	}
	w.press(mark("punctuation/P01/,") + ` [data-testid=accept]`)
	if n := w.text(`[data-testid=accepted-total]`); n != "3" {
		t.Errorf("accepted after 核稿: %q", n)
	}
	screenshot(t, ctx, "proofread-review")

	// 签发: the leader sees what is still open and accepts the last one.
	e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误", Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: cs.ID}}}})
	e.act(e.head(cs.ID), rec.ID, route.Request{Op: route.Approve, Comment: "同意"})
	w.as(e.head(office.ID))
	w.open(rec.ID)
	w.do(chromedp.WaitVisible(`[data-testid="task-sign_off"]`), chromedp.WaitVisible(mark("number/U01/２０２４")))
	w.press(mark("number/U01/２０２４") + ` [data-testid=accept]`)
	if n := w.text(`[data-testid=accepted-total]`); n != "4" {
		t.Errorf("accepted after 签发: %q", n)
	}
	counts, _ := e.store.AcceptedCounts(context.Background(), rec.ID)
	if counts["draft"] != 2 || counts["review"] != 1 || counts["sign_off"] != 1 {
		t.Errorf("counts per step: %v", counts)
	}
	got, _ = e.store.Document(context.Background(), rec.ID)
	if body := got.Doc.Body.String(); !strings.Contains(body, "2024年底") || !strings.Contains(body, "部署，其它") {
		t.Errorf("final text: %q", body)
	}
}

// press clicks a button of the proofreading panel and waits for the next
// page to confirm (the confirmations of the page before are removed first).
func (w *walker) press(sel string) {
	w.t.Helper()
	w.eval(`document.querySelectorAll(".alert").forEach(function(a){a.remove()}) || true`)
	w.do(chromedp.Click(sel), chromedp.WaitVisible(`.alert`))
	if msg := w.text(`.alert`); !strings.HasPrefix(msg, "已") {
		w.t.Fatalf("%s: %s", sel, msg)
	}
}

func (w *walker) value(sel string) string {
	w.t.Helper()
	v, err := chromedp.Run(w.ctx, chromedp.Value(sel))
	if err != nil {
		w.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

func (w *walker) eval(js string) bool {
	w.t.Helper()
	v, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		w.t.Fatalf("%s: %v", js, err)
	}
	return v
}

func (w *walker) evalString(js string) string {
	w.t.Helper()
	v, err := chromedp.Run(w.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		w.t.Fatalf("%s: %v", js, err)
	}
	return v
}
