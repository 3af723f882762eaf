package web_test

import (
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/study"
)

// waitURL waits until the page's address contains part.
func (w *walker) waitURL(part string) {
	w.t.Helper()
	for range 100 {
		loc, err := chromedp.Run(w.ctx, chromedp.Location())
		if err != nil {
			w.t.Fatal(err)
		}
		if strings.Contains(loc, part) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	w.t.Fatalf("the page never reached an address with %q", part)
}

// TestBrowserStudy is issue 15's 学习培训 in a browser, on both stores: the
// 政府办's clerk sets a study plan with an assignment, which the handler sees
// among their tasks and marks learnt; a training session is set, one invitee
// signs in by the QR code's link and the other is signed in by the
// organizer; the year's hours per person show by name; the 范文 library
// finds an entry by its title and not the other.
func TestBrowserStudy(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC) // 09:30 in Beijing, a Monday
		e := newEnvOn(t, s, c)
		ctx := browserWithin(t, 4*time.Minute)
		w := &walker{t: t, ctx: ctx, e: e}
		clerk, handler, other := e.byLogin("wenmi"), e.byLogin("chengban"), e.byLogin("zhuren")
		ok := func(sel string) {
			w.t.Helper()
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll(".alert").forEach(function(a){a.remove()}) || true`)); err != nil {
				t.Fatal(err)
			}
			w.do(chromedp.Click(sel), chromedp.WaitVisible(`.alert`))
			if msg := w.text(`.alert`); msg != "已办理" {
				t.Fatalf("%s: %q", sel, msg)
			}
		}

		// A study plan with one assignment for the handler.
		w.as(clerk)
		form := `[data-testid=study-plan-form] `
		w.do(chromedp.Navigate(e.srv.URL+"/study"), chromedp.WaitVisible(`[data-testid=study-plan-form]`),
			chromedp.SetValue(form+`input[name=title]`, "2026年度机关理论学习计划"),
			chromedp.SetValue(form+`input[name=topic]`, "学习《党政机关公文处理工作条例》"),
			chromedp.SetValue(form+`input[name=material]`, "条例全文及释义"),
			chromedp.SetValue(form+`input[name=due]`, "2026-12-15"))
		w.selectMany(form+`select[name=person]`, handler.ID)
		ok(form + `button`)
		if plan := w.text(`main`); !strings.Contains(plan, "2026年度机关理论学习计划") || !strings.Contains(plan, handler.Name) || !strings.Contains(plan, "0 / 1") {
			t.Fatalf("the plan: %q", plan)
		}

		w.as(handler)
		w.do(chromedp.Navigate(e.srv.URL+"/study"), chromedp.WaitVisible(`[data-testid=study-mine]`))
		if mine := w.text(`[data-testid=study-mine] tbody`); !strings.Contains(mine, "公文处理工作条例") || !strings.Contains(mine, "2026年12月15日") {
			t.Fatalf("the handler's tasks: %q", mine)
		}
		w.do(chromedp.SetValue(`[data-testid=study-mine] input[name=note]`, "重点掌握公文格式和行文规则。"))
		ok(`[data-testid=study-mine] button`)
		if mine := w.text(`[data-testid=study-mine] tbody`); strings.Contains(mine, "公文处理工作条例") {
			t.Fatalf("still owing after 学完: %q", mine)
		}

		// A training session for two; the handler signs in by the QR link,
		// the organizer signs the other in.
		w.as(clerk)
		start := c.t.Add(30 * time.Minute).In(time.FixedZone("CST", 8*3600))
		w.do(chromedp.Navigate(e.srv.URL+"/study"), chromedp.WaitVisible(`[data-testid=study-training-form]`),
			chromedp.SetValue(`[data-testid=training-title]`, "公文写作专题培训"),
			chromedp.SetValue(`[data-testid=study-training-form] input[name=place]`, "区政府三楼会议室"),
			chromedp.SetValue(`[data-testid=training-start]`, start.Format("2006-01-02 15:04")),
			chromedp.SetValue(`[data-testid=training-end]`, start.Add(90*time.Minute).Format("2006-01-02 15:04")))
		w.selectMany(`[data-testid=training-people]`, handler.ID, other.ID)
		w.do(chromedp.Click(`[data-testid=training-create]`), chromedp.WaitVisible(`[data-testid=training-attendance]`))
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		page := strings.SplitN(loc, "?", 2)[0]
		if h := w.text(`[data-testid=training-hours]`); h != "1.5" {
			t.Fatalf("the session's hours: %q", h)
		}
		tr, err := s.Training(t.Context(), page[strings.LastIndex(page, "/")+1:])
		if err != nil {
			t.Fatal(err)
		}
		w.as(handler)
		tok := study.SignInToken(tr, c.t.Add(5*time.Minute))
		w.do(chromedp.Navigate(page+"/checkin?t="+url.QueryEscape(tok)), chromedp.WaitVisible(`[data-testid=training-checkin]`))
		if b := w.text(`[data-testid=training-checkin]`); !strings.Contains(b, handler.Name) {
			t.Fatalf("the check-in button: %q", b)
		}
		w.do(chromedp.Click(`[data-testid=training-checkin]`), chromedp.WaitVisible(`[data-testid=training-attendance]`))
		w.as(clerk)
		w.do(chromedp.Navigate(page), chromedp.WaitVisible(`[data-testid=training-sign-in]`))
		w.do(chromedp.Click(`[data-testid=training-sign-in]`), chromedp.WaitVisible(`.alert`))
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=training-person]')).map(function(r){return r.cells[0].textContent+'|'+r.cells[1].textContent})`))
		if err != nil || len(rows) != 2 {
			t.Fatalf("attendance: %q %v", rows, err)
		}
		for _, r := range rows {
			name, how, _ := strings.Cut(r, "|")
			want := map[string]string{handler.Name: "（扫码）", other.Name: "（代签）"}[name]
			if want == "" || !strings.Contains(how, want) {
				t.Errorf("attendance row %q, want %s", r, want)
			}
		}
		if m := w.text(`main`); !strings.Contains(m, "签到情况（2 / 2）") {
			t.Errorf("attendance heading: %q", m)
		}

		// The year's hours per person, by name.
		w.do(chromedp.Navigate(e.srv.URL+"/study"), chromedp.WaitVisible(`[data-testid=study-hours]`))
		hours, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=study-hours-row]')).map(function(r){return r.cells[0].textContent+' '+r.cells[1].textContent})`))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{handler.Name, other.Name} {
			found := false
			for _, h := range hours {
				found = found || h == p+" 1.5"
			}
			if !found {
				t.Errorf("no 1.5 hours for %s: %q", p, hours)
			}
		}

		// The 范文 library: two entries, a search finds one.
		for _, en := range [][2]string{{"关于做好冬季安全生产工作的通知", "一、高度重视。"}, {"白沙镇“三资”清理经验交流", "一、摸清底数。"}} {
			lib := `[data-testid=study-library-form] `
			w.do(chromedp.Navigate(e.srv.URL+"/study/library"), chromedp.WaitVisible(`[data-testid=study-library-form]`),
				chromedp.SetValue(lib+`input[name=title]`, en[0]),
				chromedp.SetValue(lib+`textarea[name=body]`, en[1]),
				chromedp.SetValue(lib+`input[name=summary]`, "结构清晰，可资借鉴"),
				chromedp.Click(lib+`button`), chromedp.WaitVisible(`article.panel h1`))
			if h := w.text(`article.panel h1`); !strings.Contains(h, en[0]) {
				t.Fatalf("the entry's page: %q", h)
			}
		}
		w.as(handler)
		w.do(chromedp.Navigate(e.srv.URL+"/study/library"), chromedp.WaitVisible(`[data-testid=study-library-q]`),
			chromedp.SetValue(`[data-testid=study-library-q]`, "安全生产"),
			chromedp.Click(`[data-testid=study-library-search] button`))
		w.waitURL("q=")
		w.do(chromedp.WaitVisible(`[data-testid=study-library-table]`))
		found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=study-library-row]')).map(function(r){return r.cells[0].textContent})`))
		if err != nil || len(found) != 1 || !strings.Contains(found[0], "冬季安全生产") {
			t.Fatalf("search 安全生产: %q %v", found, err)
		}
		w.do(chromedp.SetValue(`[data-testid=study-library-q]`, "不存在的标题"),
			chromedp.Click(`[data-testid=study-library-search] button`), chromedp.WaitVisible(`p.empty`))
		if m := w.text(`main`); !strings.Contains(m, "没有符合条件的文稿") {
			t.Fatalf("a search for a missing title: %q", m)
		}
	})
}
