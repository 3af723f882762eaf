package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// 办会: booking (with the room's and the leaders' conflicts and the nearest
// free slots), the meeting page with its agenda, notice, replies, sign-in,
// decisions and minutes, the sign-in page a phone opens from the QR code,
// and the JSON API beside them.

func (srv *Server) meetingRoutes() {
	m := srv.mux
	m.HandleFunc("GET /meetings", srv.requireLogin(srv.meetingList))
	m.HandleFunc("GET /meetings/new", srv.requireLogin(srv.meetingNew))
	m.HandleFunc("POST /meetings", srv.requireLogin(srv.meetingBook))
	m.HandleFunc("GET /meetings/{id}", srv.requireLogin(srv.meetingPage))
	m.HandleFunc("POST /meetings/{id}/{op}", srv.requireLogin(srv.meetingAction))
	m.HandleFunc("GET /meetings/{id}/qr.png", srv.requireLogin(srv.meetingQR))
	m.HandleFunc("GET /meetings/{id}/checkin", srv.requireLogin(srv.meetingCheckinPage))
	m.HandleFunc("GET /meetings/{id}/seating", srv.requireLogin(srv.meetingSeating))
	m.HandleFunc("GET /api/v1/meetings", srv.requireLogin(srv.meetingList))
	m.HandleFunc("POST /api/v1/meetings", srv.requireLogin(srv.meetingBook))
	m.HandleFunc("GET /api/v1/meetings/{id}", srv.requireLogin(srv.meetingPage))
	m.HandleFunc("POST /api/v1/meetings/{id}/{op}", srv.requireLogin(srv.meetingAction))
	m.HandleFunc("GET /api/v1/meeting-rooms", srv.requireLogin(srv.meetingRooms))
	srv.meetingMaterialRoutes()
}

// meetingOut is a meeting as pages and the API show it (no secret).
type meetingOut struct {
	ID        string               `json:"id"`
	Title     string               `json:"title"`
	Kind      meeting.Kind         `json:"kind"`
	KindLabel string               `json:"kind_label"`
	Status    meeting.Status       `json:"status"`
	State     string               `json:"state"` // the status as it stands now: 进行中, 已召开…
	Start     time.Time            `json:"start"`
	End       time.Time            `json:"end"`
	Room      string               `json:"room"`
	Office    string               `json:"office"`
	Organizer string               `json:"organizer"`
	Convener  string               `json:"convener"`
	Invitees  []inviteeOut         `json:"invitees"`
	Agenda    []meeting.AgendaItem `json:"agenda"`
	Approved  bool                 `json:"agenda_approved"`
	Decisions []meeting.Decision   `json:"decisions"`
	Minutes   string               `json:"minutes_document,omitempty"`
	Figures   meeting.Figures      `json:"figures"`
}

type inviteeOut struct {
	meeting.Invitee
	Name string `json:"name"`
	Unit string `json:"unit"`
	Mine bool   `json:"-"` // the viewer may answer for them
}

func (srv *Server) meetingOutOf(r *http.Request, m *meeting.Meeting) (meetingOut, error) {
	ctx := r.Context()
	n, err := srv.names(ctx)
	if err != nil {
		return meetingOut{}, err
	}
	room, err := srv.store.MeetingRoom(ctx, m.RoomID)
	if err != nil {
		return meetingOut{}, err
	}
	a, err := srv.store.Actor(ctx, viewerFrom(ctx).Person.ID, srv.store.Now())
	if err != nil {
		return meetingOut{}, err
	}
	out := meetingOut{ID: m.ID, Title: m.Title, Kind: m.Kind, KindLabel: m.Kind.Label(), Status: m.Status, State: m.State(srv.store.Now()), Start: m.Start, End: m.End,
		Room: room.Name, Office: n.unit(m.OfficeID), Organizer: n.person(m.Organizer), Convener: n.person(m.Convener),
		Agenda: m.Agenda, Approved: m.AgendaApproved(), Decisions: m.Decisions, Minutes: m.MinutesDoc, Figures: m.Figures(srv.store.Now())}
	for _, iv := range m.Invitees {
		out.Invitees = append(out.Invitees, inviteeOut{Invitee: iv, Name: n.person(iv.PersonID), Unit: n.unit(iv.UnitID), Mine: iv.MayAnswerFor(a)})
	}
	return out, nil
}

