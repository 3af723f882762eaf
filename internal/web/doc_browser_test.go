package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// walker drives the document pages as a succession of people.
type walker struct {
	t   *testing.T
	ctx context.Context
	e   *env
}

func (w *walker) do(actions ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	if err := chromedp.Do(w.ctx, actions...); err != nil {
		w.t.Fatal(err)
	}
}

func (w *walker) text(sel string) string {
	w.t.Helper()
	return text(w.t, w.ctx, sel)
}

// as signs in as a person (every demo person has the demo password).
func (w *walker) as(p org.Person) {
	w.t.Helper()
	clear := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
		return chromedp.Void{}, err
	}
	w.do(clear)
	if err := browserLogin(w.ctx, w.e.srv.URL, p.Login); err != nil {
		w.t.Fatal(err)
	}
	w.do(chromedp.WaitVisible(`header.top`))
}

func (w *walker) open(docID string) {
	w.t.Helper()
	w.do(chromedp.Navigate(w.e.srv.URL+"/docs/"+docID), chromedp.WaitVisible(`[data-testid=doc-title]`))
}

// act opens the document, fills the form of the viewer's task at step, presses
// button inside it and checks the page confirms.
func (w *walker) act(docID, step, button string, fill ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	w.open(docID)
	scope := `[data-testid="task-` + step + `"] `
	w.do(chromedp.WaitVisible(scope + `[data-testid=approve]`))
	w.do(fill...)
	w.do(chromedp.Click(scope+`[data-testid=`+button+`]`), chromedp.WaitVisible(`.alert`))
	if msg := w.text(`.alert`); !strings.HasPrefix(msg, "已") {
		w.t.Fatalf("%s at %s: %s", button, step, msg)
	}
}

func inTask(step, sel string) string { return `[data-testid="task-` + step + `"] ` + sel }

func comment(step, text string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(inTask(step, `[data-testid=comment]`), text)
}

func pick(step, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(inTask(step, `input[name=next][value="`+value+`"]`))
}

