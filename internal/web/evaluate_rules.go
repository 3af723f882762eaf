package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// 考核评比's settings: the versions of the scoring rules (weights and which
// indicators count per class of unit, limits, commendation thresholds) and
// the units' renames and merges the scoreboard follows. Everyone who sees
// the scoreboard may read them — the method is the point — and the system
// administrator (access.ManageEvaluation) keeps them.

// evalSettingsRoutes registers the settings pages and their JSON API.
func (srv *Server) evalSettingsRoutes() {
	m := srv.mux
	m.HandleFunc("GET /evaluate/rules", srv.requireLogin(srv.evalRulesPage))
	m.HandleFunc("POST /evaluate/rules", srv.requireLogin(srv.evalRulesAdd))
	m.HandleFunc("POST /evaluate/rules/{version}/withdraw", srv.requireLogin(srv.evalRulesWithdraw))
	m.HandleFunc("POST /api/v1/evaluate/rules", srv.requireLogin(srv.evalRulesAdd))
	m.HandleFunc("DELETE /api/v1/evaluate/rules/{version}", srv.requireLogin(srv.evalRulesWithdraw))
	m.HandleFunc("GET /evaluate/units", srv.requireLogin(srv.evalUnitsPage))
	m.HandleFunc("POST /evaluate/units", srv.requireLogin(srv.evalUnitsAdd))
	m.HandleFunc("POST /evaluate/units/withdraw", srv.requireLogin(srv.evalUnitsWithdraw))
	m.HandleFunc("GET /api/v1/evaluate/unit-changes", srv.requireLogin(srv.evalUnitsPage))
	m.HandleFunc("POST /api/v1/evaluate/unit-changes", srv.requireLogin(srv.evalUnitsAdd))
	m.HandleFunc("DELETE /api/v1/evaluate/unit-changes/{unit}/{kind}/{on}", srv.requireLogin(srv.evalUnitsWithdraw))
}

// mayReadEvalSettings: whoever sees the scoreboard, and whoever keeps the
// settings (the system administrator does not see the scoreboard itself).
func (srv *Server) mayReadEvalSettings(w http.ResponseWriter, r *http.Request) bool {
	v := viewerFrom(r.Context())
	if v.Can(access.ViewEvaluation) || v.Can(access.ManageEvaluation) {
		return true
	}
	srv.refuse(w, r, string(access.ViewEvaluation), "考核规则供业务用户查看、由系统管理员设置")
	return false
}