func (srv *Server) meetingList(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	now := srv.store.Now()
	ms, err := srv.store.Meetings(ctx, store.MeetingFilter{PersonID: v.Person.ID, From: now.AddDate(0, 0, -31), Limit: 500})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	// Those of the viewer's office too.
	all, err := srv.store.Meetings(ctx, store.MeetingFilter{From: now.AddDate(0, 0, -31), Limit: 2000})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	units := viewerUnits(v)
	for _, m := range all {
		if slices.Contains(units, m.OfficeID) && !slices.ContainsFunc(ms, func(x meeting.Meeting) bool { return x.ID == m.ID }) {
			ms = append(ms, m)
		}
	}
	meeting.ListOrder(ms, now)
	var out []meetingOut
	var shown []meeting.Meeting
	for i := range ms {
		if !access.Decide(v.Subject, access.ReadObject, store.MeetingObject(&ms[i])).Allow {
			continue
		}
		o, err := srv.meetingOutOf(r, &ms[i])
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		out = append(out, o)
		shown = append(shown, ms[i])
	}
	stats := meeting.Statistics(shown, now)
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"meetings": out, "stats": stats})
		return
	}
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	var rates []unitRateRow
	for _, u := range stats.ByUnit {
		rates = append(rates, unitRateRow{UnitRates: u, Name: n.unit(u.UnitID)})
	}
	srv.render(w, r, http.StatusOK, "meeting_list", pageData{Title: "会议", Nav: "meetings",
		Data: meetingListData{Meetings: out, ByKind: stats.ByKind, Rates: rates}})
}

type meetingListData struct {
	Meetings []meetingOut
	ByKind   []meeting.KindMonth
	Rates    []unitRateRow
}

type unitRateRow struct {
	meeting.UnitRates
	Name string
}

// Percent shows a rate as a whole percentage.
func (u unitRateRow) Percent(rate float64) string { return fmt.Sprintf("%.0f%%", rate*100) }

type meetingFormData struct {
	Kinds     []meeting.KindInfo
	Rooms     []meeting.Room
	Leaders   []org.Person
	Units     []org.Unit
	Conflicts []conflictOut
	Free      []meeting.Slot
	Chosen    map[string]bool // leaders and units chosen in the form given back
}

type conflictOut struct {
	meeting.Conflict
	What string `json:"what"` // the room or the person, by name
}

func (srv *Server) meetingNew(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	srv.renderMeetingForm(w, r, http.StatusOK, "", nil)
}