// TestBrowserDocumentRoutes walks both routes end to end through the pages:
// the 区政府办 drafts a 通知 to three towns, which goes through unit review,
// 核稿 with 会签 (one disagreeing), a 退回, sign-off, numbering, recheck,
// print-and-issue and distribution, with one 撤回 on the way; a town then
// signs for it, registers, proposes, the town leader instructs, two handlers
// handle, the leader reads, and the clerk closes and archives.
func TestBrowserDocumentRoutes(t *testing.T) {
	e := newDocEnv(t)
	ctx := browser(t)
	start := time.Now()
	w := &walker{t: t, ctx: ctx, e: e}

	office := e.unit("政府办")
	secretariat := e.child(office.ID, "秘书科")
	general, inspect := e.child(office.ID, "综合科"), e.child(office.ID, "督查室")
	clerk, director := e.byLogin("wenmi"), e.head(office.ID)
	towns := e.towns(3)
	title := "清澜区人民政府办公室关于做好2027年元旦春节期间安全生产工作的通知"

	// 起草: the draft form, three towns as 主送.
	w.as(clerk)
	w.do(chromedp.Navigate(e.srv.URL+"/docs/new"), chromedp.WaitVisible(`[data-testid=draft-form]`),
		chromedp.SetValue(`[data-testid=title]`, title),
		chromedp.SetValue(`[data-testid=body]`, draftBody))
	for _, u := range towns {
		w.do(chromedp.Click(`[data-testid=to-pick] input[value="` + u.ID + `"]`))
	}
	screenshot(t, ctx, "doc-new")
	w.do(chromedp.Click(`[data-testid=create]`), chromedp.WaitVisible(`[data-testid=doc-title]`))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	m := docLocation.FindStringSubmatch(strings.TrimPrefix(loc, e.srv.URL))
	if m == nil {
		t.Fatalf("after create: %s %s", loc, w.text(`main`))
	}
	out := m[1]

	// Edit the draft once: a second version, compared as a redline, and a 批注.
	w.do(chromedp.Click(`[data-testid=edit-link]`), chromedp.WaitVisible(`[data-testid=edit-form]`),
		chromedp.SetValue(`[data-testid=edit-body]`, draftBody+"\n三、加强值班值守"),
		chromedp.SetValue(`[data-testid=version-note]`, "补充值守要求"),
		chromedp.Click(`[data-testid=save]`), chromedp.WaitVisible(`.alert.ok`),
		chromedp.Click(`[data-testid=compare]`), chromedp.WaitVisible(`[data-testid=redline]`))
	if ins := w.text(`[data-testid=redline] ins`); !strings.Contains(ins, "加强值班值守") {
		t.Errorf("redline insertion: %q", ins)
	}
	screenshot(t, ctx, "doc-diff")
	w.do(chromedp.Navigate(e.srv.URL+"/docs/"+out+"/edit"), chromedp.WaitVisible(`[data-testid=ann-text]`))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){const t=document.getElementById("ann-text");t.focus();t.setSelectionRange(0,6);t.dispatchEvent(new Event("select"));return true})()`)); err != nil {
		t.Fatal(err)
	}
	w.do(chromedp.SetValue(`[data-testid=ann-comment]`, "标题请再斟酌"), chromedp.Click(`[data-testid=annotate]`),
		chromedp.WaitVisible(`[data-testid=annotations]`))
	if a := w.text(`[data-testid=annotations]`); !strings.Contains(a, "清澜区人民政") || !strings.Contains(a, "标题请再斟酌") {
		t.Errorf("annotation: %q", a)
	}
	screenshot(t, ctx, "doc-edit")

	// 送审, then 撤回 while the unit head has not acted, then 送审 again.
	w.act(out, "draft", "approve", comment("draft", "请审核"))
	// The page still shows the last confirmation: drop it, so that the
	// wait below sees the next page's.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll(".alert").forEach(function(a){a.remove()}) || true`)); err != nil {
		t.Fatal(err)
	}
	w.do(chromedp.Click(`[data-testid=withdraw]`), chromedp.WaitVisible(`.alert`))
	if msg := w.text(`.alert`); !strings.Contains(msg, "已撤回") {
		t.Fatalf("withdraw: %s", msg)
	}
	w.act(out, "draft", "approve", comment("draft", "请审核"))

	w.as(e.head(secretariat.ID))
	w.act(out, "unit_review", "approve", comment("unit_review", "同意"))

	// 核稿 sends it to two sections to countersign; one disagrees.
	w.as(clerk)
	w.act(out, "review", "approve", comment("review", "核稿无误，请会签"),
		pick("review", "leader:"+general.ID), pick("review", "leader:"+inspect.ID))
	w.as(e.head(general.ID))
	w.act(out, "countersign", "approve", comment("countersign", "同意"))
	w.as(e.head(inspect.ID))
	w.act(out, "countersign", "disagree", comment("countersign", "建议补充督查要求"))

	// The signing leader sees the disagreement and returns it once.
	w.as(director)
	w.open(out)
	screenshot(t, ctx, "doc-sign-off")
	if track := w.text(`[data-testid=track]`); !strings.Contains(track, "建议补充督查要求") || !strings.Contains(track, "不同意") {
		t.Errorf("track lacks the disagreement: %q", track)
	}
	w.do(chromedp.Click(inTask("sign_off", `details.more summary`)),
		chromedp.SetValue(inTask("sign_off", `[data-testid=return-to]`), "review"),
		chromedp.SetValue(inTask("sign_off", `[data-testid=return-reason]`), "请吸收督查室意见"),
		chromedp.Click(inTask("sign_off", `[data-testid=return]`)), chromedp.WaitVisible(`.alert`))
	if msg := w.text(`.alert`); !strings.Contains(msg, "退回") {
		t.Fatalf("return: %s", msg)
	}
	w.as(clerk)
	w.act(out, "review", "approve", comment("review", "已修改，请督查室再会签"), pick("review", "leader:"+inspect.ID))
	w.as(e.head(inspect.ID))
	w.act(out, "countersign", "approve", comment("countersign", "同意"))
	w.as(director)
	w.act(out, "sign_off", "approve", comment("sign_off", "同意印发"))

	// 编号, 复核, 印发, 分发.
	w.as(clerk)
	w.act(out, "number", "approve")
	year := e.clock.t.In(time.FixedZone("CST", 8*3600)).Year()
	if n := w.text(`[data-testid=doc-number]`); n != fmt.Sprintf("%s发〔%d〕1号", office.OrganCode, year) {
		t.Errorf("doc number %q", n)
	}
	// 复核 from the keyboard: type the opinion, Ctrl+Enter.
	w.open(out)
	w.do(chromedp.SendKeys(inTask("recheck", `[data-testid=comment]`), "复核无误"),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.WaitVisible(`.alert`))
	if msg := w.text(`.alert`); msg != "已办理。" {
		t.Fatalf("recheck by keyboard: %s", msg)
	}
	w.act(out, "print_issue", "approve",
		chromedp.SetValue(inTask("print_issue", `[data-testid=print-date]`), "2026-12-01"),
		chromedp.SetValue(inTask("print_issue", `[data-testid=copies]`), "30"))
	w.act(out, "distribute", "approve")
	w.do(chromedp.Navigate(e.srv.URL+"/docs/"+out+"/sheet"), chromedp.WaitVisible(`[data-testid=sheet]`))
	screenshot(t, ctx, "doc-sheet-outgoing")
	if s := w.text(`[data-testid=sheet-signoff]`); !strings.Contains(s, "同意印发") || !strings.Contains(s, director.Name) {
		t.Errorf("sheet sign-off: %q", s)
	}
	if c := w.text(`[data-testid=sheet-copies]`); c != "30" {
		t.Errorf("sheet copies: %q", c)
	}
	w.act(out, "archive", "approve")

	// A town receives it: the clerk signs for it from the list in one go.
	town := towns[0]
	townOffice := e.child(town.ID, "党政办")
	townClerk := e.withRole(org.RoleClerk, townOffice.ID)
	townDirector := e.withRole(org.RoleOfficeDirector, townOffice.ID)
	townLeader := e.head(town.ID)
	actor, _ := e.store.Actor(context.Background(), townClerk.ID, e.store.Now())
	items, _ := e.store.OpenTasksFor(context.Background(), actor, 100)
	in := ""
	for _, it := range items {
		if it.Doc.SourceID == out {
			in = it.Doc.ID
		}
	}
	if in == "" {
		t.Fatalf("%s received nothing", town.ShortName)
	}
	w.as(townClerk)
	w.do(chromedp.Navigate(e.srv.URL+"/docs?tab=todo"), chromedp.WaitVisible(`[data-testid=doc-table]`))
	screenshot(t, ctx, "doc-list-town")
	w.do(chromedp.Click(`input[name=item][value^="`+in+`:"]`), chromedp.Click(`[data-testid=bulk-signfor]`),
		chromedp.WaitVisible(`[data-testid=bulk-results]`))
	if r := w.text(`[data-testid=bulk-results]`); !strings.Contains(r, "已签收") {
		t.Fatalf("bulk sign for: %q", r)
	}
	w.act(in, "register", "approve")
	if n := w.text(`[data-testid=in-number]`); !strings.Contains(n, "收〔") {
		t.Errorf("incoming number %q", n)
	}
	w.as(townDirector)
	w.act(in, "propose", "approve", comment("propose", "拟请镇长阅示"), pick("propose", "person:"+townLeader.ID))
	instruction := "请党政办牵头抓好落实，12月10日前报结果。"
	w.as(townLeader)
	w.open(in)
	screenshot(t, ctx, "doc-instruct")
	if p := w.text(`[data-testid=proposal]`); !strings.Contains(p, "拟请镇长阅示") {
		t.Errorf("the leader does not see the 拟办意见: %q", p)
	}
	w.act(in, "instruct", "approve", comment("instruct", instruction),
		pick("instruct", "person:"+townDirector.ID), pick("instruct", "person:"+townClerk.ID),
		chromedp.Click(inTask("instruct", `input[name=lead][value="person:`+townDirector.ID+`"]`)))
	w.as(townClerk)
	w.act(in, "handle", "approve", comment("handle", "已通知各村"))
	w.as(townDirector)
	w.act(in, "handle", "approve", comment("handle", "已部署检查"), pick("handle", "person:"+townLeader.ID))
	w.as(townLeader)
	w.open(in)
	if c := w.text(`[data-testid=circulation]`); !strings.Contains(c, "未阅："+townLeader.Name) {
		t.Errorf("circulation before reading: %q", c)
	}
	w.act(in, "circulate", "approve")
	w.as(townClerk)
	w.act(in, "close", "approve", comment("close", "已办结"))
	w.do(chromedp.Navigate(e.srv.URL+"/docs/"+in+"/sheet"), chromedp.WaitVisible(`[data-testid=sheet]`))
	screenshot(t, ctx, "doc-sheet-incoming")
	if s := w.text(`[data-testid=sheet-instruction]`); !strings.Contains(s, instruction) {
		t.Errorf("instruction not verbatim on the sheet: %q", s)
	}
	w.act(in, "archive", "approve")
	w.do(chromedp.Navigate(e.srv.URL+"/docs?tab=closed"), chromedp.WaitVisible(`[data-testid=doc-table]`))
	if list := w.text(`[data-testid=doc-table]`); !strings.Contains(list, title) {
		t.Errorf("closed list lacks the item: %q", list)
	}

	// The same pages on a phone.
	w.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/docs/"+in), chromedp.WaitVisible(`[data-testid=track]`))
	screenshot(t, ctx, "doc-phone")
	w.do(chromedp.Navigate(e.srv.URL+"/docs?tab=closed"), chromedp.WaitVisible(`[data-testid=doc-table]`))
	screenshot(t, ctx, "doc-list-phone")
	w.do(chromedp.EmulateReset())

	for _, id := range []string{out, in} {
		got, err := e.store.Document(context.Background(), id)
		if err != nil || got.Status != route.Done {
			t.Errorf("%s: %s %v", id, got.Status, err)
		}
	}
	if _, err := e.store.VerifyAudit(context.Background()); err != nil {
		t.Error(err)
	}
	t.Logf("both routes through the browser in %s", time.Since(start).Round(time.Millisecond))
	_ = demo.Password
}
