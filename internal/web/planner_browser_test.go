package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestBrowserLeaderSchedule, on both stores: the 政府办's 文秘 enters the
// 副区长's 调研 on his calendar; a second entry clashes with a meeting the
// meetings module put on his schedule, and the page names the meeting and
// offers free slots before the 文秘 confirms it; a 承办人 sees the leader's
// leaders-only talk only as 忙. The 文秘 assembles the week programme from
// the schedule and submits it; the office director approves it; the 文秘
// publishes it, and it prints as an A4 PDF and downloads as xlsx. The
// leader's phone calendar reads his feed.
func TestBrowserLeaderSchedule(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)} // Monday 10:00 in Beijing
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
		e := newEnvOn(t, s, c)
		ctx := browser(t)
		bj := func(v string) time.Time {
			tm, err := time.ParseInLocation("2006-01-02 15:04", v, time.FixedZone("CST", 8*3600))
			if err != nil {
				t.Fatal(err)
			}
			return tm
		}
		leader, clerk := e.byLogin("lingdao"), e.byLogin("wenmi")
		gov := e.unit("区政府")
		// The meetings module's write: the 常务会议 on the leader's schedule.
		if err := s.Write(context.Background(), func(tx *store.Tx) error {
			_, err := tx.ReplaceScheduleEntries(context.Background(), clerk, planner.Source{Kind: planner.SourceMeeting, ID: "mtg-1"}, []planner.Entry{
				{PersonID: leader.ID, Title: "区政府第12次常务会议", Place: "区政府第一会议室", Start: bj("2026-12-08 14:30"), End: bj("2026-12-08 17:00"), Visibility: planner.Organ}})
			if err != nil {
				return err
			}
			_, err = tx.AddScheduleEntry(context.Background(), clerk, planner.Entry{PersonID: leader.ID, Title: "与拟任职干部任前谈话",
				Start: bj("2026-12-09 09:00"), End: bj("2026-12-09 10:00"), Visibility: planner.Leaders})
			return err
		}); err != nil {
			t.Fatal(err)
		}

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
		do := func(actions ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			if err := chromedp.Do(ctx, actions...); err != nil {
				t.Fatal(err)
			}
		}
		open := func(path string) { t.Helper(); do(chromedp.Navigate(e.srv.URL + path)) }
		after := func(sel, notice string) {
			t.Helper()
			do(chromedp.Click(sel))
			for range 100 {
				loc, err := chromedp.Run(ctx, chromedp.Location())
				if err == nil && strings.Contains(loc, "notice="+notice) {
					do(chromedp.WaitVisible(`.alert.ok`))
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
			t.Fatalf("after %s: no page with notice %s; on it: %q", sel, notice, text(t, ctx, `main`))
		}
		fill := func(title, date, from, to string) {
			t.Helper()
			// <input type=date|time> take the keys as the locale shows them;
			// set their values directly, as the date picker would.
			do(chromedp.SetValue(`[data-testid=entry-form] input[name=title]`, title),
				chromedp.SetValue(`[data-testid=entry-form] input[name=first]`, date),
				chromedp.SetValue(`[data-testid=entry-form] input[name=start]`, from),
				chromedp.SetValue(`[data-testid=entry-form] input[name=end]`, to))
		}

		// The 文秘 keeps the 副区长's calendar.
		signIn("wenmi")
		open("/planner/people/" + leader.ID + "?week=2026-12-07")
		fill("赴清河镇调研乡村振兴工作", "2026-12-08", "09:00", "11:30")
		after(`[data-testid=entry-save]`, "saved")
		if week := text(t, ctx, `[data-testid=person-week]`); !strings.Contains(week, "赴清河镇调研乡村振兴工作") || !strings.Contains(week, "区政府第12次常务会议") {
			t.Fatalf("the week after saving: %q", week)
		}
		// A clash with the meeting is flagged, with the free slots.
		fill("接待来访群众", "2026-12-08", "15:00", "16:00")
		do(chromedp.Click(`[data-testid=entry-save]`))
		conflicts := text(t, ctx, `[data-testid=conflicts]`)
		if !strings.Contains(conflicts, "区政府第12次常务会议（会议）") || !strings.Contains(conflicts, "12月8日 14:30–17:00") {
			t.Fatalf("conflicts: %q", conflicts)
		}
		if free := text(t, ctx, `[data-testid=free-slots]`); !strings.Contains(free, "12月") {
			t.Errorf("free slots: %q", free)
		}
		screenshot(t, ctx, "planner-conflict")
		if got, _ := s.BusyIntervals(context.Background(), []string{leader.ID}, bj("2026-12-08 15:00"), bj("2026-12-08 16:00")); len(got) != 1 {
			t.Fatalf("a flagged entry was saved unconfirmed: %d entries", len(got))
		}
		do(chromedp.Click(`[data-testid=confirm-conflict]`))
		after(`[data-testid=entry-save]`, "saved_conflict")

		// The organ's week at a glance shows both.
		open("/planner?week=2026-12-07")
		if grid := text(t, ctx, `[data-testid=planner-grid]`); !strings.Contains(grid, "赴清河镇调研乡村振兴工作") || !strings.Contains(grid, "接待来访群众") || !strings.Contains(grid, leader.Name) {
			t.Errorf("the leaders' week: %q", grid)
		}
		screenshot(t, ctx, "planner-grid")

		// A 承办人 sees the leaders-only talk as 忙, and never its title.
		api := e.client()
		api.login("chengban", demo.Password)
		code, out, _ := api.call("GET", "/api/v1/planner/people/"+leader.ID+"/entries?from=2026-12-07&to=2026-12-14", nil)
		if code != http.StatusOK {
			t.Fatalf("entries as 承办人: %d %v", code, out)
		}
		rawJSON, _ := json.Marshal(out)
		raw := string(rawJSON)
		if strings.Contains(raw, "任前谈话") || !strings.Contains(raw, `"busy_only":true`) || !strings.Contains(raw, "区政府第12次常务会议") {
			t.Errorf("the 承办人's view: %s", raw)
		}

		// The week programme: assembled and submitted by the 文秘.
		open("/planner/week?organ=" + gov.ID + "&week=2026-12-07")
		after(`[data-testid=programme-assemble]`, "programme_assemble")
		text(t, ctx, `[data-testid=programme-rows]`) // the rows are in the form's inputs: read them from the store
		p, err := s.WeekProgramme(context.Background(), gov.ID, "2026-12-07")
		if err != nil || !hasRow(p.Rows, "赴清河镇调研乡村振兴工作", leader.Name) || !hasRow(p.Rows, "区政府第12次常务会议", leader.Name) || hasRow(p.Rows, "与拟任职干部任前谈话", leader.Name) {
			t.Fatalf("assembled rows: %+v %v", p.Rows, err)
		}
		after(`[data-testid=programme-submit]`, "programme_submit")
		if st := text(t, ctx, `[data-testid=programme-status]`); st != "待审定" {
			t.Fatalf("status after submitting: %q", st)
		}

		// The office director approves it.
		signIn("zhuren")
		open("/planner/week?organ=" + gov.ID + "&week=2026-12-07")
		after(`[data-testid=programme-approve]`, "programme_approve")

		// The 文秘 publishes it; it prints and exports.
		signIn("wenmi")
		open("/planner/week?organ=" + gov.ID + "&week=2026-12-07")
		after(`[data-testid=programme-publish]`, "programme_publish")
		if st := text(t, ctx, `[data-testid=programme-status]`); st != "已发布" {
			t.Fatalf("status after publishing: %q", st)
		}
		open("/planner/week/print?organ=" + gov.ID + "&week=2026-12-07")
		sheet := text(t, ctx, `[data-testid=programme-sheet]`)
		if !strings.Contains(sheet, "清澜区人民政府一周工作安排") || !strings.Contains(sheet, "赴清河镇调研乡村振兴工作") || !strings.Contains(sheet, "2026年12月7日—12月13日") || strings.Contains(sheet, "未发布") {
			t.Fatalf("print page: %q", sheet)
		}
		screenshot(t, ctx, "planner-programme-print")
		pdf, err := chromedp.Run(ctx, chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
			yes := true
			r, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
			return r.Data, err
		}))
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("print to PDF: %d bytes, %v", len(pdf), err)
		}
		code, body, hd := api.do("GET", "/planner/week.xlsx?organ="+gov.ID+"&week=2026-12-07", "")
		if code != http.StatusOK || !strings.HasPrefix(body, "PK") || !strings.Contains(hd.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("xlsx for everyone once published: %d %s", code, hd.Get("Content-Type"))
		}
		// The leader is told it is published.
		in, err := s.Inbox(context.Background(), leader.ID, false, 20)
		if err != nil || !slicesAny(in, func(m store.InboxItem) bool { return strings.Contains(m.Subject, "一周工作安排已发布") }) {
			t.Errorf("the leader's inbox: %v", err)
		}

		// The leader's phone subscribes to his feed.
		feed := e.client()
		feed.login("wenmi", demo.Password)
		code, out, _ = feed.call("POST", "/api/v1/planner/people/"+leader.ID+"/feed", nil)
		if code != http.StatusCreated {
			t.Fatalf("feed: %d %v", code, out)
		}
		u := out["url"].(string)
		code, ics, hd := e.client().do("GET", u[strings.Index(u, "/ical/"):], "")
		if code != http.StatusOK || !strings.Contains(hd.Get("Content-Type"), "text/calendar") || !strings.Contains(ics, "SUMMARY:赴清河镇调研乡村振兴工作") {
			t.Fatalf("feed: %d %q", code, ics)
		}
		if code, _, _ := feed.call("DELETE", "/api/v1/planner/people/"+leader.ID+"/feed", nil); code != http.StatusNoContent {
			t.Fatalf("revoke feed: %d", code)
		}
		if code, _, _ := e.client().do("GET", u[strings.Index(u, "/ical/"):], ""); code != http.StatusNotFound {
			t.Errorf("a revoked feed answers %d", code)
		}
	})
}

func hasRow(rows []planner.Row, content, leader string) bool {
	for _, r := range rows {
		if r.Content == content && strings.Contains(r.LeaderNames(), leader) {
			return true
		}
	}
	return false
}

func slicesAny[T any](xs []T, f func(T) bool) bool {
	for _, x := range xs {
		if f(x) {
			return true
		}
	}
	return false
}
