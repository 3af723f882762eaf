package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// 领导日程: each leader's calendar, kept by the leader's secretary or office
// (access.KeepSchedule) and shown to everyone else as far as each entry's
// visibility allows (access.ScheduleReachOf; the rest as 忙). An entry that
// conflicts with the person's other entries is flagged and saved only when
// the keeper confirms. Meetings and duty shifts appear read-only: their
// modules own them.

func (srv *Server) plannerRoutes() {
	m := srv.mux
	m.HandleFunc("GET /planner", srv.requireLogin(srv.plannerPage))
	m.HandleFunc("GET /planner/people/{id}", srv.requireLogin(srv.plannerPersonPage))
	m.HandleFunc("POST /planner/people/{id}/entries", srv.requireLogin(srv.plannerEntryPost))
	m.HandleFunc("POST /planner/people/{id}/feed", srv.requireLogin(srv.plannerFeedPost))
	m.HandleFunc("GET /planner/week", srv.requireLogin(srv.programmePage))
	m.HandleFunc("POST /planner/week", srv.requireLogin(srv.programmePost))
	m.HandleFunc("GET /planner/week/print", srv.requireLogin(srv.programmePrint))
	m.HandleFunc("GET /planner/week.xlsx", srv.requireLogin(srv.programmeXLSX))
	m.HandleFunc("GET /ical/{file}", srv.icalFeed)
	m.HandleFunc("GET /api/v1/planner/people/{id}/entries", srv.requireLogin(srv.apiPlannerEntries))
	m.HandleFunc("POST /api/v1/planner/people/{id}/entries", srv.requireLogin(srv.apiPlannerEntrySave))
	m.HandleFunc("PUT /api/v1/planner/people/{id}/entries/{entry}", srv.requireLogin(srv.apiPlannerEntrySave))
	m.HandleFunc("DELETE /api/v1/planner/people/{id}/entries/{entry}", srv.requireLogin(srv.apiPlannerEntryDelete))
	m.HandleFunc("POST /api/v1/planner/people/{id}/feed", srv.requireLogin(srv.apiPlannerFeed))
	m.HandleFunc("DELETE /api/v1/planner/people/{id}/feed", srv.requireLogin(srv.apiPlannerFeed))
	m.HandleFunc("GET /api/v1/planner/busy", srv.requireLogin(srv.apiPlannerBusy))
	m.HandleFunc("GET /api/v1/planner/week", srv.requireLogin(srv.apiProgramme))
	m.HandleFunc("POST /api/v1/planner/week", srv.requireLogin(srv.apiProgrammeAct))
}

