package web

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/study"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// studyRoutes registers the 学习培训 pages and their JSON API.
func (srv *Server) studyRoutes() {
	m := srv.mux
	m.HandleFunc("GET /study", srv.requireLogin(srv.studyHome))
	m.HandleFunc("POST /study/plans", srv.requireLogin(srv.studyPlanCreate))
	m.HandleFunc("POST /study/plans/{id}/{op}", srv.requireLogin(srv.studyPlanAction))
	m.HandleFunc("POST /study/trainings", srv.requireLogin(srv.trainingCreate))
	m.HandleFunc("GET /study/trainings/{id}", srv.requireLogin(srv.trainingPage))
	m.HandleFunc("GET /study/trainings/{id}/qr", srv.requireLogin(srv.trainingQR))
	m.HandleFunc("GET /study/trainings/{id}/checkin", srv.requireLogin(srv.trainingCheckin))
	m.HandleFunc("POST /study/trainings/{id}/{op}", srv.requireLogin(srv.trainingAction))
	m.HandleFunc("GET /study/library", srv.requireLogin(srv.studyLibrary))
	m.HandleFunc("POST /study/library", srv.requireLogin(srv.studyLibraryAdd))
	m.HandleFunc("GET /study/library/{id}", srv.requireLogin(srv.studyEntry))

	m.HandleFunc("GET /api/v1/study", srv.requireLogin(srv.studyHome))
	m.HandleFunc("POST /api/v1/study/plans", srv.requireLogin(srv.studyPlanCreate))
	m.HandleFunc("POST /api/v1/study/plans/{id}/{op}", srv.requireLogin(srv.studyPlanAction))
	m.HandleFunc("POST /api/v1/study/trainings", srv.requireLogin(srv.trainingCreate))
	m.HandleFunc("GET /api/v1/study/trainings/{id}", srv.requireLogin(srv.trainingPage))
	m.HandleFunc("POST /api/v1/study/trainings/{id}/{op}", srv.requireLogin(srv.trainingAction))
	m.HandleFunc("GET /api/v1/study/library", srv.requireLogin(srv.studyLibrary))
	m.HandleFunc("POST /api/v1/study/library", srv.requireLogin(srv.studyLibraryAdd))
	m.HandleFunc("GET /api/v1/study/library/{id}", srv.requireLogin(srv.studyEntry))
}

func planObject(p study.Plan) access.Object {
	return access.Object{Kind: "study_plan", ID: p.ID, UnitID: p.OfficeID, Participants: p.People()}
}

func trainingObject(t study.Training) access.Object {
	return access.Object{Kind: "training", ID: t.ID, UnitID: t.OfficeID, Participants: append(slices.Clone(t.Invitees), t.Organizer)}
}

func libraryObject(office string) access.Object {
	return access.Object{Kind: "study_library", UnitID: office}
}

// studyFail answers a refused operation: JSON, or the page again.
func (srv *Server) studyFail(w http.ResponseWriter, r *http.Request, err error, again func(status int, form url.Values, msg string)) {
	srv.researchFail(w, r, err, again)
}

type studyHomeData struct {
	Year      int
	Plans     []study.Plan
	Trainings []study.Training
	Hours     []study.PersonHours
	Mine      []study.Plan
	MyTrain   []study.Training
	Names     researchNames
	Manage    bool
	People    []option
	Me        string
	Now       time.Time
}

func (srv *Server) studyHome(w http.ResponseWriter, r *http.Request) {
	srv.renderStudyHome(w, r, http.StatusOK, nil, "")
}

func (srv *Server) renderStudyHome(w http.ResponseWriter, r *http.Request, status int, form url.Values, msg string) {
	if !srv.authorize(w, r, access.ReadStudy, libraryObject("")) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	office, err := srv.viewerOffice(ctx, v)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	now := srv.store.Now()
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	if year < 2000 || year > 2100 {
		year = now.In(calendar.Shanghai()).Year()
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Shanghai())
	d := studyHomeData{Year: year, Me: v.Person.ID, Now: now,
		Manage: office != "" && access.Decide(v.Subject, access.ManageStudy, access.Object{UnitID: office}).Allow}
	if d.Mine, err = srv.store.PlansNaming(ctx, v.Person.ID); err == nil {
		d.MyTrain, err = srv.store.TrainingsOf(ctx, v.Person.ID, from, from.AddDate(1, 0, 0))
	}
	if err == nil && d.Manage {
		if d.Plans, err = srv.store.StudyPlans(ctx, office, year, ""); err == nil {
			if d.Trainings, err = srv.store.Trainings(ctx, office, from, from.AddDate(1, 0, 0)); err == nil {
				d.Hours = study.Hours(d.Trainings, year)
			}
		}
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"year": year, "my_plans": nonNil(d.Mine), "my_trainings": nonNil(d.MyTrain),
			"plans": nonNil(d.Plans), "trainings": nonNil(d.Trainings), "hours": nonNil(d.Hours)})
		return
	}
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d.Names = researchNames{n}
	if d.Manage {
		ps, err := srv.store.People(ctx, store.PeopleFilter{Limit: 1000})
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for _, p := range ps {
			d.People = append(d.People, option{p.ID, p.Name})
		}
	}
	notice := ""
	if r.URL.Query().Get("notice") == "done" && msg == "" {
		notice = "已办理" // the plan or its item was saved, or the study marked done
	}
	srv.render(w, r, status, "study_home", pageData{Title: "学习培训", Nav: "study", Data: d, Form: form, Error: msg, Notice: notice})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// managedOffice is the viewer's office when they may manage study there.
