package web_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/duty"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestPrintSheets, on both stores over the demo's month: the seating plan,
// the printed roster and the 用印登记簿 are sheets of their own in the week
// programme's print style (sheet.css: A4, 小标宋 title, 仿宋 text, 黑体
// heads) — without the app's frame — and say what they should: the 主席台
// by rank with the first in the middle, the floor by the order of units; the
// roster's days with their weekdays and whoever is on them; the month's
// seal uses.
func TestPrintSheets(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC) // a Wednesday, 10:00 in Beijing
		e := newEnvOn(t, s, c)
		ctx := context.Background()
		for _, seed := range []func(context.Context, *store.Store, demo.District, time.Time) error{demo.SeedMeetings, demo.SeedDuty} {
			if err := seed(ctx, s, e.d, c.now()); err != nil {
				t.Fatal(err)
			}
		}
		sheet := func(t *testing.T, cl *client, path string, want ...string) string {
			t.Helper()
			code, page, _ := cl.get(path)
			if code != 200 {
				t.Fatalf("%s: %d", path, code)
			}
			if !strings.Contains(page, `href="/static/sheet.css"`) || !strings.Contains(page, `class="sheet-title"`) || strings.Contains(page, "/static/app.css") {
				t.Errorf("%s is not a sheet of its own", path)
			}
			for _, w := range want {
				if !strings.Contains(page, w) {
					t.Errorf("%s does not say %q", path, w)
				}
			}
			return page
		}
		zhuren := e.client()
		zhuren.login("zhuren", demo.Password)

		// The seating plan of a meeting with leaders on the 主席台.
		ms, err := s.Meetings(ctx, store.MeetingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var m *meeting.Meeting
		for i := range ms {
			top := 0
			for _, iv := range ms[i].Invitees {
				if iv.Rostrum && (iv.Reply == nil || iv.Reply.Answer == meeting.Attend) {
					top++
				}
			}
			if top >= 2 && len(ms[i].Invitees) > top {
				m = &ms[i]
				break
			}
		}
		if m == nil {
			t.Fatal("no demo meeting with two on the 主席台 and others on the floor")
		}
		var first, second string
		for _, iv := range m.Invitees {
			if iv.Rostrum && (iv.Reply == nil || iv.Reply.Answer == meeting.Attend) {
				if first == "" {
					first = e.person(iv.PersonID).Name
				} else if second == "" {
					second = e.person(iv.PersonID).Name
				}
			}
		}
		organizer := e.client()
		organizer.login(e.person(m.Organizer).Login, demo.Password)
		page := sheet(t, organizer, "/meetings/"+m.ID+"/seating", m.Title+"座次图", "主席台", "台下", "第1排")
		rostrum := page[strings.Index(page, `data-testid="rostrum"`):]
		rostrum = rostrum[:strings.Index(rostrum, "</table>")]
		// Seen from the floor the first sits in the middle with the second
		// on their left (the audience's right): the second comes after.
		if i, j := strings.Index(rostrum, first), strings.Index(rostrum, second); i < 0 || j < i {
			t.Errorf("主席台: %s should be left of %s as the audience sees it: %s", first, second, rostrum)
		}

		// The roster of this month, published.
		ros, err := s.DutyRosters(ctx)
		if err != nil || len(ros) == 0 {
			t.Fatalf("rosters: %d %v", len(ros), err)
		}
		ro, err := s.DutyRoster(ctx, ros[len(ros)-1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if ro.State != duty.Published {
			t.Fatalf("the demo roster is %s", ro.State)
		}
		sh := ro.Shifts[0]
		day, _ := time.ParseInLocation("2006-01-02", sh.Date, calendar.Shanghai())
		wd := []string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}[day.Weekday()]
		page = sheet(t, zhuren, "/duty/rosters/"+ro.ID+"/print", ro.Title, "<th>带班领导</th>", e.person(sh.LeaderID).Name, e.person(sh.StaffID).Name, wd)
		if strings.Contains(page, "尚未发布") || strings.Contains(page, "<form") {
			t.Errorf("the published roster's sheet is marked a draft or carries the page's forms")
		}

		// The 用印登记簿 of this month, with a seal used.
		office := e.unit("政府办")
		keeper, wenmi := reqPool(t, e), e.byLogin("wenmi")
		pos, err := s.Positions(ctx, wenmi.ID)
		if err != nil || len(pos) == 0 {
			t.Fatalf("wenmi's posts: %v", err)
		}
		r, err := s.CreateRequest(ctx, wenmi, request.New{ID: "r-print", Kind: request.SealUse, UnitID: pos[0].UnitID, Reason: "报送市政府",
			Seal: &request.SealInfo{SealID: "seal-gov", Material: "关于申请专项资金的请示", Copies: 3}})
		for _, step := range []string{request.StepUnit, request.StepApprove} {
			if err != nil {
				t.Fatal(err)
			}
			task := 0
			for _, tk := range r.Route.OpenTasks() {
				if r.Route.Template.Steps[tk.Step].Key == step {
					task = tk.ID
				}
			}
			r, err = s.ReqAct(ctx, e.byLogin("zhuren"), r.ID, "approve", nil, store.ReqRoute(route.Request{Op: route.Approve, Task: task}))
		}
		if err == nil {
			_, err = s.ReqAct(ctx, keeper, r.ID, "stamp", nil, store.ReqStamp(3, ""))
		}
		if err != nil {
			t.Fatal(err)
		}
		month := c.now().In(calendar.Shanghai()).Format("2006-01")
		sheet(t, zhuren, "/requests/register/print?office="+office.ID+"&month="+month, office.Name+"用印登记簿", "<th>监印人</th>", "关于申请专项资金的请示", keeper.Name)
		if code, page, _ := zhuren.get("/requests/register?office=" + office.ID + "&month=" + month); code != 200 || !strings.Contains(page, `/requests/register/print?office=`) {
			t.Errorf("the register page does not lead to its sheet: %d", code)
		}
	})
}
