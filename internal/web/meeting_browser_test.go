package web_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/supervise"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// TestBrowserMeeting is issue 14's done-when for 办会, on both stores: a
// 政府常务会 is booked — a room conflict and a leader's conflict are refused
// first, each named, with free slots offered, and a slot offered is taken —
// its agenda approved on the route and noticed; one attendee answers with a
// substitute, one is absent with a reason, one never answers and is urged;
// two sign in by the QR URL; its 纪要 is issued with a 文号 and its two
// 议定事项 become supervision items, linked both ways.
func TestBrowserMeeting(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	start := time.Date(2026, 12, 7, 9, 0, 0, 0, loc) // a Monday
	c := &clock{t: start}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = start
		e := newEnvOn(t, s, c)
		bctx := context.Background()
		if err := demo.SeedMeetingRooms(bctx, s, e.d); err != nil {
			t.Fatal(err)
		}
		ctx := browserWithin(t, 5*time.Minute)
		rooms := demo.MeetingRooms(e.d)
		standing, second := rooms[1], rooms[2] // 常务会议室, 第二会议室
		clerk, director, mayor, vice := e.byLogin("wenmi"), e.byLogin("zhuren"), e.byLogin("u0002"), e.byLogin("lingdao")
		dev, fin, edu := e.unit("区发改局"), e.unit("区财政局"), e.unit("区教育局")
		devHead, finHead, eduHead := e.head(dev.ID), e.head(fin.ID), e.head(edu.ID)

		// What stands in the way: a meeting in the 常务会议室 on Tuesday
		// morning, and the 副区长 on a trip (his schedule) that morning.
		tue := func(h, m int) time.Time { return time.Date(2026, 12, 8, h, m, 0, 0, loc) }
		if _, err := s.BookMeeting(bctx, clerk, meeting.NewMeeting{Title: "区防汛抗旱指挥部会议", Kind: meeting.Work, OfficeID: e.unit("政府办").ID,
			RoomID: standing.ID, Start: tue(8, 30), End: tue(10, 0), Invitees: []meeting.Invitee{{PersonID: e.head(e.unit("区教育局").ID).ID}}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Write(bctx, func(tx *store.Tx) error {
			_, err := tx.AddScheduleEntry(bctx, clerk, planner.Entry{PersonID: vice.ID, Title: "赴各镇调研秋冬种", Start: tue(8, 0), End: tue(12, 0), Visibility: planner.Organ})
			return err
		}); err != nil {
			t.Fatal(err)
		}

		as := func(p org.Person) {
			t.Helper()
			clear := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
				return chromedp.Void{}, err
			}
			if err := chromedp.Do(ctx, clear); err != nil {
				t.Fatal(err)
			}
			if err := browserLogin(ctx, e.srv.URL, p.Login); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.WaitVisible(`header.top`)); err != nil {
				t.Fatal(err)
			}
		}
		run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			if err := chromedp.Do(ctx, actions...); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		// click presses a button on the meeting page and waits for its answer:
		// the page again with a confirmation, or the refusal.
		click := func(sel string) chromedp.Action[chromedp.Void] {
			return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				if _, err := chromedp.Evaluate[bool](`document.querySelectorAll(".alert").forEach(function(a){a.remove()}) || true`)(ctx, tg); err != nil {
					return chromedp.Void{}, err
				}
				for _, a := range []chromedp.Action[chromedp.Void]{chromedp.Click(sel), chromedp.WaitVisible(`.alert`)} {
					if _, err := a(ctx, tg); err != nil {
						return chromedp.Void{}, err
					}
				}
				msg, err := chromedp.Text(`.alert`)(ctx, tg)
				if err != nil {
					return chromedp.Void{}, err
				}
				if !strings.Contains(msg, "已办理") {
					return chromedp.Void{}, errors.New(msg)
				}
				return chromedp.Void{}, nil
			}
		}
		js := func(code string) chromedp.Action[chromedp.Void] {
			return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := chromedp.Evaluate[bool](code)(ctx, tg)
				return chromedp.Void{}, err
			}
		}
		selectMany := func(sel string, ids ...string) chromedp.Action[chromedp.Void] {
			js := `(() => { const s = document.querySelector(` + "`" + sel + "`" + `); const want = ` + jsList(ids) +
				`; for (const o of s.options) o.selected = want.includes(o.value); return true })()`
			return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := chromedp.Evaluate[bool](js)(ctx, tg)
				return chromedp.Void{}, err
			}
		}

		// Booking: the 常务会议室 is taken.
		as(clerk)
		run("booking form", chromedp.Navigate(e.srv.URL+"/meetings/new"), chromedp.WaitVisible(`[data-testid=meeting-form]`),
			chromedp.SendKeys(`input[name=title]`, "区政府第24次常务会议"),
			chromedp.SetValue(`select[name=kind]`, string(meeting.Executive)),
			chromedp.SetValue(`select[name=room]`, standing.ID),
			chromedp.SetValue(`input[name=date]`, "2026-12-08"),
			chromedp.SendKeys(`input[name=start]`, "09:00"), chromedp.SendKeys(`input[name=end]`, "11:00"),
			selectMany(`[data-testid=leaders]`, mayor.ID, vice.ID),
			selectMany(`[data-testid=units]`, dev.ID, fin.ID, edu.ID),
			chromedp.Click(`[data-testid=book]`), chromedp.WaitVisible(`main`))
		screenshot(t, ctx, "meeting-after-book")
		conflicts := text(t, ctx, `[data-testid=conflicts]`)
		free := text(t, ctx, `[data-testid=free-slots]`)
		screenshot(t, ctx, "meeting-room-conflict")
		if !strings.Contains(conflicts, standing.Name) || !strings.Contains(conflicts, "区防汛抗旱指挥部会议") || !strings.Contains(conflicts, vice.Name) {
			t.Fatalf("room conflict: %q", conflicts)
		}
		if !strings.Contains(free, "2026-12-08") {
			t.Errorf("free slots: %q", free)
		}
		// Another room: the 副区长's trip still stands in the way.
		run("another room", chromedp.SetValue(`select[name=room]`, second.ID),
			js(`document.querySelector("[data-testid=conflicts]").remove() || true`), chromedp.Click(`[data-testid=book]`))
		conflicts = text(t, ctx, `[data-testid=conflicts]`)
		if strings.Contains(conflicts, standing.Name) || !strings.Contains(conflicts, "赴各镇调研秋冬种") || !strings.Contains(conflicts, vice.Name) {
			t.Fatalf("leader conflict: %q", conflicts)
		}
		// The first free slot offered books.
		run("free slot", chromedp.Click(`[data-testid=free-slot]`), chromedp.WaitVisible(`[data-testid=meeting-title]`))
		ms, err := s.Meetings(bctx, store.MeetingFilter{PersonID: mayor.ID})
		if err != nil || len(ms) != 1 {
			t.Fatalf("booked: %d meetings, %v", len(ms), err)
		}
		m := ms[0]
		if es, _ := s.ScheduleEntriesBySource(bctx, planner.Source{Kind: planner.SourceMeeting, ID: m.ID}); len(es) != 2 {
			t.Errorf("leaders' schedule entries: %d", len(es))
		}
		page := e.srv.URL + "/meetings/" + m.ID

		// The agenda, approved on the route: the office's director, then the 区长.
		run("agenda", chromedp.SendKeys(`[data-testid=agenda-form] input[name=title]`, "关于2027年政府投资项目计划的议题"),
			chromedp.SetValue(`[data-testid=agenda-form] select[name=unit]`, dev.ID),
			chromedp.SetValue(`[data-testid=agenda-presenter]`, vice.ID), click(`[data-testid=agenda-add]`),
			click(`[data-testid=agenda-submit]`))
		for _, p := range []org.Person{director, mayor} {
			as(p)
			run("approve as "+p.Name, chromedp.Navigate(page), chromedp.WaitVisible(`[data-testid=agenda-approve]`), click(`[data-testid=agenda-approve]`))
		}
		if agenda := text(t, ctx, `[data-testid=agenda]`); !strings.Contains(agenda, "已审定") || !strings.Contains(agenda, "汇报人："+vice.Name) {
			t.Fatalf("agenda: %q", agenda)
		}
		// Noticed.
		as(clerk)
		run("notice", chromedp.Navigate(page), click(`[data-testid=send-notice]`))
		if st := text(t, ctx, `[data-testid=meeting-status]`); st != "已发通知" {
			t.Fatalf("status %q", st)
		}
		// Replies: a substitute, an absence with its reason; one never answers.
		answer := func(p org.Person, sel string, fields map[string]string) {
			t.Helper()
			as(p)
			acts := []chromedp.Action[chromedp.Void]{chromedp.Navigate(page), chromedp.WaitVisible(`[data-testid=answer-form]`), chromedp.SetValue(`[data-testid=answer-form] select[name=answer]`, sel)}
			for k, v := range fields {
				acts = append(acts, chromedp.SendKeys(`[data-testid=answer-form] input[name=`+k+`]`, v))
			}
			acts = append(acts, click(`[data-testid=answer]`))
			run("answer as "+p.Name, acts...)
		}
		answer(devHead, "substitute", map[string]string{"sub_name": "王建国", "sub_post": "区发改局副局长"})
		answer(finHead, "absent", map[string]string{"reason": "参加市财政工作会议"})
		invitees := text(t, ctx, `[data-testid=invitees]`)
		if !strings.Contains(invitees, "王建国（区发改局副局长）") || !strings.Contains(invitees, "参加市财政工作会议") {
			t.Errorf("replies: %q", invitees)
		}
		// The organizer sees who has not answered and urges them.
		as(clerk)
		run("urge", chromedp.Navigate(page), click(`[data-testid=urge]`))
		inbox, err := s.Inbox(bctx, eduHead.ID, false, 20)
		if err != nil {
			t.Fatal(err)
		}
		if !hasSubject(inbox, "催报回执：区政府第24次常务会议") || !hasSubject(inbox, "会议通知：区政府第24次常务会议") {
			t.Errorf("the unanswering head's inbox: %+v", inbox)
		}
		if m, _ = s.Meeting(bctx, m.ID); m.Figures(c.now()).Unanswered == 0 {
			t.Error("nobody left unanswered")
		}

		materialStep(t, e, ctx, m, as, run)

		// On the day: two sign in by the QR URL on their own phones.
		c.t = m.Start.Add(-10 * time.Minute)
		as(clerk) // a new day, a new session
		run("sign-in URL", chromedp.Navigate(page), chromedp.WaitVisible(`[data-testid=signin-url]`))
		url := text(t, ctx, `[data-testid=signin-url]`)
		attr, err := chromedp.Run(ctx, chromedp.AttributeValue(`[data-testid=signin] img`, "src"))
		if err != nil {
			t.Fatal(err)
		}
		qr := attr.Value
		if code, _, hd := e.clientAs(t, clerk).get(qr); code != 200 || hd.Get("Content-Type") != "image/png" {
			t.Errorf("QR code: %d %s", code, hd.Get("Content-Type"))
		}
		for _, p := range []org.Person{mayor, vice} {
			as(p)
			run("check in as "+p.Name, chromedp.Navigate(url), chromedp.Click(`[data-testid=checkin]`), chromedp.WaitVisible(`[data-testid=checkin-done]`))
		}
		// A stale URL is refused.
		c.t = c.t.Add(meeting.TokenLife + time.Minute)
		as(devHead)
		run("stale", chromedp.Navigate(url), chromedp.WaitVisible(`main`))
		if body := text(t, ctx, `main`); !strings.Contains(body, "已过期") {
			t.Errorf("stale sign-in URL: %q", body)
		}
		if m, _ = s.Meeting(bctx, m.ID); m.Figures(c.now()).SignedIn != 2 {
			t.Errorf("signed in: %+v", m.Figures(c.now()))
		}

		// After it: two 议定事项, the 纪要 drafted and issued with a 文号.
		c.t = m.End.Add(30 * time.Minute)
		as(clerk)
		for i, d := range []struct{ text, unit string }{{"区发改局牵头，于年底前完成2027年政府投资项目计划编制", dev.ID}, {"区财政局牵头，统筹安排项目前期经费", fin.ID}} {
			run("decision", chromedp.Navigate(page), chromedp.SendKeys(`[data-testid=decision-form] textarea[name=text]`, d.text),
				chromedp.SetValue(`[data-testid=decision-form] select[name=lead_unit]`, d.unit),
				chromedp.SetValue(`[data-testid=decision-form] input[name=due]`, "2026-12-31"),
				click(`[data-testid=decision-add]`))
			if n := strings.Count(text(t, ctx, `[data-testid=decisions] ol`), "牵头："); n != i+1 {
				t.Fatalf("%d decisions", n)
			}
		}
		run("minutes", click(`[data-testid=draft-minutes]`))
		m, _ = s.Meeting(bctx, m.ID)
		rec := walkToNumber(t, e, m.MinutesDoc, map[string]org.Person{"sign_off": mayor})
		if rec.Doc.Number == nil || !strings.Contains(rec.Doc.Number.String(), "阅") {
			t.Fatalf("the 纪要's 文号: %+v", rec.Doc.Number)
		}
		if !strings.Contains(rec.Doc.Body.String(), "王建国") || !strings.Contains(rec.Doc.Body.String(), "统筹安排项目前期经费") {
			t.Errorf("the 纪要's body: %q", rec.Doc.Body.String())
		}

		// The 督查室 hands the decisions over: two supervision items.
		as(e.byLogin("ducha"))
		run("handover", chromedp.Navigate(page), click(`[data-testid=handover]`))
		screenshot(t, ctx, "meeting-decisions")
		m, _ = s.Meeting(bctx, m.ID)
		for _, d := range m.Decisions {
			it, err := s.SupItem(bctx, d.ItemID)
			if err != nil {
				t.Fatalf("decision %d: %v", d.Seq, err)
			}
			if it.Source != supervise.FromMeeting || it.Ref != m.ID || it.LeadUnit() != d.LeadUnit {
				t.Errorf("item %s: source %s ref %s lead %s", it.Title, it.Source, it.Ref, it.LeadUnit())
			}
		}
		if len(m.Decisions) != 2 {
			t.Fatalf("%d decisions", len(m.Decisions))
		}
		// The statistics: the 区政府's two leaders never answered and both
		// signed in; the 区财政局 answered (absent) and was not expected.
		as(clerk)
		run("statistics", chromedp.Navigate(e.srv.URL+"/meetings"), chromedp.WaitVisible(`[data-testid=unit-rates]`))
		if rates := text(t, ctx, `[data-testid=unit-rates]`); !strings.Contains(rates, "区政府\t2\t0%\t100%") || !strings.Contains(rates, "区财政局\t1\t100%\t—") {
			t.Errorf("unit rates: %q", rates)
		}
		as(e.byLogin("ducha"))
		run("back", chromedp.Navigate(page), chromedp.WaitVisible(`[data-testid=decision-item]`))
		// And from the item back to the meeting.
		run("item", chromedp.Click(`[data-testid=decision-item]`), chromedp.WaitVisible(`[data-testid=sup-meeting-link]`))
		if link := text(t, ctx, `[data-testid=sup-meeting-link]`); link != m.Title {
			t.Errorf("the item names its meeting %q", link)
		}
	})
}