// evalToday is midnight today in the calendar's zone.
func (srv *Server) evalToday() time.Time {
	loc := srv.store.Calendar().Location()
	y, m, d := srv.store.Now().In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// parseEvalDate reads "2006-01-02" as midnight in loc.
func parseEvalDate(s, what string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("请填写%s", what)
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil || t.Year() < 1949 || t.Year() > 2100 {
		return time.Time{}, fmt.Errorf("%s“%s”无效：请写成 2027-01-01", what, s)
	}
	return t, nil
}

// ruleField names a weight's (or its switch's) form field.
func ruleField(prefix string, c evaluate.Class, i evaluate.Indicator) string {
	return prefix + "_" + string(c) + "_" + string(i)
}

// formNumber reads a number field; blank is def. NaN and infinities are
// refused: the range checks would let NaN through.
func formNumber(f url.Values, name, label string, def float64) (float64, error) {
	s := strings.TrimSpace(f.Get(name))
	if s == "" {
		return def, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%s“%s”不是有效的数字", label, s)
	}
	return x, nil
}

// ruleSetFromForm reads the new-version form. Every mistake is reported at
// once, in Chinese; Validate (through Rules.NextFrom) checks the ranges.
func ruleSetFromForm(f url.Values, loc *time.Location) (evaluate.RuleSet, error) {
	var r evaluate.RuleSet
	var errs []error
	var err error
	if r.Effective, err = parseEvalDate(f.Get("effective"), "生效日期", loc); err != nil {
		errs = append(errs, err)
	}
	r.Note = strings.TrimSpace(f.Get("note"))
	r.Weights = map[evaluate.Class]map[evaluate.Indicator]float64{}
	for _, c := range evaluate.Classes() {
		r.Weights[c] = map[evaluate.Indicator]float64{}
		for _, i := range evaluate.Indicators() {
			w, err := formNumber(f, ruleField("w", c, i), c.Label()+"的“"+i.Label()+"”权重", 0)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if f.Get(ruleField("on", c, i)) == "" {
				continue // not counted: the weight typed is not kept
			}
			if w <= 0 {
				errs = append(errs, fmt.Errorf("%s的“%s”已勾选计分，请填写大于 0 的权重", c.Label(), i.Label()))
				continue
			}
			r.Weights[c][i] = w
		}
	}
	ints := []struct {
		name, label string
		dst         *int
	}{{"close_days", "办结时限（工作日）", &r.CloseDays}, {"reply_days", "回执时限（工作日）", &r.ReplyDays}}
	for _, x := range ints {
		s := strings.TrimSpace(f.Get(x.name))
		n, err := strconv.Atoi(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s“%s”须为整数", x.label, s))
			continue
		}
		*x.dst = n
	}
	floats := []struct {
		name, label string
		dst         *float64
		scale       float64
	}{{"error_ceiling", "差错率满扣线", &r.ErrorCeiling, 1}, {"commend_share", "先进单位比例（%）", &r.CommendShare, 100},
		{"commend_min", "先进单位综合得分线", &r.CommendMin, 1}, {"commend_floor", "先进单位单项得分线", &r.CommendFloor, 1}}
	for _, x := range floats {
		v, err := formNumber(f, x.name, x.label, math.NaN())
		if err == nil && math.IsNaN(v) {
			err = fmt.Errorf("请填写%s", x.label)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		*x.dst = v / x.scale
	}
	return r, errors.Join(errs...)
}

// ruleSetForm is a version as the form shows it (ruleSetFromForm's inverse).
func ruleSetForm(r evaluate.RuleSet) url.Values {
	f := url.Values{}
	if !r.Effective.IsZero() {
		f.Set("effective", r.Effective.Format("2006-01-02"))
	}
	f.Set("note", r.Note)
	for _, c := range evaluate.Classes() {
		for _, i := range evaluate.Indicators() {
			if w := r.Weights[c][i]; w > 0 {
				f.Set(ruleField("w", c, i), strconv.FormatFloat(w, 'g', -1, 64))
				f.Set(ruleField("on", c, i), "1")
			}
		}
	}
	f.Set("close_days", strconv.Itoa(r.CloseDays))
	f.Set("reply_days", strconv.Itoa(r.ReplyDays))
	f.Set("error_ceiling", strconv.FormatFloat(r.ErrorCeiling, 'g', -1, 64))
	f.Set("commend_share", strconv.FormatFloat(r.CommendShare*100, 'g', -1, 64))
	f.Set("commend_min", strconv.FormatFloat(r.CommendMin, 'g', -1, 64))
	f.Set("commend_floor", strconv.FormatFloat(r.CommendFloor, 'g', -1, 64))
	return f
}

// ruleVersionView is a line of the versions' list, and the API's version.
type ruleVersionView struct {
	store.EvalRuleVersion
	State        string `json:"state"` // 现行, 已停止施行, 待施行
	Withdrawable bool   `json:"withdrawable"`
}

type ruleWeightView struct {
	Indicator       evaluate.Indicator
	Label           string
	Weight          float64
	WField, OnField string
}

type ruleClassView struct {
	Class evaluate.Class
	Label string
	Rows  []ruleWeightView
	Sum   float64
}

type evalRulesData struct {
	Versions []ruleVersionView
	Shown    ruleVersionView
	Classes  []ruleClassView // the shown version's weights
	Methods  []evalMethod    // how the shown version computes each indicator
	Form     []ruleClassView // the new version's form
	Manage   bool
	SharePct float64 // the shown version's CommendShare, in per cent
}

func ruleClasses(r evaluate.RuleSet) []ruleClassView {
	var out []ruleClassView
	for _, c := range evaluate.Classes() {
		cv := ruleClassView{Class: c, Label: c.Label()}
		for _, i := range evaluate.Indicators() {
			w := r.Weights[c][i]
			cv.Rows = append(cv.Rows, ruleWeightView{Indicator: i, Label: i.Label(), Weight: w, WField: ruleField("w", c, i), OnField: ruleField("on", c, i)})
			cv.Sum += w
		}
		out = append(out, cv)
	}
	return out
}

// evalRuleVersions lists the versions with how each stands now.
func (srv *Server) evalRuleVersions(r *http.Request) ([]ruleVersionView, evaluate.Rules, error) {
	vs, err := srv.store.EvalRuleVersions(r.Context())
	if err != nil {
		return nil, nil, err
	}
	rs := make(evaluate.Rules, len(vs))
	for k, v := range vs {
		rs[k] = v.RuleSet
	}
	now := srv.store.Now()
	out := make([]ruleVersionView, len(vs))
	for k, v := range vs {
		out[k] = ruleVersionView{EvalRuleVersion: v, State: rs.State(v.Version, now), Withdrawable: len(vs) > 0 && rs.Withdrawable(v.Version, now) == nil}
	}
	return out, rs, nil
}

// evalRulesPage lists the versions, shows one (?version=, default the one
// in force), and offers the system administrator a new version built on
// the latest. GET /api/v1/evaluate/rules answers the list.
func (srv *Server) evalRulesPage(w http.ResponseWriter, r *http.Request) {
	if !srv.mayReadEvalSettings(w, r) {
		return
	}
	srv.renderEvalRules(w, r, http.StatusOK, nil, "")
}

func (srv *Server) renderEvalRules(w http.ResponseWriter, r *http.Request, status int, form url.Values, errMsg string) {
	vs, rs, err := srv.evalRuleVersions(r)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"rules": vs})
		return
	}
	now := srv.store.Now()
	cur, err := rs.At(now)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := evalRulesData{Versions: vs, Manage: viewerFrom(r.Context()).Can(access.ManageEvaluation)}
	want := cur.Version
	if s := r.URL.Query().Get("version"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			want = n
		}
	}
	for _, v := range vs {
		if v.Version == want {
			d.Shown = v
		}
	}
	if d.Shown.Version == 0 {
		srv.evalBadQuery(w, r, fmt.Errorf("考核规则第 %s 版不存在", r.URL.Query().Get("version")))
		return
	}
	d.Classes = ruleClasses(d.Shown.RuleSet)
	d.SharePct = math.Round(d.Shown.CommendShare*10000) / 100
	for _, i := range evaluate.Indicators() {
		d.Methods = append(d.Methods, evalMethod{Label: i.Label(), Text: i.Method(d.Shown.RuleSet)})
	}
	if d.Manage {
		d.Form = ruleClasses(evaluate.RuleSet{})
		if form == nil {
			latest := vs[len(vs)-1].RuleSet
			next := latest
			next.Note = ""
			// The first of next month, or of the month after the latest
			// version's, whichever is later.
			t := srv.evalToday()
			next.Effective = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, t.Location())
			if l := latest.Effective.In(t.Location()); !l.Before(next.Effective) {
				next.Effective = time.Date(l.Year(), l.Month()+1, 1, 0, 0, 0, 0, t.Location())
			}
			form = ruleSetForm(next)
		}
	}
	srv.render(w, r, status, "eval_rules", pageData{Title: "考核规则", Nav: "evaluate", Data: d, Form: form, Error: errMsg})
}