func (srv *Server) managedOffice(w http.ResponseWriter, r *http.Request) (string, bool) {
	ctx := r.Context()
	office, err := srv.viewerOffice(ctx, viewerFrom(ctx))
	if err != nil {
		srv.serverError(w, r, err)
		return "", false
	}
	return office, srv.authorize(w, r, access.ManageStudy, access.Object{UnitID: office})
}

func (srv *Server) studyPlanCreate(w http.ResponseWriter, r *http.Request) {
	office, ok := srv.managedOffice(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	again := func(status int, form url.Values, msg string) { srv.renderStudyHome(w, r, status, form, msg) }
	f, err := formOf(r)
	if err != nil {
		srv.studyFail(w, r, formError(err.Error()), again)
		return
	}
	year, _ := strconv.Atoi(strings.TrimSpace(f.Get("year")))
	now := srv.store.Now()
	p, err := study.NewPlan(uid.New(), office, f.Get("title"), year, v.Person.ID, now)
	if err == nil && strings.TrimSpace(f.Get("topic")) != "" {
		var due time.Time
		if due, err = dayEnd("完成时限", f.Get("due")); err == nil {
			p, err = study.AddItem(p, study.Item{Topic: f.Get("topic"), Material: f.Get("material"), People: f["person"], Due: due}, now)
		}
	}
	if err == nil {
		err = srv.store.CreateStudyPlan(ctx, v.Person, p)
	}
	if err != nil {
		srv.studyFail(w, r, err, again)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusCreated, p)
		return
	}
	http.Redirect(w, r, "/study?notice=done", http.StatusSeeOther)
}

func (srv *Server) studyPlanAction(w http.ResponseWriter, r *http.Request) {
	// Who may not open any 调研 or 学习 page learns nothing of what exists.
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	p, err := srv.store.StudyPlan(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	op := r.PathValue("op")
	need := access.ManageStudy
	if op == "complete" {
		need = access.ReadStudy
	}
	if !srv.authorize(w, r, need, planObject(p)) {
		return
	}
	again := func(status int, form url.Values, msg string) { srv.renderStudyHome(w, r, status, form, msg) }
	f, err := formOf(r)
	if err != nil {
		srv.studyFail(w, r, formError(err.Error()), again)
		return
	}
	var fn func(study.Plan, time.Time) (study.Plan, error)
	switch op {
	case "item":
		due, err := dayEnd("完成时限", f.Get("due"))
		if err != nil {
			srv.studyFail(w, r, err, again)
			return
		}
		fn = func(p study.Plan, now time.Time) (study.Plan, error) {
			return study.AddItem(p, study.Item{Topic: f.Get("topic"), Material: f.Get("material"), People: f["person"], Due: due}, now)
		}
	case "complete":
		i, _ := strconv.Atoi(f.Get("item"))
		fn = func(p study.Plan, now time.Time) (study.Plan, error) {
			return study.Complete(p, i, v.Person.ID, f.Get("note"), now)
		}
	default:
		srv.notFound(w, r)
		return
	}
	p, err = srv.store.StudyPlanAct(ctx, v.Person, p.ID, op, map[string]string{"item": f.Get("item"), "topic": f.Get("topic")}, fn)
	if err != nil {
		srv.studyFail(w, r, err, again)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, p)
		return
	}
	http.Redirect(w, r, "/study?notice=done", http.StatusSeeOther)
}

