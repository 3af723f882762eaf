package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/schedule"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// instructedIncoming registers an incoming document in the 政府办 and walks
// it to a leader's 批办 through the store, returning its ID.
func instructedIncoming(t *testing.T, e *env, instruction string) string {
	t.Helper()
	ctx := context.Background()
	office := e.unit("政府办")
	clerk, director, leader := e.byLogin("wenmi"), e.byLogin("zhuren"), e.byLogin("lingdao")
	rec, err := e.store.RegisterIncoming(ctx, clerk, office.ID, document.Document{Type: document.Notice, Title: "云泽市人民政府关于开展背街小巷照明整治的通知"}, "云泽市人民政府")
	if err != nil {
		t.Fatal(err)
	}
	act := func(p org.Person, step string, req route.Request) {
		t.Helper()
		in, err := e.store.Instance(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range in.Tasks {
			if tk.Status == route.Open && in.Template.Steps[tk.Step].Key == step {
				req.Task = tk.ID
				if _, err := e.store.Act(ctx, p, rec.ID, req); err != nil {
					t.Fatalf("%s: %v", step, err)
				}
				return
			}
		}
		t.Fatalf("no open task at %s", step)
	}
	act(clerk, "sign_for", route.Request{Op: route.Acknowledge})
	act(clerk, "sign_for", route.Request{Op: route.Approve})
	act(clerk, "register", route.Request{Op: route.Approve})
	act(director, "propose", route.Request{Op: route.Approve, Comment: "拟请分管副区长阅示",
		Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: leader.ID}}}})
	act(leader, "instruct", route.Request{Op: route.Approve, Comment: instruction,
		Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: director.ID}, Lead: true}}})
	return rec.ID
}