// evalRuleInput is a new version as the API takes it: fields left out keep
// the latest version's values; a class's weights, when given, replace that
// class's (an indicator left out or weighted 0 does not count).
type evalRuleInput struct {
	Effective    string                                            `json:"effective"`
	Note         *string                                           `json:"note"`
	Weights      map[evaluate.Class]map[evaluate.Indicator]float64 `json:"weights"`
	CloseDays    *int                                              `json:"close_days"`
	ReplyDays    *int                                              `json:"reply_days"`
	ErrorCeiling *float64                                          `json:"error_ceiling"`
	CommendShare *float64                                          `json:"commend_share"`
	CommendMin   *float64                                          `json:"commend_min"`
	CommendFloor *float64                                          `json:"commend_floor"`
}

func (in evalRuleInput) over(latest evaluate.RuleSet, loc *time.Location) (evaluate.RuleSet, error) {
	r := latest
	r.Note = ""
	var err error
	if r.Effective, err = parseEvalDate(in.Effective, "生效日期", loc); err != nil {
		return r, err
	}
	r.Weights = map[evaluate.Class]map[evaluate.Indicator]float64{}
	for c, ws := range latest.Weights {
		r.Weights[c] = ws
	}
	for c, ws := range in.Weights {
		clean := map[evaluate.Indicator]float64{}
		for i, w := range ws {
			if w != 0 || !i.Valid() { // Validate names an unknown indicator
				clean[i] = w
			}
		}
		r.Weights[c] = clean
	}
	set := func(dst *int, p *int) {
		if p != nil {
			*dst = *p
		}
	}
	setF := func(dst *float64, p *float64) {
		if p != nil {
			*dst = *p
		}
	}
	if in.Note != nil {
		r.Note = strings.TrimSpace(*in.Note)
	}
	set(&r.CloseDays, in.CloseDays)
	set(&r.ReplyDays, in.ReplyDays)
	setF(&r.ErrorCeiling, in.ErrorCeiling)
	setF(&r.CommendShare, in.CommendShare)
	setF(&r.CommendMin, in.CommendMin)
	setF(&r.CommendFloor, in.CommendFloor)
	return r, nil
}

