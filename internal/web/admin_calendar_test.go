package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/store"
)

func TestAdminCalendarPage(t *testing.T) {
	e := newEnv(t)
	clerk := e.client()
	clerk.login("wenmi", demo.Password)
	for _, p := range []string{"/admin/calendar"} {
		if code, body, _ := clerk.get(p); code != http.StatusForbidden || !strings.Contains(body, "系统管理员") {
			t.Errorf("clerk GET %s: %d", p, code)
		}
	}
	if code, _, _ := clerk.post("/admin/calendar/days", url.Values{"date": {"2026-12-01"}, "kind": {"holiday"}}); code != http.StatusForbidden {
		t.Errorf("clerk adds a day: %d", code)
	}
	if code, _, _ := clerk.call("GET", "/api/v1/calendar", nil); code != http.StatusForbidden {
		t.Errorf("clerk reads the calendar API: %d", code)
	}
	if !e.store.Calendar().IsWorkday(time.Date(2026, 12, 1, 10, 0, 0, 0, calendar.Shanghai())) {
		t.Fatal("a clerk's refused request changed the calendar")
	}

	c := e.client()
	c.login("sysadmin", demo.Password)
	code, body, _ := c.get("/admin/calendar")
	if code != 200 {
		t.Fatalf("sysadmin page: %d", code)
	}
	for _, want := range []string{"工作日历与签收时限", `data-testid="year-2026"`, `data-testid="year-2027"`, "暂定", "2026-10-10", "调休上班", "国务院办公厅关于2026年部分节假日安排的通知", `data-testid="calendar-link"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "calendar-missing") {
		t.Error("2026 and 2027 are covered, yet the page says a year is missing")
	}

	// A bad date is refused with a Chinese message, and what was typed stays.
	code, body, _ = c.post("/admin/calendar/days", url.Values{"date": {"2026-02-30"}, "kind": {"holiday"}, "name": {"临时调整放假"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "格式应为 YYYY-MM-DD") || !strings.Contains(body, `value="临时调整放假"`) {
		t.Errorf("bad date: %d %s", code, errorOf(body))
	}
	// A date already listed is refused, not overwritten.
	if code, body, _ = c.post("/admin/calendar/days", url.Values{"date": {"2026-10-01"}, "kind": {"workday"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "已在日历中") {
		t.Errorf("listed date: %d %s", code, errorOf(body))
	}
	// A failed whole-year edit keeps the text in the year's form.
	code, body, _ = c.post("/admin/calendar/years/2027", url.Values{"source": {"待核对"}, "days": {"2027-01-01 放假 元旦\n2027-02-31 放假 春节"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "第 2 行") || !strings.Contains(body, "2027-02-31 放假 春节") {
		t.Errorf("bad year text: %d %s", code, errorOf(body))
	}
	if rev := e.store.CalendarRevision(); rev != 1 {
		t.Errorf("refused edits moved the revision to %d", rev)
	}

	// Adding a holiday takes effect at once and moves due times.
	if code, _, h := c.post("/admin/calendar/days", url.Values{"date": {"2026-12-01"}, "kind": {"放假"}, "name": {"临时放假"}}); code != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "#y2026") {
		t.Fatalf("add day: %d %s", code, h.Get("Location"))
	}
	if e.store.Calendar().IsWorkday(time.Date(2026, 12, 1, 10, 0, 0, 0, calendar.Shanghai())) {
		t.Error("the added holiday is not in force")
	}
	if _, body, _ = c.get("/admin/calendar"); !strings.Contains(body, `data-testid="day-2026-12-01"`) || !strings.Contains(body, "周二") {
		t.Error("the added day is not listed")
	}
	if code, _, _ := c.post("/admin/calendar/days/2026-12-01/delete", nil); code != http.StatusSeeOther || !e.store.Calendar().IsWorkday(time.Date(2026, 12, 1, 10, 0, 0, 0, calendar.Shanghai())) {
		t.Errorf("remove day: %d", code)
	}

	// Adding a year.
	if code, body, _ := c.post("/admin/calendar/years", url.Values{"year": {"2028"}, "source": {"国务院办公厅关于2028年部分节假日安排的通知"}, "days": {"2028-01-01 放假 元旦\r\n2028-01-29 调休上班 春节调休上班"}}); code != http.StatusSeeOther {
		t.Fatalf("add year: %d %s", code, errorOf(body))
	}
	if !e.store.Calendar().Covers(2028) || e.store.Calendar().IsWorkday(time.Date(2028, 1, 1, 10, 0, 0, 0, calendar.Shanghai())) {
		t.Error("2028 not in force")
	}

	// Office hours, and a bad value kept in the form.
	if code, body, _ := c.post("/admin/calendar/hours", url.Values{"hours": {"09:00-12:00,11:00-17:00"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "重叠") || !strings.Contains(body, `value="09:00-12:00,11:00-17:00"`) {
		t.Errorf("overlapping hours: %d %s", code, errorOf(body))
	}
	if code, _, _ := c.post("/admin/calendar/hours", url.Values{"hours": {"09:00-12:00，13:30-17:00"}}); code != http.StatusSeeOther || e.store.Calendar().Hours().String() != "09:00-12:00,13:30-17:00" {
		t.Errorf("office hours: %d %s", code, e.store.Calendar().Hours())
	}

	// 签收 limits: a bad count is refused, a good policy is stored.
	if code, body, _ := c.post("/admin/calendar/signfor", url.Values{"extra_urgent_n": {"一"}, "extra_urgent_unit": {"hours"}, "urgent_n": {"4"}, "urgent_unit": {"workhours"}, "ordinary_n": {"1"}, "ordinary_unit": {"workdays"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "特急签收时限") {
		t.Errorf("bad sign-for count: %d %s", code, errorOf(body))
	}
	if code, _, _ := c.post("/admin/calendar/signfor", url.Values{"extra_urgent_n": {"2"}, "extra_urgent_unit": {"hours"}, "urgent_n": {"1"}, "urgent_unit": {"workdays"}, "ordinary_n": {"2"}, "ordinary_unit": {"workdays"}}); code != http.StatusSeeOther {
		t.Errorf("sign-for save: %d", code)
	}
	want := document.SignForPolicy{ExtraUrgent: calendar.ClockHoursOf(2), Urgent: calendar.Days(1), Ordinary: calendar.Days(2)}
	if got, _ := e.store.SignForPolicy(t.Context()); got != want {
		t.Errorf("stored policy %+v, want %+v", got, want)
	}

	// The JSON API.
	code, out, _ := c.call("GET", "/api/v1/calendar", nil)
	if code != 200 || out["office_hours"] != "09:00-12:00,13:30-17:00" || len(out["years"].([]any)) != 3 {
		t.Errorf("GET calendar: %d %v", code, out)
	}
	if code, out, _ := c.call("POST", "/api/v1/calendar/days", calendar.Day{Date: "2026-12-31", Kind: calendar.Holiday, Name: "跨年"}); code != http.StatusCreated {
		t.Errorf("API add day: %d %v", code, out)
	}
	if code, out, _ := c.call("POST", "/api/v1/calendar/days", map[string]string{"date": "2026-12-32", "kind": "holiday"}); code != http.StatusUnprocessableEntity || !strings.Contains(out["error"].(string), "YYYY-MM-DD") {
		t.Errorf("API bad day: %d %v", code, out)
	}
	if code, _, _ := c.call("DELETE", "/api/v1/calendar/days/2026-12-31", nil); code != 200 {
		t.Errorf("API remove day: %d", code)
	}
	if code, out, _ := c.call("PUT", "/api/v1/calendar/years/2027", calendar.Year{Year: 2027, Source: "国务院办公厅关于2027年部分节假日安排的通知", Days: []calendar.Day{{Date: "2027-01-01", Kind: calendar.Holiday, Name: "元旦"}}}); code != 200 || out["provisional"] == true {
		t.Errorf("API put year: %d %v", code, out)
	}
	if code, _, _ := c.call("PUT", "/api/v1/settings/sign-for", map[string]any{"urgent": map[string]any{"unit": "weeks", "n": 1}}); code != http.StatusUnprocessableEntity {
		t.Errorf("API bad sign-for: %d", code)
	}
	if code, out, _ := c.call("GET", "/api/v1/settings/sign-for", nil); code != 200 || out["ordinary"].(map[string]any)["n"] != float64(2) {
		t.Errorf("API sign-for: %d %v", code, out)
	}

	// A year later, with 2029 not in the calendar, the page says so.
	e.clock.t = time.Date(2029, 2, 1, 9, 0, 0, 0, time.UTC)
	late := e.client()
	late.login("sysadmin", demo.Password)
	if code, body, _ := late.get("/admin/calendar"); code != 200 || !strings.Contains(body, "日历中还没有 2029 年") {
		t.Errorf("uncovered current year not flagged: %d", code)
	}

	es, _ := e.store.ListAudit(t.Context(), store.AuditFilter{Action: "calendar."})
	if len(es) != 7 { // day add/remove, year add, hours, API day add/remove, API year put
		t.Errorf("calendar edits audited: %d", len(es))
	}
}

// errorOf picks the alert out of a page, for failure messages.
func errorOf(body string) string {
	i := strings.Index(body, `class="alert err"`)
	if i < 0 {
		return "(no error shown)"
	}
	j := strings.Index(body[i:], "</div>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// TestBrowserAdminCalendar: the system administrator adds a holiday with the
// page's form in a real browser, and sees it listed in its year.
func TestBrowserAdminCalendar(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	if err := browserLogin(ctx, e.srv.URL, "sysadmin"); err != nil {
		t.Fatal(err)
	}
	w := &walker{t: t, ctx: ctx, e: e}
	w.do(chromedp.WaitVisible(`header.top`))
	w.do(chromedp.Navigate(e.srv.URL+"/admin/calendar"), chromedp.WaitVisible(`[data-testid=day-form]`))
	w.do(chromedp.SetValue(`[data-testid=day-date]`, "2026-12-24"),
		chromedp.SetValue(`[data-testid=day-kind]`, "holiday"),
		chromedp.SendKeys(`[data-testid=day-name]`, "临时放假"),
		chromedp.Click(`[data-testid=day-add]`))
	row := w.text(`[data-testid="day-2026-12-24"]`)
	screenshot(t, ctx, "admin-calendar")
	if !strings.Contains(row, "周四") || !strings.Contains(row, "放假") || !strings.Contains(row, "临时放假") {
		t.Errorf("row %q", row)
	}
	if e.store.Calendar().IsWorkday(time.Date(2026, 12, 24, 10, 0, 0, 0, calendar.Shanghai())) {
		t.Error("the holiday added in the browser is not in force")
	}
}