func (srv *Server) trainingCreate(w http.ResponseWriter, r *http.Request) {
	office, ok := srv.managedOffice(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	again := func(status int, form url.Values, msg string) { srv.renderStudyHome(w, r, status, form, msg) }
	f, err := formOf(r)
	if err != nil {
		srv.studyFail(w, r, formError(err.Error()), again)
		return
	}
	start, err := parseClock("开始时间", f.Get("start"))
	if err != nil {
		srv.studyFail(w, r, err, again)
		return
	}
	end, err := parseClock("结束时间", f.Get("end"))
	if err != nil {
		srv.studyFail(w, r, err, again)
		return
	}
	minutes := 0
	if strings.TrimSpace(f.Get("hours")) != "" {
		if minutes, err = study.ParseHours(f.Get("hours")); err != nil {
			srv.studyFail(w, r, err, again)
			return
		}
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	t, err := srv.store.CreateTraining(ctx, v.Person, study.Training{ID: uid.New(), OfficeID: office, Title: f.Get("title"), Speaker: f.Get("speaker"),
		Place: f.Get("place"), Start: start, End: end, Minutes: minutes, Invitees: f["person"], Organizer: v.Person.ID, Secret: secret})
	if err != nil {
		srv.studyFail(w, r, err, again)
		return
	}
	if isAPI(r) {
		t.Secret = nil
		writeJSON(w, http.StatusCreated, t)
		return
	}
	http.Redirect(w, r, "/study/trainings/"+t.ID, http.StatusSeeOther)
}

func (srv *Server) loadTraining(w http.ResponseWriter, r *http.Request) (study.Training, bool) {
	// Who may not open any 调研 or 学习 page learns nothing of what exists.
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return study.Training{}, false
	}
	t, err := srv.store.Training(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return t, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return t, false
	}
	return t, srv.authorize(w, r, access.ReadStudy, trainingObject(t))
}

type trainingData struct {
	T         study.Training
	Names     researchNames
	Organizes bool
	Invited   bool
	Hours     string
	Now       time.Time
}

func (srv *Server) trainingPage(w http.ResponseWriter, r *http.Request) {
	t, ok := srv.loadTraining(w, r)
	if !ok {
		return
	}
	srv.renderTraining(w, r, t, http.StatusOK, "")
}

func (srv *Server) renderTraining(w http.ResponseWriter, r *http.Request, t study.Training, status int, msg string) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	if isAPI(r) && status == http.StatusOK {
		t.Secret = nil
		writeJSON(w, http.StatusOK, t)
		return
	}
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := trainingData{T: t, Names: researchNames{n}, Organizes: t.Organizer == v.Person.ID || access.Decide(v.Subject, access.ManageStudy, access.Object{UnitID: t.OfficeID}).Allow,
		Invited: slices.Contains(t.Invitees, v.Person.ID), Hours: study.FormatHours(t.Minutes), Now: srv.store.Now()}
	notice := ""
	if r.URL.Query().Get("notice") == "done" {
		notice = "已办理"
	}
	srv.render(w, r, status, "study_training", pageData{Title: t.Title, Nav: "study", Data: d, Error: msg, Notice: notice})
}

// trainingSignInURL is the session's sign-in URL, good for meeting.TokenLife.
func (srv *Server) trainingSignInURL(r *http.Request, t study.Training) string {
	scheme := "http"
	if r.TLS != nil || srv.opt.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/study/trainings/" + t.ID + "/checkin?t=" + study.SignInToken(t, srv.store.Now().Add(meeting.TokenLife))
}

func (srv *Server) trainingQR(w http.ResponseWriter, r *http.Request) {
	t, ok := srv.loadTraining(w, r)
	if !ok {
		return
	}
	if t.Organizer != viewerFrom(r.Context()).Person.ID || t.Cancelled {
		srv.notFound(w, r)
		return
	}
	png, err := qrcode.Encode(srv.trainingSignInURL(r, t), qrcode.Medium, 320)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(png)
}

// trainingCheckin is what a phone opens from the QR code: the person's own
// sign-in, the token checked first.
func (srv *Server) trainingCheckin(w http.ResponseWriter, r *http.Request) {
	t, ok := srv.loadTraining(w, r)
	if !ok {
		return
	}
	tok := r.URL.Query().Get("t")
	err := study.CheckSignInToken(t, tok, srv.store.Now())
	srv.render(w, r, http.StatusOK, "study_checkin", pageData{Title: "培训签到", Nav: "study", Error: errText(err),
		Data: map[string]any{"T": t, "Token": tok, "OK": err == nil}})
}

