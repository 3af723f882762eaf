package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The system administrator's working-day calendar (holidays and 调休上班 per
// year, office hours) and the 签收 time limits, on one page and in the API.
// Both are deployment rules — the district's 公文处理办法 sets them for every
// unit, and the sender's flags depend on them — so they sit with the system
// settings (access.ManageSettings), not with one unit's office director.

func (srv *Server) calendarRoutes() {
	m := srv.mux
	m.HandleFunc("GET /admin/calendar", srv.requireLogin(srv.calendarPage))
	m.HandleFunc("POST /admin/calendar/days", srv.requireLogin(srv.calendarDayAdd))
	m.HandleFunc("POST /admin/calendar/days/{date}/delete", srv.requireLogin(srv.calendarDayRemove))
	m.HandleFunc("POST /admin/calendar/years", srv.requireLogin(srv.calendarYearAdd))
	m.HandleFunc("POST /admin/calendar/years/{year}", srv.requireLogin(srv.calendarYearSave))
	m.HandleFunc("POST /admin/calendar/hours", srv.requireLogin(srv.calendarHoursSave))
	m.HandleFunc("POST /admin/calendar/signfor", srv.requireLogin(srv.signForSave))

	m.HandleFunc("GET /api/v1/calendar", srv.requireLogin(srv.apiCalendar))
	m.HandleFunc("PUT /api/v1/calendar/years/{year}", srv.requireLogin(srv.apiCalendarYearPut))
	m.HandleFunc("POST /api/v1/calendar/days", srv.requireLogin(srv.apiCalendarDayAdd))
	m.HandleFunc("DELETE /api/v1/calendar/days/{date}", srv.requireLogin(srv.apiCalendarDayRemove))
	m.HandleFunc("PUT /api/v1/calendar/office-hours", srv.requireLogin(srv.apiOfficeHoursPut))
	m.HandleFunc("GET /api/v1/settings/sign-for", srv.requireLogin(srv.apiSignFor))
	m.HandleFunc("PUT /api/v1/settings/sign-for", srv.requireLogin(srv.apiSignForPut))
}