// evalRulesAdd stores a new version: POST /evaluate/rules (form) and
// /api/v1/evaluate/rules (JSON). It takes effect today or later and after
// the latest version; a bad form comes back as typed, with every mistake.
func (srv *Server) evalRulesAdd(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageEvaluation, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	loc := srv.store.Calendar().Location()
	rs, err := srv.store.EvalRules(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	var next evaluate.RuleSet
	if isAPI(r) {
		var in evalRuleInput
		if !decodeJSON(w, r, &in) {
			return
		}
		latest := rs[0]
		for _, x := range rs {
			if x.Version > latest.Version {
				latest = x
			}
		}
		next, err = in.over(latest, loc)
	} else {
		next, err = ruleSetFromForm(r.PostForm, loc)
	}
	if err == nil {
		_, err = rs.NextFrom(next, srv.evalToday())
	}
	if err == nil {
		next, err = srv.store.AddEvalRules(ctx, v.Person, next)
	}
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		if isAPI(r) {
			writeJSONError(w, http.StatusUnprocessableEntity, userMessage(err))
			return
		}
		srv.renderEvalRules(w, r, http.StatusUnprocessableEntity, r.PostForm, userMessage(err))
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusCreated, next)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/evaluate/rules?version=%d&notice=saved", next.Version), http.StatusSeeOther)
}

// evalRulesWithdraw removes the latest version before it takes effect.
func (srv *Server) evalRulesWithdraw(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageEvaluation, access.Object{}) {
		return
	}
	n, err := strconv.Atoi(r.PathValue("version"))
	if err == nil {
		err = srv.store.WithdrawEvalRules(r.Context(), viewerFrom(r.Context()).Person, n)
	} else {
		err = errors.New("规则版本号无效")
	}
	srv.answerWithdrawal(w, r, err, srv.renderEvalRules, "/evaluate/rules")
}

// evalChangeView is a recorded rename or merge as the page lists it.
type evalChangeView struct {
	evaluate.Change
	KindLabel string `json:"kind_label"`
	UnitName  string `json:"unit_name"`
	IntoName  string `json:"into_name,omitempty"`
	Date      string `json:"date"`
}

type evalUnitOption struct {
	ID, Name, Class string
}

type evalUnitsData struct {
	Changes []evalChangeView
	Units   []evalUnitOption // scored units, by class
	Manage  bool
}

// evalUnitsPage lists the renames and merges recorded and offers the system
// administrator the forms to record one. GET /api/v1/evaluate/unit-changes
// answers the list.
func (srv *Server) evalUnitsPage(w http.ResponseWriter, r *http.Request) {
	if !srv.mayReadEvalSettings(w, r) {
		return
	}
	srv.renderEvalUnits(w, r, http.StatusOK, nil, "")
}

func (srv *Server) renderEvalUnits(w http.ResponseWriter, r *http.Request, status int, form url.Values, errMsg string) {
	ctx := r.Context()
	chs, err := srv.store.EvalUnitChanges(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	units, err := srv.store.EvalUnits(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	name := map[string]string{}
	for _, u := range units {
		name[u.ID] = u.Name
	}
	loc := srv.store.Calendar().Location()
	d := evalUnitsData{Manage: viewerFrom(ctx).Can(access.ManageEvaluation)}
	for _, c := range chs {
		cv := evalChangeView{Change: c, KindLabel: c.Kind.Label(), UnitName: name[c.Unit], Date: c.On.In(loc).Format("2006-01-02")}
		if c.Into != "" {
			cv.IntoName = name[c.Into]
		}
		d.Changes = append(d.Changes, cv)
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"changes": d.Changes})
		return
	}
	for _, c := range evaluate.Classes() {
		for _, u := range units {
			if u.Scored && u.Class == c {
				d.Units = append(d.Units, evalUnitOption{ID: u.ID, Name: u.Name, Class: c.Label()})
			}
		}
	}
	if form == nil {
		form = url.Values{"on": {srv.evalToday().Format("2006-01-02")}}
	}
	srv.render(w, r, status, "eval_units", pageData{Title: "单位更名与合并", Nav: "evaluate", Data: d, Form: form, Error: errMsg})
}