func (srv *Server) trainingAction(w http.ResponseWriter, r *http.Request) {
	t, ok := srv.loadTraining(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	again := func(status int, _ url.Values, msg string) { srv.renderTraining(w, r, t, status, msg) }
	f, err := formOf(r)
	if err != nil {
		srv.studyFail(w, r, formError(err.Error()), again)
		return
	}
	me := v.Person.ID
	var fn func(study.Training, time.Time) (study.Training, error)
	detail := map[string]string{}
	switch op := r.PathValue("op"); op {
	case "checkin":
		fn = func(t study.Training, now time.Time) (study.Training, error) {
			if err := study.CheckSignInToken(t, f.Get("t"), now); err != nil {
				return t, err
			}
			return study.SignIn(t, me, me, "qr", now)
		}
		detail["via"] = "qr"
	case "sign_in":
		fn = func(t study.Training, now time.Time) (study.Training, error) {
			return study.SignIn(t, me, f.Get("person"), "click", now)
		}
		detail["person"], detail["via"] = f.Get("person"), "click"
	case "cancel":
		if !srv.authorize(w, r, access.ManageStudy, access.Object{UnitID: t.OfficeID}) {
			return
		}
		fn = study.Cancel
	default:
		srv.notFound(w, r)
		return
	}
	t2, err := srv.store.TrainingAct(ctx, v.Person, t.ID, r.PathValue("op"), detail, fn)
	if err != nil {
		srv.studyFail(w, r, err, again)
		return
	}
	if isAPI(r) {
		t2.Secret = nil
		writeJSON(w, http.StatusOK, t2)
		return
	}
	http.Redirect(w, r, "/study/trainings/"+t.ID+"?notice=done", http.StatusSeeOther)
}

type studyLibraryData struct {
	Entries       []study.Entry
	Names         researchNames
	Units         []option
	Kinds         []study.Kind
	Q, Kind, Unit string
	Manage        bool
}

func (srv *Server) studyLibrary(w http.ResponseWriter, r *http.Request) {
	srv.renderStudyLibrary(w, r, http.StatusOK, nil, "")
}

func (srv *Server) renderStudyLibrary(w http.ResponseWriter, r *http.Request, status int, form url.Values, msg string) {
	if !srv.authorize(w, r, access.ReadStudy, libraryObject("")) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	q := r.URL.Query()
	// The library is shared across the deployment: every office's entries.
	es, err := srv.store.StudyLibrary(ctx, store.LibraryFilter{Q: q.Get("q"), Kind: q.Get("kind"), UnitID: q.Get("unit"), Limit: 200})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) && status == http.StatusOK {
		for i := range es {
			es[i].Body = "" // the list is an index; an entry is read whole at its own address
		}
		writeJSON(w, http.StatusOK, map[string]any{"entries": nonNil(es)})
		return
	}
	office, err := srv.viewerOffice(ctx, v)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	units, _, err := srv.pickable(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := studyLibraryData{Entries: es, Names: researchNames{n}, Units: units, Kinds: study.Kinds(), Q: q.Get("q"), Kind: q.Get("kind"), Unit: q.Get("unit"),
		Manage: office != "" && access.Decide(v.Subject, access.ManageStudy, access.Object{UnitID: office}).Allow}
	srv.render(w, r, status, "study_library", pageData{Title: "范文与经验交流", Nav: "study", Data: d, Form: form, Error: msg})
}

// studyLibraryAdd adds an entry as typed, or (doc set) an issued document
// of the organ in one action.
func (srv *Server) studyLibraryAdd(w http.ResponseWriter, r *http.Request) {
	office, ok := srv.managedOffice(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	again := func(status int, form url.Values, msg string) { srv.renderStudyLibrary(w, r, status, form, msg) }
	f, err := formOf(r)
	if err != nil {
		srv.studyFail(w, r, formError(err.Error()), again)
		return
	}
	var e study.Entry
	if doc := strings.TrimSpace(f.Get("doc")); doc != "" {
		// Only a document the person may read joins the library from their
		// hands: the documents' own access check, on the document named.
		r.SetPathValue("id", doc)
		if _, ok := srv.openDoc(w, r, "read"); !ok {
			return
		}
		e, err = srv.store.AddIssuedToLibrary(ctx, v.Person, uid.New(), office, doc, f.Get("summary"))
	} else {
		e, err = srv.store.AddLibraryEntry(ctx, v.Person, study.Entry{ID: uid.New(), OfficeID: office, Kind: study.Kind(f.Get("kind")), Title: f.Get("title"),
			UnitID: f.Get("unit"), DocType: f.Get("doc_type"), Summary: f.Get("summary"), Body: f.Get("body"),
			Tags: strings.FieldsFunc(f.Get("tags"), func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ' ' })})
	}
	if err != nil {
		srv.studyFail(w, r, err, again)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusCreated, e)
		return
	}
	http.Redirect(w, r, "/study/library/"+e.ID, http.StatusSeeOther)
}

func (srv *Server) studyEntry(w http.ResponseWriter, r *http.Request) {
	// Who may not open any 调研 or 学习 page learns nothing of what exists.
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	e, err := srv.store.LibraryEntry(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if !srv.authorize(w, r, access.ReadStudy, libraryObject(e.OfficeID)) {
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, e)
		return
	}
	n, err := srv.names(r.Context())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "study_entry", pageData{Title: e.Title, Nav: "study", Data: map[string]any{"E": e, "Names": researchNames{n}}})
}