func (srv *Server) renderMeetingForm(w http.ResponseWriter, r *http.Request, status int, msg string, bc *store.BookingConflict) {
	ctx := r.Context()
	rooms, err := srv.store.MeetingRooms(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	units, err := srv.units(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := meetingFormData{Kinds: meeting.Kinds(), Rooms: rooms}
	for _, u := range units {
		if u.Kind == org.KindDepartment || u.Kind == org.KindTown {
			d.Units = append(d.Units, u)
		}
	}
	people, err := srv.store.People(ctx, store.PeopleFilter{})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	leading := map[string]bool{}
	for _, u := range units {
		if u.Kind == org.KindLeadingBody {
			leading[u.ID] = true
		}
	}
	for _, p := range people {
		ps, err := srv.store.Positions(ctx, p.ID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		if slices.ContainsFunc(ps, func(x org.Position) bool { return leading[x.UnitID] }) {
			d.Leaders = append(d.Leaders, p)
		}
	}
	if bc != nil {
		n, err := srv.names(ctx)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for _, c := range bc.Conflicts {
			what := n.person(c.Who)
			if c.Kind == meeting.RoomBusy {
				for _, rm := range rooms {
					if rm.ID == c.Who {
						what = rm.Name
					}
				}
			}
			d.Conflicts = append(d.Conflicts, conflictOut{Conflict: c, What: what})
		}
		d.Free = bc.Free
	}
	form := r.PostForm
	if status == http.StatusOK {
		form = nil
	}
	d.Chosen = map[string]bool{}
	for _, k := range []string{"leader", "unit"} {
		for _, id := range form[k] {
			d.Chosen[id] = true
		}
	}
	srv.render(w, r, status, "meeting_new", pageData{Title: "预订会议", Nav: "meetings", Error: msg, Form: form, Data: d})
}

// newMeetingFrom reads a booking from a form or JSON: kind, title, room,
// date, start and end (HH:MM), leaders (person IDs, on the 主席台 in that
// order) and units (whose heads are invited).
func (srv *Server) newMeetingFrom(r *http.Request, f url.Values) (meeting.NewMeeting, error) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	loc := srv.store.Calendar().Location()
	if a, b, ok := strings.Cut(f.Get("slot"), "-"); ok {
		// A free slot offered: its start and end, as Unix seconds.
		s, err1 := strconv.ParseInt(a, 10, 64)
		e, err2 := strconv.ParseInt(b, 10, 64)
		if err1 != nil || err2 != nil {
			return meeting.NewMeeting{}, formError("所选空闲时段无效")
		}
		st, en := time.Unix(s, 0).In(loc), time.Unix(e, 0).In(loc)
		f = cloneValues(f)
		f.Set("date", st.Format("2006-01-02"))
		f.Set("start", st.Format("15:04"))
		f.Set("end", en.Format("15:04"))
	}
	day, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(f.Get("date")), loc)
	if err != nil {
		return meeting.NewMeeting{}, formError("请填写会议日期（如 2026-12-08）")
	}
	clock := func(k, label string) (time.Time, error) {
		t, err := time.ParseInLocation("15:04", strings.TrimSpace(strings.ReplaceAll(f.Get(k), "：", ":")), loc)
		if err != nil {
			return time.Time{}, formError("请填写" + label + "（如 09:00）")
		}
		return day.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute), nil
	}
	start, err := clock("start", "开始时间")
	if err != nil {
		return meeting.NewMeeting{}, err
	}
	end, err := clock("end", "结束时间")
	if err != nil {
		return meeting.NewMeeting{}, err
	}
	units, err := srv.units(ctx)
	if err != nil {
		return meeting.NewMeeting{}, err
	}
	um := map[string]org.Unit{}
	for _, u := range units {
		um[u.ID] = u
	}
	// The office the viewer works in: their primary post's unit or the
	// office above it (a section's), else their organ's office.
	officeFor := func(unit string) string {
		for u, i := unit, 0; u != "" && i < 32; u, i = um[u].ParentID, i+1 {
			if um[u].Kind == org.KindOffice {
				return u
			}
		}
		return org.OfficeOf(um, org.OrganOf(um, unit))
	}
	office := ""
	for _, p := range v.Positions {
		if p.Primary || office == "" {
			office = officeFor(p.UnitID)
		}
	}
	n := meeting.NewMeeting{Title: f.Get("title"), Kind: meeting.Kind(f.Get("kind")), OfficeID: office, RoomID: f.Get("room"), Start: start, End: end}
	for i, id := range f["leader"] {
		if id == "" {
			continue
		}
		n.Invitees = append(n.Invitees, meeting.Invitee{PersonID: id, Leader: true, Rostrum: true})
		if i == 0 {
			n.Convener = id
		}
	}
	for _, uid := range f["unit"] {
		if uid == "" {
			continue
		}
		ps, err := srv.store.UnitPositions(ctx, uid)
		if err != nil {
			return n, err
		}
		head := ""
		for _, p := range ps {
			if p.Head && head == "" {
				head = p.PersonID
			}
		}
		if head == "" {
			return n, formError(um[uid].Name + "没有负责人，不能邀请")
		}
		if !slices.ContainsFunc(n.Invitees, func(iv meeting.Invitee) bool { return iv.PersonID == head }) {
			n.Invitees = append(n.Invitees, meeting.Invitee{PersonID: head, UnitID: uid})
		}
	}
	return n, nil
}

