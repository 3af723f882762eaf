package web_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestBrowserInfo is issue 15's done-when for 信息报送, on both stores: two
// towns submit information, the 政府办's director adopts one, records its
// adoption by the city and a leader's 批示, the 督查员 turns the 批示 into a
// supervision item (linked both ways), and the director compiles it into
// 《信息专报》, whose page shows it under its number; the scoreboard ranks the
// towns by it and its drill-down shows exactly the report behind the points.
func TestBrowserInfo(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC) // 09:30 in Beijing, a Monday
		e := newEnvOn(t, s, c)
		ctx := browser(t)
		w := &walker{t: t, ctx: ctx, e: e}
		office := e.unit("政府办").ID
		zhuren, ducha := e.byLogin("zhuren"), e.byLogin("ducha")
		towns := []org.Person{e.head(e.unit("白沙镇").ID), e.head(e.unit("石桥镇").ID)}
		titles := []string{"白沙镇“三资”清理盘活集体资产两千万元", "石桥镇推行“村规民约积分制”"}

		confirm := func(button string) {
			w.t.Helper()
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll(".alert").forEach(function(a){a.remove()}) || true`)); err != nil {
				t.Fatal(err)
			}
			w.do(chromedp.Click(`[data-testid=`+button+`]`), chromedp.WaitVisible(`.alert`))
		}
		idOf := func() string {
			w.t.Helper()
			loc, err := chromedp.Run(ctx, chromedp.Location())
			if err != nil {
				t.Fatal(err)
			}
			loc = strings.SplitN(loc, "?", 2)[0]
			return loc[strings.LastIndex(loc, "/")+1:]
		}

		var ids []string
		for i, p := range towns {
			w.as(p)
			w.do(chromedp.Click(`[data-testid=info-link]`), chromedp.WaitVisible(`[data-testid=info-new]`),
				chromedp.Click(`[data-testid=info-new]`), chromedp.WaitVisible(`[data-testid=info-form]`),
				chromedp.SetValue(`[data-testid=info-office]`, office),
				chromedp.SetValue(`[data-testid=info-title]`, titles[i]),
				chromedp.SetValue(`[data-testid=info-body]`, "今年以来，该镇建立台账、逐项清理，成效明显。"))
			confirm("info-submit")
			if st := w.text(`[data-testid=info-status]`); st != "已报送" {
				t.Fatalf("%s submitted: %q", p.Name, st)
			}
			ids = append(ids, idOf())
		}

		// The director adopts the first, then records the city's adoption and a 批示.
		w.as(zhuren)
		w.do(chromedp.Navigate(e.srv.URL+"/info?tab=queue"), chromedp.WaitVisible(`[data-testid=info-table]`),
			chromedp.Click(`[data-testid=info-row][data-id="`+ids[0]+`"] [data-testid=info-link]`), chromedp.WaitVisible(`[data-testid=info-adopt-form]`))
		confirm("info-adopt")
		w.do(chromedp.SetValue(`[data-testid=info-adoption-level]`, "city"),
			chromedp.SetValue(`[data-testid=info-adoption-outlet]`, "云泽市委办公室《每日汇报》"))
		confirm("info-adoption")
		if a := w.text(`[data-testid=info-adoptions]`); !strings.Contains(a, "市级采用 · 云泽市委办公室《每日汇报》") {
			t.Fatalf("adoptions: %q", a)
		}
		w.do(chromedp.SetValue(`[data-testid=info-ins-leader]`, "市委书记 李明"),
			chromedp.SetValue(`[data-testid=info-ins-level]`, "city"),
			chromedp.SetValue(`[data-testid=info-ins-text]`, "这个做法好，请在全市推广。"))
		confirm("info-instruction")

		// The 督查员 turns the 批示 into a supervision item in one action.
		w.as(ducha)
		w.do(chromedp.Navigate(e.srv.URL+"/info/"+ids[0]), chromedp.WaitVisible(`[data-testid=info-supervise-form]`))
		confirm("info-supervise")
		w.do(chromedp.Click(`[data-testid=info-sup-link]`), chromedp.WaitVisible(`[data-testid=sup-info-link]`))
		if l := w.text(`[data-testid=sup-info-link]`); l != titles[0] {
			t.Fatalf("the item names %q", l)
		}

		// The director compiles it into 《信息专报》.
		w.as(zhuren)
		w.do(chromedp.Navigate(e.srv.URL+"/info/issues"), chromedp.WaitVisible(`[data-testid=info-issue-form]`),
			chromedp.SetValue(`[data-testid=info-issue-pub]`, "special"),
			chromedp.Click(`[data-testid=info-issue-pick][value="`+ids[0]+`"]`))
		confirm("info-issue-create")
		if name, no := w.text(`[data-testid=info-masthead-name]`), w.text(`[data-testid=info-issue-no]`); name != "信息专报" || no != "2026年第1期" {
			t.Fatalf("masthead: %q %q", name, no)
		}
		if item := w.text(`[data-testid=info-issue-item] h2`); item != titles[0] {
			t.Fatalf("issue carries %q", item)
		}
		screenshot(t, ctx, "info-issue")
		// The second town's report is still with the editors; the first's
		// page links its issue.
		w.do(chromedp.Navigate(e.srv.URL+"/info/"+ids[0]), chromedp.WaitVisible(`[data-testid=info-issue-link]`))
		if l := w.text(`[data-testid=info-issue-link]`); l != "《信息专报》2026年第1期" {
			t.Fatalf("issue link: %q", l)
		}
		w.do(chromedp.Navigate(e.srv.URL+"/info/"+ids[1]), chromedp.WaitVisible(`[data-testid=info-status]`))
		if st := w.text(`[data-testid=info-status]`); st != "已报送" {
			t.Fatalf("the second town's report: %q", st)
		}

		// 考核评比: the scoreboard ranks 白沙镇, whose report scored, above
		// 石桥镇, and the drill-down from its 信息采用得分 lists exactly the
		// report behind the points.
		baisha, shiqiao := e.unit("白沙镇").ID, e.unit("石桥镇").ID
		w.do(chromedp.Navigate(e.srv.URL+"/evaluate?period=2026-11&class=towns"), chromedp.WaitVisible(`[data-testid=eval-board]`))
		row := func(unit string) string { return `[data-testid=eval-board] tr[data-unit="` + unit + `"]` }
		if r := w.text(row(baisha) + ` [data-testid=eval-rank]`); r != "1" {
			t.Fatalf("白沙镇 ranks %q", r)
		}
		ranks, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[`+"`"+baisha+"`"+`, `+"`"+shiqiao+"`"+`].map(function(u){return +document.querySelector('[data-testid=eval-board] tr[data-unit="'+u+'"] [data-testid=eval-rank]').textContent})`))
		if err != nil {
			t.Fatal(err)
		}
		if len(ranks) != 2 || ranks[1] <= ranks[0] {
			t.Fatalf("ranks 白沙镇, 石桥镇: %v", ranks)
		}
		info := row(baisha) + ` td[data-indicator=info_score] a[data-testid=eval-figure]`
		if f := w.text(info); f == "0 分" || !strings.HasSuffix(f, " 分") {
			t.Fatalf("白沙镇's 信息采用得分: %q", f)
		}
		screenshot(t, ctx, "eval-board")
		w.do(chromedp.Click(info), chromedp.WaitVisible(`[data-testid=eval-records]`))
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=eval-record]')).map(function(r){return r.dataset.id+' '+r.querySelector('a').textContent})`))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0] != ids[0]+" "+titles[0] {
			t.Fatalf("the records behind 白沙镇's points: %q", got)
		}
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=eval-hidden]').length`)); err != nil || n != 0 {
			t.Fatalf("records hidden from the director: %d %v", n, err)
		}
	})
}