// TestBrowserSupervision is issue 4's done-when: a leader's instruction on a
// received document becomes an item; two units sign for it; one misses a
// progress report and turns yellow; the deadline passes and it turns red and
// is escalated; an extension is asked and granted; evidence is submitted,
// returned once, resubmitted and closed; the statistics page shows it. Time
// passes on the store's clock and the scheduler is ticked directly.
func TestBrowserSupervision(t *testing.T) {
	e := newSupEnv(t)
	ctx := browser(t)
	w := &walker{t: t, ctx: ctx, e: e}
	loc := time.FixedZone("CST", 8*3600)
	set := func(y int, m time.Month, d, h, min int) { e.clock.t = time.Date(y, m, d, h, min, 0, 0, loc) }
	set(2026, 11, 30, 9, 30) // a Monday
	const instruction = "请区发改局牵头、区财政局配合，十五个工作日内完成整治并报结果。"
	docID := instructedIncoming(t, e, instruction)
	dev, fin := e.unit("区发改局"), e.unit("区财政局")
	devHead, finHead := e.head(dev.ID), e.head(fin.ID)
	sup := e.byLogin("ducha")

	// 立项 in one click from the document page: the instruction comes verbatim.
	w.as(sup)
	w.do(chromedp.Navigate(e.srv.URL+"/docs/"+docID), chromedp.WaitVisible(`[data-testid=sup-from-doc]`),
		chromedp.Click(`[data-testid=sup-from-doc]`), chromedp.WaitVisible(`[data-testid=sup-new-form]`))
	if got, err := chromedp.Run(ctx, chromedp.Value(`[data-testid=sup-instruction]`)); err != nil || got != instruction {
		t.Fatalf("instruction not carried verbatim: %q %v", got, err)
	}
	w.do(chromedp.SetValue(`[data-testid=sup-lead]`, dev.ID),
		chromedp.SetAttributeValue(`[data-testid=sup-co] option[value="`+fin.ID+`"]`, "selected", "selected"),
		chromedp.SetValue(`[data-testid=sup-workdays]`, "15"),
		chromedp.SetValue(`[data-testid=sup-schedule]`, "每周五"),
		chromedp.Click(`[data-testid=sup-create]`), chromedp.WaitVisible(`[data-testid=sup-state]`))
	screenshot(t, ctx, "sup-created")
	if s := w.text(`[data-testid=sup-state]`); s != "已交办待签收" {
		t.Fatalf("state after 立项: %q (%s)", s, w.text(`main`))
	}
	itemURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	itemURL = strings.SplitN(itemURL, "?", 2)[0]
	id := itemURL[strings.LastIndex(itemURL, "/")+1:]
	if link := w.text(`[data-testid=sup-doc-link]`); !strings.Contains(link, "背街小巷照明整治") {
		t.Errorf("no link to the document: %q", link)
	}

	runner := &schedule.Runner{Store: e.store, Worker: "test", Sweeps: []schedule.Sweep{{Name: store.SupervisionSweepName, Start: e.clock.t,
		Run: func(ctx context.Context, tx *store.Tx, from, to time.Time) error {
			_, err := tx.RunSupervision(ctx, from, to, nil)
			return err
		}}}}
	tick := func() {
		t.Helper()
		if err := runner.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	open := func() {
		w.t.Helper()
		w.do(chromedp.Navigate(itemURL), chromedp.WaitVisible(`[data-testid=sup-state]`))
	}
	submit := func(button string) {
		w.t.Helper()
		// Mark the page, so that the alert waited for is the next page's,
		// not the one a previous action left.
		w.do(chromedp.SetAttributeValue(`body`, "data-stale", "1"), chromedp.Click(`[data-testid=`+button+`]`),
			chromedp.WaitNotPresent(`body[data-stale]`), chromedp.WaitVisible(`.alert`))
		if msg := w.text(`.alert`); !strings.HasPrefix(msg, "已") {
			w.t.Fatalf("%s: %s", button, msg)
		}
	}

	// Both units sign for it.
	set(2026, 11, 30, 10, 30)
	for _, p := range []org.Person{devHead, finHead} {
		w.as(p)
		open()
		submit("sup-signfor")
	}
	if s := w.text(`[data-testid=sup-state]`); s != "办理中" {
		t.Fatalf("state after both signed: %q", s)
	}
	// The lead unit reports on Thursday; the co-unit misses Friday's report.
	set(2026, 12, 3, 15, 0)
	w.as(devHead)
	open()
	w.do(chromedp.SetValue(`[data-testid=sup-report-text]`, "已完成主干道路灯排查 120 盏"))
	submit("sup-report")
	set(2026, 12, 4, 18, 0)
	tick()
	w.as(sup)
	open()
	if l := w.text(`[data-testid=sup-light]`); l != "黄灯" {
		t.Fatalf("after the missed report: %q", l)
	}
	if !hasMessage(t, e, finHead.ID, id, "report_missing") || !hasMessage(t, e, sup.ID, id, "report_missing") {
		t.Error("the missed report was not notified to the unit and the 督查室")
	}
	// The deadline (15 working days from 交办) passes: red, escalated to the 分管领导.
	set(2026, 12, 22, 9, 40)
	tick()
	w.as(sup)
	open()
	screenshot(t, ctx, "sup-red")
	if l := w.text(`[data-testid=sup-light]`); l != "红灯" {
		t.Fatalf("after the deadline: %q", l)
	}
	oversight, err := e.store.Oversight(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	escalated := 0
	for _, o := range oversight {
		if o.UnitID == dev.ID {
			if !hasMessage(t, e, o.LeaderID, id, "escalate") {
				t.Errorf("leader %s overseeing the lead unit was not told", o.LeaderID)
			}
			escalated++
		}
	}
	if escalated == 0 {
		t.Fatal("the lead unit has no 分管领导 in the demo")
	}
	// An extension is asked and granted; the original deadline stays on record.
	w.as(devHead)
	open()
	w.do(chromedp.SetValue(`[data-testid=sup-extension-date]`, "2026-12-31"),
		chromedp.SetValue(`[data-testid=sup-extension-reason]`, "灯具供货延迟"))
	submit("sup-extension")
	w.as(sup)
	open()
	submit("sup-grant")
	if d := w.text(`[data-testid=sup-deadline]`); !strings.Contains(d, "2026-12-31") || !strings.Contains(d, "原定") {
		t.Fatalf("deadline after the extension: %q", d)
	}
	// Evidence submitted, returned once, resubmitted, closed.
	set(2026, 12, 28, 10, 0)
	w.as(devHead)
	open()
	w.do(chromedp.SetValue(`[data-testid=sup-close-text]`, "整治完成，共更换灯具 86 盏"))
	submit("sup-request-close")
	w.as(sup)
	open()
	w.do(chromedp.SetValue(`[data-testid=sup-review-reason]`, "请补充整治前后照片"))
	submit("sup-return")
	w.as(devHead)
	open()
	submit("sup-signfor")
	// The resubmission carries the photos as a file.
	photo := filepath.Join(t.TempDir(), "整治前后照片.png")
	if err := os.WriteFile(photo, append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...), 0o600); err != nil {
		t.Fatal(err)
	}
	w.do(chromedp.SetValue(`[data-testid=sup-close-text]`, "整治完成，附整治前后照片"),
		chromedp.SetUploadFiles(`[data-testid=sup-close-files]`, []string{photo}))
	submit("sup-request-close")
	w.as(sup)
	open()
	if files := w.text(`[data-testid=sup-submits]`); !strings.Contains(files, "整治前后照片.png") {
		t.Fatalf("the evidence file is not shown: %q", files)
	}
	submit("sup-approve")
	if s := w.text(`[data-testid=sup-state]`); s != "已办结" {
		t.Fatalf("state after review: %q", s)
	}
	screenshot(t, ctx, "sup-closed")
	// The statistics: one item, closed on time (with its extension), one extension.
	w.do(chromedp.Navigate(e.srv.URL+"/supervise/stats?from=2026-11-01&to=2026-12-31"), chromedp.WaitVisible(`[data-testid=stat-total]`))
	screenshot(t, ctx, "sup-stats")
	total := w.text(`[data-testid=stat-total] tbody tr`)
	cells := strings.Fields(total)
	// 合计 items new due closed on-time rate overdue avg extensions urgings satisfaction rate
	if len(cells) < 11 || cells[1] != "1" || cells[4] != "1" || cells[5] != "1" || cells[6] != "100.0%" || cells[7] != "0" || cells[9] != "1" {
		t.Fatalf("statistics row: %q", total)
	}
	units := w.text(`[data-testid=stat-units]`)
	if !strings.Contains(units, dev.ShortName) {
		t.Errorf("per-unit table lacks the lead unit: %q", units)
	}
	// Every number clicks through to its items.
	w.do(chromedp.Click(`[data-testid=stat-total] [data-testid=stat-ontime]`), chromedp.WaitVisible(`[data-testid=sup-table]`))
	if rows := w.text(`[data-testid=sup-table]`); !strings.Contains(rows, "背街小巷照明整治") {
		t.Errorf("click-through: %q", rows)
	}
	it, err := e.store.SupItem(context.Background(), id)
	if err != nil || it.Source != supervise.FromInstruction || it.Ref != docID || it.Instruction != instruction || len(it.Submits) != 2 {
		t.Fatalf("stored item: %+v %v", it.Source, err)
	}
}

func hasMessage(t *testing.T, e *env, personID, itemID, kind string) bool {
	t.Helper()
	ms, err := e.store.Inbox(context.Background(), personID, false, 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Kind == "supervise."+kind && strings.Contains(m.Link, itemID) {
			return true
		}
	}
	return false
}