// withCalendar brings the calendar up to date before each request: when an
// administrator changed it on another app server, this one reloads it (the
// check is one primary-key read). A failed check leaves the loaded calendar
// in force; the request goes on.
func (srv *Server) withCalendar(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/static/") && r.URL.Path != "/healthz" && r.URL.Path != "/metrics" {
			if err := srv.store.SyncCalendar(r.Context()); err != nil {
				srv.log.Warn("calendar sync", "request_id", requestID(r.Context()), "err", err)
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (srv *Server) editor(r *http.Request) store.Editor {
	return store.Editor{Person: viewerFrom(r.Context()).Person, IP: clientIP(r)}
}

// limitUnits are the units a 签收 limit may count, in the form's order.
var limitUnits = []struct{ Value, Label string }{
	{string(calendar.ClockHours), "小时（昼夜连续计算）"},
	{string(calendar.WorkHours), "工作小时"},
	{string(calendar.WorkDays), "工作日"},
	{"", "不限时"},
}

// signForFields names the policy's three limits in the form.
var signForFields = []struct {
	Key, Label string
	get        func(*document.SignForPolicy) *calendar.Limit
}{
	{"extra_urgent", "特急", func(p *document.SignForPolicy) *calendar.Limit { return &p.ExtraUrgent }},
	{"urgent", "加急", func(p *document.SignForPolicy) *calendar.Limit { return &p.Urgent }},
	{"ordinary", "平件", func(p *document.SignForPolicy) *calendar.Limit { return &p.Ordinary }},
}

// signForFromForm reads the three limits; a count of 0 or the unit 不限时
// means no limit.
func signForFromForm(f url.Values) (document.SignForPolicy, error) {
	var p document.SignForPolicy
	for _, fd := range signForFields {
		nText := strings.TrimSpace(f.Get(fd.Key + "_n"))
		unit := calendar.Unit(f.Get(fd.Key + "_unit"))
		n := 0
		if nText != "" {
			v, err := strconv.Atoi(nText)
			if err != nil || v < 0 {
				return p, fmt.Errorf("%s签收时限“%s”应为不小于 0 的整数", fd.Label, nText)
			}
			n = v
		}
		l := calendar.Limit{Unit: unit, N: n}
		if n == 0 || unit == "" {
			l = calendar.Limit{}
		}
		if err := l.Validate(); err != nil {
			return p, fmt.Errorf("%s签收时限：%w", fd.Label, err)
		}
		*fd.get(&p) = l
	}
	return p, nil
}

func signForForm(p document.SignForPolicy, f url.Values) {
	for _, fd := range signForFields {
		l := *fd.get(&p)
		f.Set(fd.Key+"_unit", string(l.Unit))
		if l.IsZero() {
			f.Set(fd.Key+"_n", "")
		} else {
			f.Set(fd.Key+"_n", strconv.Itoa(l.N))
		}
	}
}

type signForRow struct {
	Key, Label, N, Unit string
	Default             string
}

type dayRow struct {
	calendar.Day
	Weekday, KindLabel string
}

type calendarYearView struct {
	store.CalendarYear
	Days               []dayRow
	Holidays, Workdays int
	Hints              []string
	// The year's edit form: what was submitted when it failed, else the stored record.
	Source      string
	Provisional bool
	Text        string
	Open        bool // the edit form starts unfolded (it failed)
}

type calendarPageData struct {
	Revision   int64
	SignFor    []signForRow
	Units      []struct{ Value, Label string }
	Hours      string
	HoursNow   string
	Years      []calendarYearView
	Missing    []string // years the calendar should have and lacks
	NextYear   int
	KindLabels []struct{ Value, Label string }
}

func (srv *Server) calendarPage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	srv.renderCalendar(w, r, http.StatusOK, nil, "")
}

// renderCalendar shows the page; form, when set, is a failed submission whose
// values are put back into the form it came from so nothing typed is lost.
func (srv *Server) renderCalendar(w http.ResponseWriter, r *http.Request, status int, form url.Values, errMsg string) {
	ctx := r.Context()
	ys, err := srv.store.CalendarYears(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	pol, err := srv.store.SignForPolicy(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if form == nil {
		form = url.Values{}
	}
	which := form.Get("form")
	cal := srv.store.Calendar()
	d := calendarPageData{Revision: srv.store.CalendarRevision(), Units: limitUnits, HoursNow: cal.Hours().String(), Hours: cal.Hours().String(),
		KindLabels: []struct{ Value, Label string }{{string(calendar.Holiday), calendar.Holiday.Label()}, {string(calendar.Workday), calendar.Workday.Label()}}}
	if which == "hours" {
		d.Hours = form.Get("hours")
	}
	shown := url.Values{}
	signForForm(pol, shown)
	if which == "signfor" {
		shown = form
	}
	def := document.DefaultSignFor()
	for _, fd := range signForFields {
		d.SignFor = append(d.SignFor, signForRow{Key: fd.Key, Label: fd.Label, N: shown.Get(fd.Key + "_n"), Unit: shown.Get(fd.Key + "_unit"), Default: fd.get(&def).String()})
	}
	for _, y := range ys {
		v := calendarYearView{CalendarYear: y, Hints: y.Year.Hints(), Source: y.Source, Provisional: y.Provisional, Text: calendar.FormatDays(y.Days)}
		for _, day := range y.Days {
			v.Days = append(v.Days, dayRow{Day: day, Weekday: day.Weekday(), KindLabel: day.Kind.Label()})
			if day.Kind == calendar.Holiday {
				v.Holidays++
			} else {
				v.Workdays++
			}
		}
		if which == "year-"+strconv.Itoa(y.Year.Year) {
			v.Source, v.Provisional, v.Text, v.Open = form.Get("source"), form.Get("provisional") != "", form.Get("days"), true
		}
		d.Years = append(d.Years, v)
		d.NextYear = y.Year.Year + 1
	}
	// The current year must be covered; the next one from November on,
	// when the State Council's notice usually appears.
	now := srv.store.Now().In(cal.Location())
	for _, y := range []int{now.Year(), now.Year() + 1} {
		if !cal.Covers(y) && (y == now.Year() || now.Month() >= time.November) {
			d.Missing = append(d.Missing, fmt.Sprintf("日历中还没有 %d 年：该年只按周一至周五计算期限，节假日和调休不会计入。请在下方“添加年份”中按国务院办公厅通知录入。", y))
		}
	}
	if d.NextYear == 0 {
		d.NextYear = now.Year()
	}
	if which != "day" && which != "newyear" {
		form = url.Values{} // the add forms start empty unless they failed
	}
	srv.render(w, r, status, "admin_calendar", pageData{Title: "工作日历与签收时限", Nav: "calendar", Data: d, Form: form, Error: errMsg})
}

// calendarDone answers a successful edit with a redirect back to the page (to
// the year's section when there is one), or the failed one with the page and
// the submitted values.
func (srv *Server) calendarDone(w http.ResponseWriter, r *http.Request, err error, anchor string) {
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		srv.renderCalendar(w, r, http.StatusUnprocessableEntity, r.PostForm, userMessage(err))
		return
	}
	http.Redirect(w, r, "/admin/calendar?notice=saved"+anchor, http.StatusSeeOther)
}

func yearAnchor(date string) string {
	if y, err := calendar.DayOf(date); err == nil {
		return "#y" + strconv.Itoa(y)
	}
	return ""
}

func (srv *Server) calendarDayAdd(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	r.PostForm.Set("form", "day")
	f := r.PostForm
	var err error
	day := calendar.Day{Date: strings.TrimSpace(f.Get("date")), Name: strings.TrimSpace(f.Get("name"))}
	if day.Date == "" {
		err = errors.New("请填写日期")
	} else if day.Kind, err = calendar.ParseKind(f.Get("kind")); err == nil {
		err = srv.store.AddCalendarDay(r.Context(), srv.editor(r), day)
	}
	srv.calendarDone(w, r, err, yearAnchor(day.Date))
}

func (srv *Server) calendarDayRemove(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	date := r.PathValue("date")
	srv.calendarDone(w, r, srv.store.RemoveCalendarDay(r.Context(), srv.editor(r), date), yearAnchor(date))
}

// yearFromForm reads a year's record: source, provisional flag and its days
// in the text form of calendar.ParseDays.
func yearFromForm(n int, f url.Values) (calendar.Year, error) {
	y := calendar.Year{Year: n, Source: strings.TrimSpace(f.Get("source")), Provisional: f.Get("provisional") != ""}
	if len([]rune(y.Source)) > 200 {
		return y, errors.New("来源说明过长（最多 200 字）")
	}
	days, err := calendar.ParseDays(strings.ReplaceAll(f.Get("days"), "\r\n", "\n"))
	if err != nil {
		return y, fmt.Errorf("%d 年日期：%w", n, err)
	}
	y.Days = days
	return y, nil
}

func (srv *Server) calendarYearAdd(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	r.PostForm.Set("form", "newyear")
	n, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("year")))
	if err != nil {
		srv.calendarDone(w, r, fmt.Errorf("年份“%s”应为四位数字", r.PostForm.Get("year")), "")
		return
	}
	y, err := yearFromForm(n, r.PostForm)
	if err == nil {
		err = srv.store.AddCalendarYear(r.Context(), srv.editor(r), y)
	}
	srv.calendarDone(w, r, err, "#y"+strconv.Itoa(n))
}