// materialStep: 会议材料. The reporting unit's head uploads the 议题's
// material; the organizer sees the version with who and when on the
// meeting page; an attendee downloads it; a head of a unit with nothing to
// do with the meeting is refused. A classified meeting's PDF comes out
// stamped with its reader's name. The server with a file store and the
// fonts shares the store (and so the sessions) with the one the browser
// uses.
func materialStep(t *testing.T, e *env, ctx context.Context, m meeting.Meeting, as func(org.Person), run func(string, ...chromedp.Action[chromedp.Void])) {
	t.Helper()
	h, err := web.New(e.store, web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler), DataDir: t.TempDir(), Renderer: renderer(t)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	t.Cleanup(ts.Close)
	files := *e
	files.srv = ts
	devHead, eduHead, outsider := e.head(e.unit("区发改局").ID), e.head(e.unit("区教育局").ID), e.head(e.unit("区民政局").ID)
	clerk, mayor := e.byLogin("wenmi"), e.byLogin("u0002")
	path := "/meetings/" + m.ID + "/agenda/1"
	content := []byte("关于2027年政府投资项目计划的汇报\n一、基本情况\n二、下一步安排\n")
	c := files.clientAs(t, devHead)
	if code, body, _ := c.postMultipart(path+"/materials", url.Values{}, "file", "汇报材料.txt", content); code != http.StatusSeeOther {
		t.Fatalf("upload: %d %.300s", code, body)
	}
	as(clerk)
	run("versions", chromedp.Navigate(e.srv.URL+"/meetings/"+m.ID), chromedp.WaitVisible(`[data-testid=material-versions]`))
	if v := text(t, ctx, `[data-testid=material-versions]`); !strings.Contains(v, "第1版") || !strings.Contains(v, "汇报材料.txt") || !strings.Contains(v, devHead.Name) {
		t.Errorf("versions on the meeting page: %q", v)
	}
	if code, got, _ := files.clientAs(t, eduHead).fetch(path + "/materials/1"); code != 200 || !bytes.Equal(got, content) {
		t.Errorf("an attendee's download: %d %q", code, got)
	}
	as(outsider)
	run("refused", chromedp.Navigate(e.srv.URL+path), chromedp.WaitVisible(`main`))
	if body := text(t, ctx, `main`); !strings.Contains(body, "会议材料仅限参会人员") {
		t.Errorf("a non-attendee: %q", body)
	}
	if code, _, _ := files.clientAs(t, outsider).fetch(path + "/materials/1"); code != http.StatusForbidden {
		t.Errorf("a non-attendee's download: %d", code)
	}

	// Classified: PDF only, each copy stamped with the reader's name.
	bctx := context.Background()
	secret, err := e.store.BookMeeting(bctx, clerk, meeting.NewMeeting{Title: "区政府专题会议", Kind: meeting.Topic, OfficeID: e.unit("政府办").ID,
		RoomID: demo.MeetingRooms(e.d)[3].ID, Start: m.Start.AddDate(0, 0, 2), End: m.Start.AddDate(0, 0, 2).Add(time.Hour), Level: org.Confidential,
		Invitees: []meeting.Invitee{{PersonID: mayor.ID, Leader: true}}, Convener: mayor.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.MeetingAct(bctx, clerk, secret.ID, "agenda", nil, store.OpAddAgenda(meeting.NewAgendaItem{Title: "专题议题", UnitID: e.unit("区发改局").ID})); err != nil {
		t.Fatal(err)
	}
	spath := "/meetings/" + secret.ID + "/agenda/1"
	cc := files.clientAs(t, clerk)
	if code, body, _ := cc.postMultipart(spath+"/materials", url.Values{}, "file", "材料.txt", content); code != http.StatusUnprocessableEntity || !strings.Contains(body, "PDF") {
		t.Errorf("a .txt in a classified meeting: %d", code)
	}
	pdf, err := renderer(t).WatermarkPage("专题材料")
	if err != nil {
		t.Fatal(err)
	}
	if code, body, _ := cc.postMultipart(spath+"/materials", url.Values{}, "file", "专题材料.pdf", pdf); code != http.StatusSeeOther {
		t.Fatalf("classified upload: %d %.300s", code, body)
	}
	code, got, hd := files.clientAs(t, mayor).fetch(spath + "/materials/1")
	if code != 200 || hd.Get("Content-Type") != "application/pdf" {
		t.Fatalf("classified download: %d %s", code, hd.Get("Content-Type"))
	}
	if txt := pdfText(t, got); !strings.Contains(txt, mayor.Name) {
		t.Errorf("the classified copy does not carry %s: %.300q", mayor.Name, txt)
	}
}

func jsList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return "[" + strings.Join(q, ",") + "]"
}

func hasSubject(items []store.InboxItem, subject string) bool {
	for _, it := range items {
		if it.Subject == subject {
			return true
		}
	}
	return false
}

// clientAs is an HTTP client signed in as p.
func (e *env) clientAs(t *testing.T, p org.Person) *client {
	c := e.client()
	if code, body := c.login(p.Login, demo.Password); code != 303 {
		t.Fatalf("login %s: %d %s", p.Login, code, body)
	}
	return c
}

// walkToNumber takes an outgoing document along its route by whoever holds
// each step (the demo's logins, the heads and pick for chosen steps) until
// it has its 文号 and is issued.
func walkToNumber(t *testing.T, e *env, docID string, pick map[string]org.Person) store.DocRecord {
	t.Helper()
	ctx := context.Background()
	var cands []org.Person
	for _, l := range e.d.Logins {
		cands = append(cands, e.person(l.PersonID))
	}
	for _, p := range pick {
		cands = append(cands, p)
	}
	for _, pos := range e.d.Positions {
		if org.HeadTitle(pos.Title) {
			cands = append(cands, e.person(pos.PersonID))
		}
	}
	for range 30 {
		in, err := e.store.Instance(ctx, docID)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := e.store.Document(ctx, docID)
		if err != nil {
			t.Fatal(err)
		}
		open := in.OpenTasks()
		if in.Status != route.Active || len(open) == 0 || in.Template.Steps[open[0].Step].Key == "archive" {
			return rec
		}
		task := open[0]
		step := in.Template.Steps[task.Step]
		var by org.Person
		for _, p := range cands {
			a, err := e.store.Actor(ctx, p.ID, e.clock.now())
			if err != nil {
				t.Fatal(err)
			}
			if a.Matches(task.Assignee) {
				by = p
				break
			}
		}
		if by.ID == "" {
			t.Fatalf("nobody holds %s (%+v)", step.Name, task.Assignee)
		}
		req := route.Request{Op: route.Approve, Task: task.ID, Comment: "同意。"}
		if task.Step+1 < len(in.Template.Steps) {
			if next := in.Template.Steps[task.Step+1]; next.Chosen {
				p, ok := pick[next.Key]
				if !ok {
					p = e.byLogin("ducha")
				}
				req.Next = []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: p.ID}}}
			}
		}
		if step.Key == "print_issue" {
			req.Fields = map[string]string{"print_date": e.clock.now().Format("2006-01-02"), "copies": "20"}
		}
		if _, err := e.store.Act(ctx, by, docID, req); err != nil {
			var rr *route.Refusal
			if errors.As(err, &rr) && step.Key == "countersign" {
				continue
			}
			t.Fatalf("%s by %s: %v", step.Name, by.Name, err)
		}
	}
	t.Fatal("the route did not reach its end")
	return store.DocRecord{}
}
