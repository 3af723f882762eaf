package web_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// selectMany selects the options of a multiple select whose values are given.
func (w *walker) selectMany(sel string, values ...string) {
	w.t.Helper()
	js := `(function(){var s=document.querySelector(` + jsString(sel) + `);var want=` + jsArray(values) + `;` +
		`Array.from(s.options).forEach(function(o){o.selected=want.indexOf(o.value)>=0});return Array.from(s.selectedOptions).length})()`
	n, err := chromedp.Run(w.ctx, chromedp.Evaluate[int](js))
	if err != nil || n != len(values) {
		w.t.Fatalf("select %s: %d of %d selected (%v)", sel, n, len(values), err)
	}
}

func jsArray(ss []string) string {
	var q []string
	for _, s := range ss {
		q = append(q, jsString(s))
	}
	return "[" + strings.Join(q, ",") + "]"
}

// TestBrowserResearch is issue 15's 调研 in a browser, on both stores: the
// 政府办 sets a topic assigned to two units with a deadline; 区发改局's
// handler submits a report, which the office returns once with a reason and
// accepts when it comes again; a leader's 批示 is recorded and the 督查员 turns
// it into a supervision item; the report is in the library; past the
// deadline the office urges the unit that has not reported, whose clerks are
// told. Every page names units and people, never IDs.
func TestBrowserResearch(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC) // 09:30 in Beijing, a Monday
		e := newEnvOn(t, s, c)
		ctx := browserWithin(t, 4*time.Minute)
		w := &walker{t: t, ctx: ctx, e: e}
		ndrc, town := e.unit("区发改局"), e.unit("白沙镇")
		clerk, handler, ducha := e.byLogin("wenmi"), e.byLogin("chengban"), e.byLogin("ducha")
		const topic = "关于优化营商环境的专题调研"
		confirm := func(sel string) {
			w.t.Helper()
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll(".alert").forEach(function(a){a.remove()}) || true`)); err != nil {
				t.Fatal(err)
			}
			w.do(chromedp.Click(sel), chromedp.WaitVisible(`.alert`))
			if msg := w.text(`.alert`); strings.Contains(msg, "错误") || strings.Contains(msg, "请") {
				t.Fatalf("%s: %q", sel, msg)
			}
		}
		noIDs := func(where string) {
			w.t.Helper()
			body := w.text(`main`)
			for _, id := range []string{ndrc.ID, town.ID, clerk.ID, handler.ID} {
				if strings.Contains(body, id) {
					t.Fatalf("%s shows the ID %s", where, id)
				}
			}
		}

		// The office sets the topic for two units, due in three days.
		w.as(clerk)
		w.do(chromedp.Navigate(e.srv.URL+"/research"), chromedp.WaitVisible(`[data-testid=research-new-form]`),
			chromedp.SetValue(`[data-testid=research-title]`, topic),
			chromedp.SetValue(`[data-testid=research-brief]`, "摸清企业办事堵点，提出对策建议。"),
			chromedp.SetValue(`[data-testid=research-due]`, "2026-12-03"))
		w.selectMany(`[data-testid=research-units]`, ndrc.ID, town.ID)
		w.do(chromedp.Click(`[data-testid=research-create]`), chromedp.WaitVisible(`[data-testid=research-topic-title]`))
		page, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		page = strings.SplitN(page, "?", 2)[0]
		if st := w.text(`[data-testid=research-state]`); st != "调研中" {
			t.Fatalf("new topic: %q", st)
		}
		if facts := w.text(`dl.facts`); !strings.Contains(facts, ndrc.ShortName) || !strings.Contains(facts, town.ShortName) || !strings.Contains(facts, "2026年12月3日") {
			t.Fatalf("the topic's facts: %q", facts)
		}
		noIDs("the topic's page")

		// 区发改局's handler reports; the office returns it once.
		submit := func(title string) {
			w.t.Helper()
			w.as(handler)
			w.do(chromedp.Navigate(page), chromedp.WaitVisible(`[data-testid=research-submit-form]`),
				chromedp.SetValue(`[data-testid=research-report-title]`, title),
				chromedp.SetValue(`[data-testid=research-report-body-input]`, "一、基本情况。全区企业开办已实现一日办结。\n二、存在问题。部分审批事项仍需多头跑。\n三、对策建议。推行“一件事一次办”。"))
			confirm(`[data-testid=research-submit]`)
		}
		submit("营商环境调研报告（初稿）")
		w.as(clerk)
		w.do(chromedp.Navigate(page), chromedp.WaitVisible(`[data-testid=research-accept]`),
			chromedp.SetValue(`form[action$="/return"] input[name=reason]`, "对策建议不够具体，请补充。"))
		confirm(`form[action$="/return"] button`)
		if st := w.text(`[data-testid=research-report] [data-testid=research-report-state]`); !strings.Contains(w.text(`[data-testid=research-report] .meta`), "对策建议不够具体") || st == "" {
			t.Fatalf("the returned report: %q %q", st, w.text(`[data-testid=research-report] .meta`))
		}
		if meta := w.text(`[data-testid=research-report] .meta`); !strings.Contains(meta, ndrc.ShortName) || !strings.Contains(meta, handler.Name) {
			t.Fatalf("the report names %q", meta)
		}
		submit("营商环境调研报告")
		w.as(clerk)
		w.do(chromedp.Navigate(page), chromedp.WaitVisible(`[data-testid=research-accept]`))
		confirm(`[data-testid=research-accept]`)
		states, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=research-report-state]')).map(function(s){return s.textContent})`))
		if err != nil || len(states) != 2 || states[0] == states[1] {
			t.Fatalf("report states: %q %v", states, err)
		}

		// A leader's 批示, turned into a supervision item by the 督查员.
		w.do(chromedp.SetValue(`[data-testid=research-ins-leader]`, "区长 李华"),
			chromedp.SetValue(`[data-testid=research-ins-date]`, "2026-11-30"),
			chromedp.SetValue(`[data-testid=research-ins-text]`, "请区发改局牵头，抓好建议落实。"))
		confirm(`[data-testid=research-ins-add]`)
		if ins := w.text(`[data-testid=research-instructions]`); !strings.Contains(ins, "区长 李华") || !strings.Contains(ins, "抓好建议落实") {
			t.Fatalf("instructions: %q", ins)
		}
		w.as(ducha)
		w.do(chromedp.Navigate(page), chromedp.WaitVisible(`[data-testid=research-supervise]`))
		confirm(`[data-testid=research-supervise]`)
		w.do(chromedp.Click(`[data-testid=research-sup-link]`))
		w.waitURL("/supervise/items/")
		w.do(chromedp.WaitVisible(`h1`))
		if h := w.text(`main`); !strings.Contains(h, "抓好建议落实") || !strings.Contains(h, ndrc.ShortName) {
			t.Fatalf("the supervision item's page: %q", h)
		}

		// The finished report is in the library.
		w.as(clerk)
		w.do(chromedp.Navigate(e.srv.URL+"/research/library?q="+"营商环境"), chromedp.WaitVisible(`main`))
		if lib := w.text(`main`); !strings.Contains(lib, "营商环境调研报告") || strings.Contains(lib, "初稿") || !strings.Contains(lib, ndrc.ShortName) {
			t.Fatalf("library: %q", lib)
		}
		noIDs("the library")

		// Past the deadline: the topic is overdue and 白沙镇 is urged.
		c.t = c.t.AddDate(0, 0, 5)
		w.as(clerk)
		w.do(chromedp.Navigate(page), chromedp.WaitVisible(`[data-testid=research-urge]`))
		if st := w.text(`[data-testid=research-state]`); st != "已逾期" {
			t.Fatalf("past the deadline: %q", st)
		}
		if facts := w.text(`dl.facts`); !strings.Contains(facts, "逾期未报") || !strings.Contains(facts, town.ShortName) || strings.Contains(facts[strings.Index(facts, "逾期未报"):], ndrc.ShortName) {
			t.Fatalf("逾期未报: %q", facts)
		}
		confirm(`[data-testid=research-urge]`)
		if msg := w.text(`.alert`); msg != "已催报" {
			t.Fatalf("urge: %q", msg)
		}
		told := false
		seen := map[string]bool{}
		for _, a := range e.d.Roles {
			if a.UnitID != town.ID && e.parentOf(a.UnitID) != town.ID || seen[a.PersonID] {
				continue
			}
			seen[a.PersonID] = true
			p := e.person(a.PersonID)
			cl := e.client()
			cl.login(p.Login, demo.Password)
			if _, inbox, _ := cl.get("/inbox"); strings.Contains(inbox, "调研催报："+topic) {
				told = true
			}
		}
		if !told {
			t.Fatalf("no one of %s (%d people) was urged", town.ShortName, len(seen))
		}
		w.do(chromedp.Navigate(e.srv.URL+"/research"), chromedp.WaitVisible(`[data-testid=research-table]`))
		if row := w.text(`[data-testid=research-row]`); !strings.Contains(row, topic) || !strings.Contains(row, ndrc.ShortName) || !strings.Contains(row, "逾期") {
			t.Fatalf("the list's row: %q", row)
		}
	})
}