func (srv *Server) calendarYearSave(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	n, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || !srv.store.Calendar().Covers(n) {
		srv.notFound(w, r)
		return
	}
	r.PostForm.Set("form", "year-"+strconv.Itoa(n))
	y, err := yearFromForm(n, r.PostForm)
	if err == nil {
		err = srv.store.PutCalendarYear(r.Context(), srv.editor(r), y)
	}
	srv.calendarDone(w, r, err, "#y"+strconv.Itoa(n))
}

func (srv *Server) calendarHoursSave(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	r.PostForm.Set("form", "hours")
	h, err := calendar.ParseOfficeHours(r.PostForm.Get("hours"))
	if err == nil {
		err = srv.store.SetOfficeHours(r.Context(), srv.editor(r), h)
	}
	srv.calendarDone(w, r, err, "#hours")
}

func (srv *Server) signForSave(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	r.PostForm.Set("form", "signfor")
	p, err := signForFromForm(r.PostForm)
	if err == nil {
		err = srv.store.PutSignForPolicy(r.Context(), srv.editor(r), p)
	}
	srv.calendarDone(w, r, err, "#signfor")
}

// The JSON API.

type apiCalendarOut struct {
	Revision    int64                  `json:"revision"`
	OfficeHours string                 `json:"office_hours"`
	Years       []store.CalendarYear   `json:"years"`
	SignFor     document.SignForPolicy `json:"sign_for"`
}