func (srv *Server) meetingBook(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	f, err := formOf(r)
	var m meeting.Meeting
	if err == nil {
		var n meeting.NewMeeting
		if n, err = srv.newMeetingFrom(r, f); err == nil {
			units, uerr := srv.units(r.Context())
			if uerr != nil {
				srv.serverError(w, r, uerr)
				return
			}
			o := access.MeetingOffice{UnitID: n.OfficeID, Level: int(n.Level)}
			for _, u := range units {
				if u.ParentID == n.OfficeID && n.OfficeID != "" {
					o.Sections = append(o.Sections, u.ID)
				}
			}
			if d := access.DecideBookMeeting(viewerFrom(r.Context()).Subject, o); !d.Allow {
				srv.refuse(w, r, string(access.BookMeeting), d.Reason)
				return
			}
			m, err = srv.store.BookMeeting(r.Context(), viewerFrom(r.Context()).Person, n)
		}
	}
	var bc *store.BookingConflict
	switch {
	case errors.As(err, &bc):
		if isAPI(r) {
			writeJSON(w, http.StatusConflict, map[string]any{"error": "所选时间有冲突", "conflicts": bc.Conflicts, "free": bc.Free})
			return
		}
		if r.PostForm == nil {
			r.PostForm = f
		}
		srv.renderMeetingForm(w, r, http.StatusConflict, "所选时间有冲突，请改选时间或会议室", bc)
		return
	case err != nil && !userError(err) && !meeting.IsRefusal(err):
		srv.serverError(w, r, err)
		return
	case err != nil:
		if isAPI(r) {
			writeJSONError(w, http.StatusUnprocessableEntity, userMessage(err))
			return
		}
		if r.PostForm == nil {
			r.PostForm = f
		}
		srv.renderMeetingForm(w, r, http.StatusUnprocessableEntity, userMessage(err), nil)
		return
	}
	if isAPI(r) {
		out, err := srv.meetingOutOf(r, &m)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, out)
		return
	}
	http.Redirect(w, r, "/meetings/"+m.ID+"?notice=booked", http.StatusSeeOther)
}

// loadMeeting reads the meeting named in the path and asks access.Decide
// whether the viewer may read it.
func (srv *Server) loadMeeting(w http.ResponseWriter, r *http.Request) (meeting.Meeting, bool) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return meeting.Meeting{}, false
	}
	m, err := srv.store.Meeting(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "会议不存在")
		} else {
			srv.notFound(w, r)
		}
		return m, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return m, false
	}
	if !srv.authorizeObject(w, r, access.ReadObject, store.MeetingObject(&m), "meeting") {
		return m, false
	}
	return m, true
}

type meetingPageData struct {
	M         meetingOut
	Organizer bool
	Tasks     []route.Task // the agenda's open tasks the viewer holds
	OnBehalf  map[int]string
	SignInURL string
	Units     []org.Unit
	Late      []meeting.AgendaItem
	Now       time.Time
	Materials map[int][]materialOut // each 议题's versions, by its Seq
}

// PresenterName names a 议题's presenter, an invitee of the meeting.
func (d meetingPageData) PresenterName(id string) string {
	if id == "" {
		return ""
	}
	for _, iv := range d.M.Invitees {
		if iv.PersonID == id {
			return iv.Name
		}
	}
	return ""
}

// UnitName names a unit for the page.
func (d meetingPageData) UnitName(id string) string {
	for _, u := range d.Units {
		if u.ID == id {
			return u.Name
		}
	}
	return ""
}

func (srv *Server) meetingPage(w http.ResponseWriter, r *http.Request) {
	m, ok := srv.loadMeeting(w, r)
	if !ok {
		return
	}
	notice := map[string]string{"booked": "会议已预订，已写入参会领导的日程。", "done": "已办理。"}[r.URL.Query().Get("notice")]
	srv.renderMeeting(w, r, &m, http.StatusOK, notice, "")
}