// entryOut is an entry as one viewer may see it: in full, or as 忙.
type entryOut struct {
	ID         string    `json:"id,omitempty"`
	PersonID   string    `json:"person_id"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	AllDay     bool      `json:"all_day,omitempty"`
	Title      string    `json:"title"`
	Place      string    `json:"place,omitempty"`
	Note       string    `json:"note,omitempty"`
	Visibility string    `json:"visibility,omitempty"`
	VisLabel   string    `json:"visibility_label,omitempty"`
	Source     string    `json:"source,omitempty"` // meeting, duty; "" kept by hand
	SourceName string    `json:"source_label,omitempty"`
	Span       string    `json:"span"`
	When       string    `json:"-"`                   // the time of day, for a day's cell
	Busy       bool      `json:"busy_only,omitempty"` // shown as 忙, without details
	Editable   bool      `json:"editable,omitempty"`  // kept by hand and the viewer keeps it
}

func showEntry(e planner.Entry, reach access.Reach, keeps bool) entryOut {
	o := entryOut{PersonID: e.PersonID, Start: e.Start, End: e.End, AllDay: e.AllDay, Span: planner.SpanText(e.Start, e.End, e.AllDay, chinaTime)}
	s, f := e.Start.In(chinaTime), e.End.In(chinaTime)
	switch {
	case e.AllDay:
		o.When = "全天"
	case s.Format("2006-01-02") == f.Format("2006-01-02"):
		o.When = s.Format("15:04") + "–" + f.Format("15:04")
	default:
		o.When = s.Format("01-02 15:04") + "–" + f.Format("01-02 15:04")
	}
	if !reach.Sees(e.Visibility) {
		o.Title, o.Busy = planner.BusyTitle, true
		return o
	}
	o.ID, o.Title, o.Place, o.Note = e.ID, e.Title, e.Place, e.Note
	o.Visibility, o.VisLabel = string(e.Visibility), e.Visibility.Label()
	if !e.Source.IsZero() {
		o.Source, o.SourceName = e.Source.Kind, e.Source.Label()
	}
	o.Editable = keeps && e.Source.IsZero()
	return o
}

// scheduleView is what the viewer may do with a person's schedule.
type scheduleView struct {
	Person org.Person
	Object access.Object
	Reach  access.Reach
	Keeps  bool
}

func (srv *Server) scheduleViewOf(ctx context.Context, v *Viewer, personID string) (scheduleView, error) {
	p, err := srv.store.Person(ctx, personID)
	if err != nil {
		return scheduleView{}, err
	}
	o, err := srv.personObject(ctx, personID)
	if err != nil {
		return scheduleView{}, err
	}
	return scheduleView{Person: p, Object: o, Reach: access.ScheduleReachOf(v.Subject, o),
		Keeps: access.Decide(v.Subject, access.KeepSchedule, o).Allow}, nil
}

// authorizePerson asks Decide for a on the person in the path, refusing
// (audited) when not allowed; a missing person is a 404.
func (srv *Server) authorizePerson(w http.ResponseWriter, r *http.Request, a access.Action) (scheduleView, bool) {
	ctx := r.Context()
	sv, err := srv.scheduleViewOf(ctx, viewerFrom(ctx), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		if !srv.authorize(w, r, access.ViewSchedule, access.Object{}) {
			return sv, false
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSONError(w, http.StatusNotFound, "人员不存在")
		} else {
			srv.notFound(w, r)
		}
		return sv, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return sv, false
	}
	if !srv.authorize(w, r, a, sv.Object) {
		return sv, false
	}
	return sv, true
}

// weekDay is one column of a week.
type weekDay struct {
	Date    time.Time
	Label   string // 12月8日
	Weekday string // 星期二
	Off     bool   // a day off in the calendar
	Today   bool
}

func (srv *Server) weekDays(monday time.Time) []weekDay {
	cal := srv.store.Calendar()
	today := srv.store.Now().In(chinaTime).Format("2006-01-02")
	out := make([]weekDay, 7)
	for i := range out {
		d := monday.AddDate(0, 0, i)
		out[i] = weekDay{Date: d, Label: fmt.Sprintf("%d月%d日", d.Month(), d.Day()), Weekday: planner.WeekdayName(d.Weekday()),
			Off: !cal.IsWorkday(d), Today: d.Format("2006-01-02") == today}
	}
	return out
}

// dayIndex is the day of the week (0 Monday) each part of an entry covers.
func dayIndexes(e planner.Entry, monday time.Time) []int {
	var out []int
	for i := range 7 {
		d := monday.AddDate(0, 0, i)
		if e.Start.Before(d.AddDate(0, 0, 1)) && e.End.After(d) {
			out = append(out, i)
		}
	}
	return out
}

// organChoice is an organ with a week programme, for the pickers.
type organChoice struct {
	ID, Name string
	Selected bool
}

// viewerOrgan is the organ whose leaders the viewer most likely looks for:
// where they lead, else the organ their office serves, else the first.
func (srv *Server) viewerOrgan(ctx context.Context, v *Viewer, organs []org.Unit) (string, error) {
	for _, ra := range v.Roles {
		if ra.Role == org.RoleLeader && slices.ContainsFunc(organs, func(u org.Unit) bool { return u.ID == ra.UnitID }) {
			return ra.UnitID, nil
		}
	}
	mine := map[string]bool{}
	for _, ra := range v.Roles {
		mine[ra.UnitID] = true
	}
	if office, err := srv.store.ServingOffice(ctx, v.Person.ID); err == nil && office != "" {
		mine[office] = true
	}
	for _, u := range organs {
		office, err := srv.store.OfficeOfOrgan(ctx, u.ID)
		if err != nil {
			return "", err
		}
		if mine[office] || mine[u.ID] {
			return u.ID, nil
		}
	}
	if len(organs) > 0 {
		return organs[0].ID, nil
	}
	return "", nil
}

// pickOrgan reads ?organ= (or the viewer's organ) and ?week=.
func (srv *Server) pickOrgan(ctx context.Context, v *Viewer, q url.Values) (organ org.Unit, choices []organChoice, monday time.Time, err error) {
	monday, err = planner.ParseWeek(q.Get("week"), srv.store.Now(), chinaTime)
	if err != nil {
		return organ, nil, monday, err
	}
	organs, err := srv.store.LeaderOrgans(ctx)
	if err != nil {
		return organ, nil, monday, err
	}
	id := q.Get("organ")
	if !slices.ContainsFunc(organs, func(u org.Unit) bool { return u.ID == id }) {
		if id != "" {
			return organ, nil, monday, &planner.Refusal{Msg: "所选机关没有领导日程"}
		}
		if id, err = srv.viewerOrgan(ctx, v, organs); err != nil {
			return organ, nil, monday, err
		}
	}
	for _, u := range organs {
		choices = append(choices, organChoice{ID: u.ID, Name: u.Name, Selected: u.ID == id})
		if u.ID == id {
			organ = u
		}
	}
	return organ, choices, monday, nil
}

type plannerGridRow struct {
	Person org.Person
	Keeps  bool
	Days   [7][]entryOut
}

type plannerPageData struct {
	Organ      org.Unit
	Organs     []organChoice
	Week       string
	Prev, Next string
	Days       []weekDay
	Rows       []plannerGridRow
}

func weekLinks(monday time.Time) (string, string, string) {
	return monday.Format("2006-01-02"), monday.AddDate(0, 0, -7).Format("2006-01-02"), monday.AddDate(0, 0, 7).Format("2006-01-02")
}

// plannerPage is the organ's leaders' week at a glance.
func (srv *Server) plannerPage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewSchedule, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	organ, choices, monday, err := srv.pickOrgan(ctx, v, r.URL.Query())
	if err != nil {
		srv.plannerFail(w, r, err)
		return
	}
	d := plannerPageData{Organ: organ, Organs: choices, Days: srv.weekDays(monday)}
	d.Week, d.Prev, d.Next = weekLinks(monday)
	if organ.ID != "" {
		leaders, err := srv.store.OrganLeaders(ctx, organ.ID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		ids := make([]string, len(leaders))
		for i, l := range leaders {
			ids[i] = l.ID
		}
		es, err := srv.store.ScheduleEntries(ctx, ids, monday, monday.AddDate(0, 0, 7))
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		rowOf := map[string]int{}
		for i, l := range leaders {
			sv, err := srv.scheduleViewOf(ctx, v, l.ID)
			if err != nil {
				srv.serverError(w, r, err)
				return
			}
			rowOf[l.ID] = i
			d.Rows = append(d.Rows, plannerGridRow{Person: sv.Person, Keeps: sv.Keeps})
		}
		views := map[string]scheduleView{}
		for _, e := range es {
			sv, ok := views[e.PersonID]
			if !ok {
				if sv, err = srv.scheduleViewOf(ctx, v, e.PersonID); err != nil {
					srv.serverError(w, r, err)
					return
				}
				views[e.PersonID] = sv
			}
			row := &d.Rows[rowOf[e.PersonID]]
			for _, i := range dayIndexes(e, monday) {
				row.Days[i] = append(row.Days[i], showEntry(e, sv.Reach, sv.Keeps))
			}
		}
	}
	srv.render(w, r, http.StatusOK, "planner", pageData{Title: "领导日程", Nav: "planner", Data: d})
}

func (srv *Server) plannerFail(w http.ResponseWriter, r *http.Request, err error) {
	if isInternal(err) {
		srv.serverError(w, r, err)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, http.StatusUnprocessableEntity, userMessage(err))
		return
	}
	srv.render(w, r, http.StatusUnprocessableEntity, "error", pageData{Title: "领导日程", Error: userMessage(err)})
}

type plannerPersonData struct {
	View       scheduleView
	Week       string
	Prev, Next string
	Days       []weekDay
	ByDay      [7][]entryOut
	Visibility []planner.Visibility
	Editing    *planner.Entry // the entry being changed, if any
	EditWhen   [4]string      // its first day, start, last day and end as the form's inputs take them
	Conflicts  []string       // the entered entry's conflicts, named
	Free       []string       // the nearest free slots in office hours
	Confirm    bool           // conflicts shown: the next save confirms them
	Feed       *store.ScheduleFeed
	FeedURL    string // a new feed's URL, shown once
}

func (srv *Server) plannerPersonPage(w http.ResponseWriter, r *http.Request) {
	sv, ok := srv.authorizePerson(w, r, access.ViewSchedule)
	if !ok {
		return
	}
	srv.renderPlannerPerson(w, r, sv, http.StatusOK, plannerPersonData{}, "", "")
}

func (srv *Server) renderPlannerPerson(w http.ResponseWriter, r *http.Request, sv scheduleView, status int, d plannerPersonData, notice, errMsg string) {
	ctx := r.Context()
	week := r.URL.Query().Get("week")
	if status != http.StatusOK && r.PostFormValue("first") != "" {
		week = r.PostFormValue("first")
	}
	monday, err := planner.ParseWeek(week, srv.store.Now(), chinaTime)
	if err != nil {
		monday = planner.WeekStart(srv.store.Now(), chinaTime)
	}
	es, err := srv.store.ScheduleEntries(ctx, []string{sv.Person.ID}, monday, monday.AddDate(0, 0, 7))
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d.View, d.Days, d.Visibility = sv, srv.weekDays(monday), planner.Visibilities
	d.Week, d.Prev, d.Next = weekLinks(monday)
	for _, e := range es {
		for _, i := range dayIndexes(e, monday) {
			d.ByDay[i] = append(d.ByDay[i], showEntry(e, sv.Reach, sv.Keeps))
		}
	}
	if sv.Keeps {
		if f, ok, err := srv.store.ScheduleFeedOf(ctx, sv.Person.ID); err != nil {
			srv.serverError(w, r, err)
			return
		} else if ok {
			d.Feed = &f
		}
		if edit := r.URL.Query().Get("edit"); edit != "" && d.Editing == nil {
			if e, err := srv.store.ScheduleEntry(ctx, edit); err == nil && e.PersonID == sv.Person.ID && e.Source.IsZero() {
				d.Editing = &e
				s, f := e.Start.In(chinaTime), e.End.In(chinaTime)
				if e.AllDay {
					f = f.AddDate(0, 0, -1)
				}
				d.EditWhen = [4]string{s.Format("2006-01-02"), s.Format("15:04"), f.Format("2006-01-02"), f.Format("15:04")}
			}
		}
	}
	form := r.PostForm
	if status == http.StatusOK && d.FeedURL == "" {
		form = nil
	}
	srv.render(w, r, status, "planner_person", pageData{Title: sv.Person.Name + "的日程", Nav: "planner", Notice: notice, Error: errMsg, Form: form, Data: d})
}

// entryInput is an entry as a form or the API gives it.
type entryInput struct {
	ID         string `json:"id,omitempty"`
	Start      string `json:"start"` // 2026-12-08T09:00 or 2026-12-08 09:00; a date for all day
	End        string `json:"end"`
	AllDay     bool   `json:"all_day,omitempty"`
	Title      string `json:"title"`
	Place      string `json:"place,omitempty"`
	Note       string `json:"note,omitempty"`
	Visibility string `json:"visibility"`
	// Confirm saves an entry despite its conflicts (they were shown).
	Confirm bool `json:"confirm,omitempty"`
}

// splitWhen cuts "2026-12-08T09:00" or "2026-12-08 09:00" into date and time.
func splitWhen(s string) (string, string) {
	s = strings.TrimSpace(s)
	if d, t, ok := strings.Cut(s, "T"); ok {
		return d, t
	}
	if d, t, ok := strings.Cut(s, " "); ok {
		return d, t
	}
	return s, ""
}

func (in entryInput) entry(personID string) (planner.Entry, error) {
	d1, t1 := splitWhen(in.Start)
	d2, t2 := splitWhen(in.End)
	if in.AllDay && d2 == "" {
		d2 = d1
	}
	start, end, err := planner.ParseSpan(d1, t1, d2, t2, in.AllDay, chinaTime)
	if err != nil {
		return planner.Entry{}, err
	}
	vis := planner.Visibility(in.Visibility)
	if in.Visibility == "" {
		vis = planner.Organ
	}
	e := planner.Entry{ID: in.ID, PersonID: personID, Start: start, End: end, AllDay: in.AllDay, Title: strings.TrimSpace(in.Title),
		Place: strings.TrimSpace(in.Place), Note: strings.TrimSpace(in.Note), Visibility: vis}
	return e, e.Validate()
}

// entryConflicts are the entry's conflicts with the person's other entries
// (named, and redacted as far as the viewer's reach requires), and the
// nearest free slots of its length inside office hours.
func (srv *Server) entryConflicts(ctx context.Context, sv scheduleView, e planner.Entry) ([]string, []string, error) {
	busy, err := srv.store.BusyIntervals(ctx, []string{e.PersonID}, e.Start, e.End)
	if err != nil {
		return nil, nil, err
	}
	cs := planner.Conflicts(planner.Without(busy, e.ID), planner.Slot{Start: e.Start, End: e.End}, []string{e.PersonID})
	if len(cs) == 0 {
		return nil, nil, nil
	}
	var out []string
	for _, c := range cs {
		if !sv.Reach.Sees(c.Visibility) {
			c = c.Redacted()
		}
		out = append(out, planner.ConflictText(c, sv.Person.Name, chinaTime))
	}
	var free []string
	if !e.AllDay {
		from, to := e.Start.AddDate(0, 0, -20), e.End.AddDate(0, 0, 20)
		around, err := srv.store.BusyIntervals(ctx, []string{e.PersonID}, from, to)
		if err != nil {
			return nil, nil, err
		}
		for _, s := range planner.FreeSlots(srv.store.Calendar(), planner.Without(around, e.ID), planner.SlotQuery{Want: planner.Slot{Start: e.Start, End: e.End},
			People: []string{e.PersonID}, NotBefore: srv.store.Now()}) {
			free = append(free, planner.SpanText(s.Start, s.End, false, chinaTime))
		}
	}
	return out, free, nil
}

// errConflicts: the entry conflicts and was not confirmed.
var errConflicts = errors.New("conflicts")

// saveEntry checks and stores an entry kept by hand. Conflicts are
// returned (with errConflicts) unless confirmed.
func (srv *Server) saveEntry(ctx context.Context, v *Viewer, sv scheduleView, in entryInput) (planner.Entry, []string, []string, error) {
	e, err := in.entry(sv.Person.ID)
	if err != nil {
		return e, nil, nil, err
	}
	if e.ID != "" {
		old, err := srv.store.ScheduleEntry(ctx, e.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && old.PersonID != sv.Person.ID) {
			return e, nil, nil, &planner.Refusal{Msg: "该日程不存在或已删除"}
		}
		if err != nil {
			return e, nil, nil, err
		}
	}
	cs, free, err := srv.entryConflicts(ctx, sv, e)
	if err != nil {
		return e, nil, nil, err
	}
	if len(cs) > 0 && !in.Confirm {
		return e, cs, free, errConflicts
	}
	saved, err := srv.store.SaveScheduleEntry(ctx, v.Person, e)
	return saved, cs, free, err
}

func (srv *Server) plannerEntryPost(w http.ResponseWriter, r *http.Request) {
	sv, ok := srv.authorizePerson(w, r, access.KeepSchedule)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	if r.PostFormValue("op") == "delete" {
		id := r.PostFormValue("entry")
		old, err := srv.store.ScheduleEntry(ctx, id)
		if err == nil && old.PersonID != sv.Person.ID {
			err = store.ErrNotFound
		}
		if err == nil {
			_, err = srv.store.DeleteScheduleEntry(ctx, v.Person, id)
		}
		switch {
		case errors.Is(err, store.ErrNotFound):
			srv.renderPlannerPerson(w, r, sv, http.StatusUnprocessableEntity, plannerPersonData{}, "", "该日程不存在或已删除")
		case err != nil && isInternal(err):
			srv.serverError(w, r, err)
		case err != nil:
			srv.renderPlannerPerson(w, r, sv, http.StatusUnprocessableEntity, plannerPersonData{}, "", userMessage(err))
		default:
			http.Redirect(w, r, "/planner/people/"+sv.Person.ID+"?week="+old.Start.In(chinaTime).Format("2006-01-02")+"&notice=deleted", http.StatusSeeOther)
		}
		return
	}
	in := entryInput{ID: r.PostFormValue("entry"), AllDay: r.PostFormValue("all_day") != "", Title: r.PostFormValue("title"),
		Place: r.PostFormValue("place"), Note: r.PostFormValue("note"), Visibility: r.PostFormValue("visibility"), Confirm: r.PostFormValue("confirm") != ""}
	in.Start = r.PostFormValue("first") + " " + r.PostFormValue("start")
	in.End = r.PostFormValue("last") + " " + r.PostFormValue("end")
	if r.PostFormValue("last") == "" {
		in.End = r.PostFormValue("first") + " " + r.PostFormValue("end")
	}
	saved, cs, free, err := srv.saveEntry(ctx, v, sv, in)
	switch {
	case errors.Is(err, errConflicts):
		srv.renderPlannerPerson(w, r, sv, http.StatusConflict, plannerPersonData{Conflicts: cs, Free: free, Confirm: true}, "",
			"与已有日程冲突，请调整时间，或确认后仍然保存。")
	case err != nil && isInternal(err):
		srv.serverError(w, r, err)
	case err != nil:
		srv.renderPlannerPerson(w, r, sv, http.StatusUnprocessableEntity, plannerPersonData{}, "", userMessage(err))
	default:
		notice := "saved"
		if len(cs) > 0 {
			notice = "saved_conflict"
		}
		http.Redirect(w, r, "/planner/people/"+sv.Person.ID+"?week="+saved.Start.In(chinaTime).Format("2006-01-02")+"&notice="+notice, http.StatusSeeOther)
	}
}

// feedURL is the secret address of a feed.
func feedURL(r *http.Request, secret string) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/ical/" + secret + ".ics"
}

func (srv *Server) plannerFeedPost(w http.ResponseWriter, r *http.Request) {
	sv, ok := srv.authorizePerson(w, r, access.KeepSchedule)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	switch r.PostFormValue("op") {
	case "revoke":
		err := srv.store.RevokeScheduleFeed(ctx, v.Person, sv.Person.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			srv.serverError(w, r, err)
			return
		}
		srv.renderPlannerPerson(w, r, sv, http.StatusOK, plannerPersonData{}, "订阅地址已停用，原地址不再返回日程。", "")
	default:
		secret, err := srv.store.NewScheduleFeed(ctx, v.Person, sv.Person.ID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		srv.renderPlannerPerson(w, r, sv, http.StatusOK, plannerPersonData{FeedURL: feedURL(r, secret)}, "已生成新的订阅地址，原地址已停用。", "")
	}
}

// icalFeed serves a person's schedule to a calendar app: the secret in the
// URL is the only credential, read-only; 30 days back and 180 ahead.
func (srv *Server) icalFeed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	secret := strings.TrimSuffix(r.PathValue("file"), ".ics")
	id, err := srv.store.ScheduleFeedPerson(ctx, secret)
	if errors.Is(err, store.ErrNotFound) || secret == "" {
		http.Error(w, "订阅地址无效或已停用", http.StatusNotFound)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	p, err := srv.store.Person(ctx, id)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	now := srv.store.Now()
	es, err := srv.store.ScheduleEntries(ctx, []string{id}, now.AddDate(0, 0, -30), now.AddDate(0, 0, 180))
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	host := r.Host
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	if err := planner.WriteICal(w, planner.ICalFeed{Name: p.Name + "的日程", Host: host, Stamp: now, Entries: es}, chinaTime); err != nil {
		srv.log.Warn("ical feed", "err", err)
	}
}

// API

func (srv *Server) apiPlannerEntries(w http.ResponseWriter, r *http.Request) {
	sv, ok := srv.authorizePerson(w, r, access.ViewSchedule)
	if !ok {
		return
	}
	ctx := r.Context()
	from, to, err := apiRange(r.URL.Query(), srv.store.Now())
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	es, err := srv.store.ScheduleEntries(ctx, []string{sv.Person.ID}, from, to)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	out := make([]entryOut, 0, len(es))
	for _, e := range es {
		out = append(out, showEntry(e, sv.Reach, sv.Keeps))
	}
	writeJSON(w, http.StatusOK, map[string]any{"person": sv.Person.Name, "from": from, "to": to, "entries": out})
}

// apiRange reads ?from= and ?to= (dates or date-times); default the
// current week.
func apiRange(q url.Values, now time.Time) (time.Time, time.Time, error) {
	from := planner.WeekStart(now, chinaTime)
	to := from.AddDate(0, 0, 7)
	read := func(s string) (time.Time, error) {
		d, t := splitWhen(s)
		day, err := planner.ParseDate(d, chinaTime)
		if err != nil || t == "" {
			return day, err
		}
		m, err := planner.ParseClock(t)
		return day.Add(time.Duration(m) * time.Minute), err
	}
	var err error
	if s := q.Get("from"); s != "" {
		if from, err = read(s); err != nil {
			return from, to, err
		}
		if q.Get("to") == "" {
			to = from.AddDate(0, 0, 7)
		}
	}
	if s := q.Get("to"); s != "" {
		if to, err = read(s); err != nil {
			return from, to, err
		}
	}
	if !to.After(from) || to.Sub(from) > 400*24*time.Hour {
		return from, to, &planner.Refusal{Msg: "时间范围无效（结束应晚于开始，且不超过 400 天）"}
	}
	return from, to, nil
}

func (srv *Server) apiPlannerEntrySave(w http.ResponseWriter, r *http.Request) {
	sv, ok := srv.authorizePerson(w, r, access.KeepSchedule)
	if !ok {
		return
	}
	var in entryInput
	if !decodeJSON(w, r, &in) {
		return
	}
	if id := r.PathValue("entry"); id != "" {
		in.ID = id
	} else {
		in.ID = ""
	}
	ctx := r.Context()
	saved, cs, free, err := srv.saveEntry(ctx, viewerFrom(ctx), sv, in)
	switch {
	case errors.Is(err, errConflicts):
		writeJSON(w, http.StatusConflict, map[string]any{"error": "与已有日程冲突；确认后请带 confirm: true 重新提交", "conflicts": cs, "free_slots": free})
	case err != nil:
		srv.plannerFail(w, r, err)
	default:
		status := http.StatusCreated
		if in.ID != "" {
			status = http.StatusOK
		}
		writeJSON(w, status, map[string]any{"entry": showEntry(saved, sv.Reach, sv.Keeps), "conflicts": cs})
	}
}

func (srv *Server) apiPlannerEntryDelete(w http.ResponseWriter, r *http.Request) {
	sv, ok := srv.authorizePerson(w, r, access.KeepSchedule)
	if !ok {
		return
	}
	ctx := r.Context()
	id := r.PathValue("entry")
	old, err := srv.store.ScheduleEntry(ctx, id)
	if err == nil && old.PersonID != sv.Person.ID {
		err = store.ErrNotFound
	}
	if err == nil {
		_, err = srv.store.DeleteScheduleEntry(ctx, viewerFrom(ctx).Person, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, "该日程不存在或已删除")
		return
	}
	if err != nil {
		srv.plannerFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (srv *Server) apiPlannerFeed(w http.ResponseWriter, r *http.Request) {
	sv, ok := srv.authorizePerson(w, r, access.KeepSchedule)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	if r.Method == http.MethodDelete {
		err := srv.store.RevokeScheduleFeed(ctx, v.Person, sv.Person.ID)
		if errors.Is(err, store.ErrNotFound) {
			writeJSONError(w, http.StatusNotFound, sv.Person.Name+"没有在用的订阅地址")
			return
		}
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	secret, err := srv.store.NewScheduleFeed(ctx, v.Person, sv.Person.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"url": feedURL(r, secret), "person": sv.Person.Name})
}

// apiPlannerBusy is the busy time of people (?people=id,id) over a range,
// each entry shown as far as the viewer may see it; with ?free=minutes the
// nearest free slots of that length inside office hours too.
func (srv *Server) apiPlannerBusy(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewSchedule, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	q := r.URL.Query()
	from, to, err := apiRange(q, srv.store.Now())
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	var people []string
	for _, p := range strings.Split(q.Get("people"), ",") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(people, p) {
			people = append(people, p)
		}
	}
	if len(people) > 100 {
		writeJSONError(w, http.StatusBadRequest, "一次最多查询 100 人")
		return
	}
	views := map[string]scheduleView{}
	for _, id := range people {
		sv, err := srv.scheduleViewOf(ctx, v, id)
		if errors.Is(err, store.ErrNotFound) {
			writeJSONError(w, http.StatusBadRequest, "所查人员不存在")
			return
		}
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		if sv.Reach == access.ReachNone {
			srv.refuse(w, r, string(access.ViewSchedule), "三员账户没有日程")
			return
		}
		views[id] = sv
	}
	busy, err := srv.store.BusyIntervals(ctx, people, from, to)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	out := make([]entryOut, 0, len(busy))
	for _, b := range busy {
		sv := views[b.PersonID]
		out = append(out, showEntry(planner.Entry{ID: b.EntryID, PersonID: b.PersonID, Start: b.Start, End: b.End, AllDay: b.AllDay,
			Title: b.Title, Place: b.Place, Visibility: b.Visibility, Source: b.Source}, sv.Reach, false))
	}
	res := map[string]any{"from": from, "to": to, "busy": out}
	if mins, _ := strconv.Atoi(q.Get("free")); mins > 0 && mins <= 24*60 {
		var free []planner.Slot
		cal := srv.store.Calendar()
		free = planner.FreeSlots(cal, busy, planner.SlotQuery{Want: planner.Slot{Start: from, End: from.Add(time.Duration(mins) * time.Minute)},
			People: people, NotBefore: maxTime(from, srv.store.Now()), Max: 5})
		res["free_slots"] = free
	}
	writeJSON(w, http.StatusOK, res)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