func (srv *Server) apiCalendar(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	ctx := r.Context()
	ys, err := srv.store.CalendarYears(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	pol, err := srv.store.SignForPolicy(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiCalendarOut{Revision: srv.store.CalendarRevision(), OfficeHours: srv.store.Calendar().Hours().String(), Years: ys, SignFor: pol})
}

// apiEditDone answers an API edit: 422 with the Chinese message when refused.
func (srv *Server) apiEditDone(w http.ResponseWriter, r *http.Request, err error, status int, out any) {
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		writeJSONError(w, http.StatusUnprocessableEntity, userMessage(err))
		return
	}
	writeJSON(w, status, out)
}

func (srv *Server) apiCalendarYearPut(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	n, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "年份应为四位数字")
		return
	}
	var y calendar.Year
	if !decodeJSON(w, r, &y) {
		return
	}
	if y.Year == 0 {
		y.Year = n
	}
	if y.Year != n {
		writeJSONError(w, http.StatusUnprocessableEntity, fmt.Sprintf("请求体中的年份 %d 与路径中的 %d 不一致", y.Year, n))
		return
	}
	err = srv.store.PutCalendarYear(r.Context(), srv.editor(r), y)
	got, _ := srv.store.Calendar().Year(n)
	srv.apiEditDone(w, r, err, http.StatusOK, got)
}

func (srv *Server) apiCalendarDayAdd(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	var d calendar.Day
	if !decodeJSON(w, r, &d) {
		return
	}
	srv.apiEditDone(w, r, srv.store.AddCalendarDay(r.Context(), srv.editor(r), d), http.StatusCreated, d)
}

func (srv *Server) apiCalendarDayRemove(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	srv.apiEditDone(w, r, srv.store.RemoveCalendarDay(r.Context(), srv.editor(r), r.PathValue("date")), http.StatusOK, map[string]bool{"ok": true})
}

func (srv *Server) apiOfficeHoursPut(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	var in struct {
		OfficeHours string `json:"office_hours"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	h, err := calendar.ParseOfficeHours(in.OfficeHours)
	if err == nil {
		err = srv.store.SetOfficeHours(r.Context(), srv.editor(r), h)
	}
	srv.apiEditDone(w, r, err, http.StatusOK, map[string]string{"office_hours": h.String()})
}

func (srv *Server) apiSignFor(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	p, err := srv.store.SignForPolicy(r.Context())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (srv *Server) apiSignForPut(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	var p document.SignForPolicy
	if !decodeJSON(w, r, &p) {
		return
	}
	srv.apiEditDone(w, r, srv.store.PutSignForPolicy(r.Context(), srv.editor(r), p), http.StatusOK, p)
}