func (srv *Server) renderMeeting(w http.ResponseWriter, r *http.Request, m *meeting.Meeting, status int, notice, msg string) {
	ctx := r.Context()
	out, err := srv.meetingOutOf(r, m)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		if msg != "" {
			writeJSONError(w, status, msg)
			return
		}
		writeJSON(w, status, out)
		return
	}
	now := srv.store.Now()
	a, err := srv.store.Actor(ctx, viewerFrom(ctx).Person.ID, now)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := meetingPageData{M: out, Organizer: m.Organizes(a), OnBehalf: map[int]string{}, Now: now}
	if m.Route != nil {
		for _, t := range m.Route.OpenTasks() {
			if a.Matches(t.Assignee) {
				d.Tasks = append(d.Tasks, t)
				continue
			}
			for _, dp := range a.Delegations {
				if dp.Matches(t.Assignee) {
					d.Tasks = append(d.Tasks, t)
					d.OnBehalf[t.ID] = dp.ID
					break
				}
			}
		}
	}
	if d.Organizer && m.Status == meeting.Noticed {
		d.SignInURL = srv.signInURL(r, m, now)
	}
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d.Materials = map[int][]materialOut{}
	for i := range m.Agenda {
		it := &m.Agenda[i]
		if it.Late(now) {
			d.Late = append(d.Late, *it)
		}
		for _, mat := range it.Materials {
			d.Materials[it.Seq] = append(d.Materials[it.Seq], materialOut{Material: mat, ByName: n.person(mat.By), Late: it.LateVersion(mat),
				URL: fmt.Sprintf("/meetings/%s/agenda/%d/materials/%d", m.ID, it.Seq, mat.Version)})
		}
	}
	units, err := srv.units(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, u := range units {
		if u.Kind == org.KindDepartment || u.Kind == org.KindTown {
			d.Units = append(d.Units, u)
		}
	}
	srv.render(w, r, status, "meeting_page", pageData{Title: m.Title, Nav: "meetings", Notice: notice, Error: msg, Data: d, Form: r.PostForm})
}

// signInURL is the meeting's sign-in URL, good for meeting.TokenLife.
func (srv *Server) signInURL(r *http.Request, m *meeting.Meeting, now time.Time) string {
	scheme := "http"
	if r.TLS != nil || srv.opt.SecureCookies {
		scheme = "https"
	}
	base := scheme + "://" + r.Host
	return base + "/meetings/" + m.ID + "/checkin?t=" + meeting.SignInToken(m.Secret, m.ID, now.Add(meeting.TokenLife))
}