// evalChangeInput is a rename or merge as the form and the API give it.
type evalChangeInput struct {
	Unit    string `json:"unit"`
	Kind    string `json:"kind"`
	OldName string `json:"old_name"`
	NewName string `json:"new_name"`
	Into    string `json:"into"`
	On      string `json:"on"`
}

func (in evalChangeInput) change(loc *time.Location) (evaluate.Change, error) {
	ch := evaluate.Change{Unit: in.Unit, Kind: evaluate.ChangeKind(in.Kind), OldName: in.OldName, Into: in.Into}
	var err error
	ch.On, err = parseEvalDate(in.On, "变更日期", loc)
	if err == nil && ch.Kind == evaluate.Renamed && strings.TrimSpace(in.OldName) == "" && strings.TrimSpace(in.NewName) == "" {
		err = errors.New("请填写原名称，或填写新名称（同时将单位改用新名称）")
	}
	if err == nil && len([]rune(strings.TrimSpace(in.NewName))) > 100 {
		err = errors.New("新名称不能超过 100 个字")
	}
	return ch, err
}

// evalUnitsAdd records a rename or a merge: POST /evaluate/units (form) and
// /api/v1/evaluate/unit-changes (JSON).
func (srv *Server) evalUnitsAdd(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageEvaluation, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	var in evalChangeInput
	if isAPI(r) {
		if !decodeJSON(w, r, &in) {
			return
		}
	} else {
		f := r.PostForm
		in = evalChangeInput{Unit: f.Get("unit"), Kind: f.Get("kind"), OldName: f.Get("old_name"), NewName: f.Get("new_name"), Into: f.Get("into"), On: f.Get("on")}
	}
	// Renaming the unit in the org as well needs that right too.
	if strings.TrimSpace(in.NewName) != "" && in.Kind == string(evaluate.Renamed) && !srv.authorize(w, r, access.ManageUnits, access.Object{}) {
		return
	}
	ch, err := in.change(srv.store.Calendar().Location())
	if err == nil {
		ch, err = srv.store.AddEvalUnitChange(ctx, v.Person, ch, in.NewName)
	}
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		if isAPI(r) {
			writeJSONError(w, http.StatusUnprocessableEntity, userMessage(err))
			return
		}
		srv.renderEvalUnits(w, r, http.StatusUnprocessableEntity, r.PostForm, userMessage(err))
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusCreated, ch)
		return
	}
	http.Redirect(w, r, "/evaluate/units?notice=saved", http.StatusSeeOther)
}

// evalUnitsWithdraw removes a recorded change: POST /evaluate/units/withdraw
// (unit, kind, on) and DELETE /api/v1/evaluate/unit-changes/{unit}/{kind}/{on}.
func (srv *Server) evalUnitsWithdraw(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageEvaluation, access.Object{}) {
		return
	}
	unit, kind, on := r.PostFormValue("unit"), r.PostFormValue("kind"), r.PostFormValue("on")
	if isAPI(r) {
		unit, kind, on = r.PathValue("unit"), r.PathValue("kind"), r.PathValue("on")
	}
	t, err := parseEvalDate(on, "变更日期", srv.store.Calendar().Location())
	if err == nil {
		err = srv.store.WithdrawEvalUnitChange(r.Context(), viewerFrom(r.Context()).Person, unit, evaluate.ChangeKind(kind), t)
	}
	srv.answerWithdrawal(w, r, err, srv.renderEvalUnits, "/evaluate/units")
}

// answerWithdrawal answers a withdrawal of a rules version or a unit change:
// 204 or a redirect with a notice when done; a refusal in Chinese (JSON, or
// the page again through render) when not.
func (srv *Server) answerWithdrawal(w http.ResponseWriter, r *http.Request, err error, render func(http.ResponseWriter, *http.Request, int, url.Values, string), page string) {
	switch {
	case err == nil && isAPI(r):
		w.WriteHeader(http.StatusNoContent)
	case err == nil:
		http.Redirect(w, r, page+"?notice=deleted", http.StatusSeeOther)
	case isInternal(err):
		srv.serverError(w, r, err)
	case isAPI(r):
		writeJSONError(w, http.StatusUnprocessableEntity, userMessage(err))
	default:
		render(w, r, http.StatusUnprocessableEntity, nil, userMessage(err))
	}
}
