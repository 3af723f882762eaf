package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestBrowserDutyHandover, on both stores: the 政府办's director generates
// a three-day roster and publishes it in the browser; Monday's 值班员
// records a call, files the log and hands over with an open matter, which
// Tuesday's acknowledges in the browser; Tuesday's hands over a matter
// nobody acknowledges and files no log, and an hour after the handover the
// director's 预警 page flags both.
func TestBrowserDutyHandover(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)} // 09:00 in Beijing
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
		e := newEnvOn(t, s, c)
		ctx := browser(t)
		beijing := func(v string) time.Time {
			tm, err := time.ParseInLocation("2006-01-02 15:04", v, time.FixedZone("CST", 8*3600))
			if err != nil {
				t.Fatal(err)
			}
			return tm.UTC()
		}
		office := e.unit("政府办")
		secretariat := e.child(office.ID, "秘书科")
		staff := []string{e.byLogin("wenmi").ID, e.byLogin("ducha").ID}
		for _, p := range e.d.Positions {
			if p.UnitID == secretariat.ID && !slices.Contains(staff, p.PersonID) && len(staff) < 3 {
				staff = append(staff, p.PersonID)
			}
		}
		leaders := []string{e.byLogin("lingdao").ID, e.byLogin("zhuren").ID}
		api := e.client()
		api.login("zhuren", demo.Password)
		code, out, _ := api.call("POST", "/api/v1/duty/rosters", map[string]any{"unit_id": office.ID, "title": "12月上旬值班安排",
			"from": "2026-12-07", "to": "2026-12-09", "mode": "daily", "leaders": leaders, "staff": staff})
		if code != http.StatusCreated {
			t.Fatalf("create roster: %d %v", code, out)
		}
		id := out["id"].(string)
		shifts := out["shifts"].([]any)
		staffOn := func(i int) org.Person { return e.person(shifts[i].(map[string]any)["staff_id"].(string)) }
		mon, tue, wed := staffOn(0), staffOn(1), staffOn(2)

		signIn := func(login string) {
			t.Helper()
			clear := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
				_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
				return chromedp.Void{}, err
			}
			if err := chromedp.Do(ctx, clear); err != nil {
				t.Fatal(err)
			}
			if err := browserLogin(ctx, e.srv.URL, login); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.WaitVisible(`header.top`)); err != nil {
				t.Fatal(err)
			}
		}
		open := func(path string) {
			t.Helper()
			if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+path)); err != nil {
				t.Fatal(err)
			}
		}
		do := func(actions ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			if err := chromedp.Do(ctx, actions...); err != nil {
				t.Fatal(err)
			}
		}

		// after clicks sel and waits for the page it leads to, which says
		// ?notice=notice in its address.
		after := func(sel, notice string) {
			t.Helper()
			do(chromedp.Click(sel))
			for range 100 {
				loc, err := chromedp.Run(ctx, chromedp.Location())
				if err == nil && strings.Contains(loc, "notice="+notice) {
					if err := chromedp.Do(ctx, chromedp.WaitVisible(`.alert.ok`)); err != nil {
						t.Fatal(err)
					}
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
			t.Fatalf("after %s: no page with notice %s; on it: %q", sel, notice, text(t, ctx, `main`))
		}

		// The director publishes the draft from its page.
		signIn("zhuren")
		open("/duty/rosters/" + id)
		after(`[data-testid=duty-publish]`, "published")
		if st := text(t, ctx, `[data-testid=duty-state]`); st != "已发布" {
			t.Fatalf("state after publishing: %q", st)
		}
		screenshot(t, ctx, "duty-roster")

		// Monday evening: a call, the log filed, the handover with an open matter.
		c.t = beijing("2026-12-07 20:00")
		signIn(mon.Login)
		open("/duty/rosters/" + id + "/shifts/2026-12-07")
		do(chromedp.SendKeys(`[data-testid=entry-form] input[name=party]`, "张建国"),
			chromedp.SendKeys(`[data-testid=entry-form] input[name=party_unit]`, "区应急管理局"),
			chromedp.SendKeys(`[data-testid=entry-form] textarea[name=content]`, "报告城东路段夜间道路结冰"),
			chromedp.SendKeys(`[data-testid=entry-form] textarea[name=handling]`, "已通知区交通运输局撒盐除冰"),
		)
		after(`[data-testid=entry-add]`, "logged")
		if log := text(t, ctx, `[data-testid=duty-log]`); !strings.Contains(log, "张建国") || !strings.Contains(log, "撒盐除冰") {
			t.Fatalf("log after the call: %q", log)
		}
		c.t = beijing("2026-12-08 08:20") // the session has lapsed overnight
		signIn(mon.Login)
		open("/duty/rosters/" + id + "/shifts/2026-12-07")
		do(chromedp.SendKeys(`[data-testid=submit-form] textarea[name=summary]`, "处理道路结冰来电一起，其余平稳"))
		after(`[data-testid=log-submit]`, "submitted")
		text(t, ctx, `[data-testid=log-submitted]`)
		do(chromedp.SendKeys(`[data-testid=handover-form] textarea[name=matters]`, "区应急管理局来电待回复除冰进展"))
		after(`[data-testid=handover-submit]`, "handed")
		if out := text(t, ctx, `[data-testid=handover-out]`); !strings.Contains(out, tue.Name) || !strings.Contains(out, "1 项待确认") {
			t.Fatalf("handover as handed: %q", out)
		}

		// Tuesday's 值班员 acknowledges the matter.
		c.t = beijing("2026-12-08 08:40")
		signIn(tue.Login)
		open("/duty/rosters/" + id + "/shifts/2026-12-08")
		if in := text(t, ctx, `[data-testid=handover-in]`); !strings.Contains(in, "来电待回复除冰进展") {
			t.Fatalf("handover in: %q", in)
		}
		after(`[data-testid=ack]`, "acked")
		text(t, ctx, `[data-testid=matter-acked]`)
		if done := text(t, ctx, `[data-testid=handover-done]`); !strings.Contains(done, "交接完成") {
			t.Errorf("after the acknowledgement: %q", done)
		}
		screenshot(t, ctx, "duty-acknowledged")

		// Wednesday morning Tuesday's hands over a matter and files no log;
		// Wednesday's never acknowledges it.
		c.t = beijing("2026-12-09 08:25")
		signIn(tue.Login)
		open("/duty/rosters/" + id + "/shifts/2026-12-08")
		do(chromedp.SendKeys(`[data-testid=handover-form] textarea[name=matters]`, "市督查组周四来访材料待备"))
		after(`[data-testid=handover-submit]`, "handed")
		text(t, ctx, `[data-testid=handover-out]`)

		// Within the hour nothing is flagged; after it, the director's 预警 page flags both.
		c.t = beijing("2026-12-09 09:00")
		signIn("zhuren")
		open("/docs/watch")
		if n := text(t, ctx, `[data-testid=watch-duty-count]`); n != "0" {
			t.Errorf("flags within the grace: %s", n)
		}
		c.t = beijing("2026-12-09 10:00")
		signIn("zhuren")
		open("/docs/watch")
		rows := text(t, ctx, `[data-testid=watch-duty]`)
		screenshot(t, ctx, "duty-watch")
		if !strings.Contains(rows, "交接未确认") || !strings.Contains(rows, wed.Name) || !strings.Contains(rows, "未交值班日志") || !strings.Contains(rows, "2026-12-08") {
			t.Errorf("预警 rows: %q", rows)
		}
		if strings.Contains(rows, "2026-12-07") {
			t.Errorf("Monday, logged and acknowledged, is flagged: %q", rows)
		}
		if n := text(t, ctx, `[data-testid=watch-duty-count]`); n != "2" {
			t.Errorf("flags: %s, want 2", n)
		}
	})
}