func (srv *Server) meetingQR(w http.ResponseWriter, r *http.Request) {
	m, ok := srv.loadMeeting(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	a, err := srv.store.Actor(ctx, viewerFrom(ctx).Person.ID, srv.store.Now())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if !m.Organizes(a) || m.Status != meeting.Noticed {
		srv.notFound(w, r)
		return
	}
	png, err := qrcode.Encode(srv.signInURL(r, &m, srv.store.Now()), qrcode.Medium, 320)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(png)
}

// meetingCheckinPage is what a phone opens from the QR code: the signed-in
// person's own sign-in, with the token checked first.
func (srv *Server) meetingCheckinPage(w http.ResponseWriter, r *http.Request) {
	m, ok := srv.loadMeeting(w, r)
	if !ok {
		return
	}
	tok := r.URL.Query().Get("t")
	err := meeting.CheckSignInToken(m.Secret, m.ID, tok, srv.store.Now())
	srv.render(w, r, http.StatusOK, "meeting_checkin", pageData{Title: "会议签到", Nav: "meetings", Error: errText(err),
		Data: map[string]any{"M": m, "Token": tok, "OK": err == nil}})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func (srv *Server) meetingSeating(w http.ResponseWriter, r *http.Request) {
	m, ok := srv.loadMeeting(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	units, err := srv.units(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	order := map[string]int{}
	for i, u := range units {
		order[u.ID] = i
	}
	room, err := srv.store.MeetingRoom(ctx, m.RoomID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	plan := meeting.Seating(&m, func(u string) int { return order[u] }, room.RowSeats, func(iv meeting.Invitee) (string, string) {
		if iv.Reply != nil && iv.Reply.Answer == meeting.Substitute {
			return iv.Reply.SubName, iv.Reply.SubPost
		}
		return n.person(iv.PersonID), n.unit(iv.UnitID)
	})
	srv.render(w, r, http.StatusOK, "meeting_seating", pageData{Title: m.Title + "座次图", Nav: "meetings", Data: map[string]any{"M": m, "Plan": plan, "Room": room}})
}

func (srv *Server) meetingRooms(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	rooms, err := srv.store.MeetingRooms(r.Context())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rooms": rooms})
}

// meetingOpFrom turns an operation's name and fields into the store's op.
func (srv *Server) meetingOpFrom(r *http.Request, op string, f url.Values, m *meeting.Meeting) (store.MeetingOp, error) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	loc := srv.store.Calendar().Location()
	date := func(k, label string) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(f.Get(k)), loc)
		if err != nil {
			return t, formError("请填写" + label + "（如 2026-12-31）")
		}
		return t.Add(17*time.Hour + 30*time.Minute), nil
	}
	switch op {
	case "notice":
		return store.OpNotice(), nil
	case "answer":
		person := f.Get("person")
		if person == "" {
			person = v.Person.ID
		}
		return store.OpAnswer(person, meeting.Reply{Answer: meeting.Answer(f.Get("answer")), SubName: f.Get("sub_name"), SubPost: f.Get("sub_post"), Reason: f.Get("reason")}), nil
	case "urge":
		return store.OpUrge(f["person"]), nil
	case "sign_in":
		return store.OpSignIn(f.Get("person"), "click"), nil
	case "checkin":
		if err := meeting.CheckSignInToken(m.Secret, m.ID, f.Get("t"), srv.store.Now()); err != nil {
			return nil, err
		}
		return store.OpSignIn(v.Person.ID, "qr"), nil
	case "agenda":
		var due time.Time
		if strings.TrimSpace(f.Get("due")) != "" {
			d, err := date("due", "材料报送时间")
			if err != nil {
				return nil, err
			}
			due = d
		}
		return store.OpAddAgenda(meeting.NewAgendaItem{Title: f.Get("title"), UnitID: f.Get("unit"), Presenter: f.Get("presenter"), Due: due}), nil
	case "submit":
		return store.OpSubmitAgenda(), nil
	case "urge_material":
		return store.OpUrgeMaterial(), nil
	case "agenda_act":
		task, _ := strconv.Atoi(f.Get("task"))
		o := route.Op(f.Get("route_op"))
		if o != route.Approve && o != route.Return {
			return nil, formError("未知的审定操作")
		}
		return store.OpActAgenda(route.Request{Op: o, Task: task, Comment: f.Get("comment"), OnBehalfOf: f.Get("on_behalf_of")}), nil
	case "decision":
		due, err := date("due", "完成时限")
		if err != nil {
			return nil, err
		}
		return store.OpAddDecision(f.Get("text"), f.Get("lead_unit"), due), nil
	case "minutes":
		unit := ""
		for _, p := range v.Positions {
			if p.Primary {
				unit = p.UnitID
			}
		}
		return store.OpDraftMinutes(ctx, v.Person, unit), nil
	case "handover":
		office := supOffice(v)
		if office == "" {
			return nil, formError("只有督查室人员可以将议定事项转为督办事项")
		}
		return store.OpHandOver(ctx, v.Person, office), nil
	case "cancel":
		return store.OpCancel(), nil
	}
	return nil, formError(fmt.Sprintf("未知的操作“%s”", op))
}

func (srv *Server) meetingAction(w http.ResponseWriter, r *http.Request) {
	m, ok := srv.loadMeeting(w, r)
	if !ok {
		return
	}
	op := r.PathValue("op")
	f, err := formOf(r)
	var next meeting.Meeting
	if err == nil {
		var fn store.MeetingOp
		if fn, err = srv.meetingOpFrom(r, op, f, &m); err == nil {
			detail := map[string]any{}
			for k := range f {
				if k != "csrf" && k != "t" {
					detail[k] = truncate(f.Get(k), 200)
				}
			}
			next, err = srv.store.MeetingAct(r.Context(), viewerFrom(r.Context()).Person, m.ID, op, detail, fn)
		}
	}
	if err != nil {
		if !userError(err) && !meeting.IsRefusal(err) {
			srv.serverError(w, r, err)
			return
		}
		if op == "checkin" && !isAPI(r) {
			srv.render(w, r, http.StatusUnprocessableEntity, "meeting_checkin", pageData{Title: "会议签到", Nav: "meetings", Error: userMessage(err),
				Data: map[string]any{"M": m, "Token": f.Get("t"), "OK": false}})
			return
		}
		srv.renderMeeting(w, r, &m, http.StatusUnprocessableEntity, "", userMessage(err))
		return
	}
	if isAPI(r) {
		srv.renderMeeting(w, r, &next, http.StatusOK, "", "")
		return
	}
	if op == "checkin" {
		srv.render(w, r, http.StatusOK, "meeting_checkin", pageData{Title: "会议签到", Nav: "meetings", Notice: "签到成功",
			Data: map[string]any{"M": next, "Done": true}})
		return
	}
	http.Redirect(w, r, "/meetings/"+m.ID+"?notice=done", http.StatusSeeOther)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
