package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise/chart"
)

// evalRoutes registers 考核评比: the scoreboard of a period and class (横比
// and 纵比), the records behind each figure, the xlsx export, the printable
// 考核通报, and their JSON API.
func (srv *Server) evalRoutes() {
	m := srv.mux
	m.HandleFunc("GET /evaluate", srv.requireLogin(srv.evalBoardPage))
	m.HandleFunc("GET /evaluate/records", srv.requireLogin(srv.evalRecords))
	m.HandleFunc("GET /evaluate/board.xlsx", srv.requireLogin(srv.evalXLSX))
	m.HandleFunc("GET /evaluate/print", srv.requireLogin(srv.evalPrint))
	m.HandleFunc("GET /api/v1/evaluate/board", srv.requireLogin(srv.evalBoardPage))
	m.HandleFunc("GET /api/v1/evaluate/records", srv.requireLogin(srv.evalRecords))
	m.HandleFunc("GET /api/v1/evaluate/rules", srv.requireLogin(srv.evalRulesPage))
	m.HandleFunc("GET /evaluate/live", srv.requireLogin(srv.evalLive))
	m.HandleFunc("GET /api/v1/evaluate/live", srv.requireLogin(srv.evalLive))
	srv.evalSettingsRoutes()
	srv.evalNoticeRoutes()
}

// evalTrendPeriods is how many periods 纵比 shows, the asked one last.
const evalTrendPeriods = 6

// evalQuery is a scoreboard's query: the period, the class and the unit
// whose trend is shown.
type evalQuery struct {
	Period evaluate.Period
	Class  evaluate.Class
	Unit   string
}

func (q evalQuery) values() url.Values {
	v := url.Values{"period": {q.Period.Key()}, "class": {string(q.Class)}}
	if q.Unit != "" {
		v.Set("unit", q.Unit)
	}
	return v
}

// parseEvalQuery reads period (default: the last full month), class
// (default 镇街) and unit.
func (srv *Server) parseEvalQuery(r *http.Request) (evalQuery, error) {
	loc := srv.store.Calendar().Location()
	q := r.URL.Query()
	var out evalQuery
	if s := q.Get("period"); s != "" {
		p, err := evaluate.ParsePeriod(s, loc)
		if err != nil {
			return out, err
		}
		out.Period = p
	} else {
		now := srv.store.Now().In(loc)
		last := now.AddDate(0, 0, -now.Day()) // the last day of the month before
		out.Period = evaluate.Month(last.Year(), last.Month(), loc)
	}
	out.Class = evaluate.Class(q.Get("class"))
	if out.Class == "" {
		out.Class = evaluate.Towns
	}
	if !out.Class.Valid() {
		return out, fmt.Errorf("未知的单位类别 %q：请选择镇街、区直部门或办公室系统", out.Class)
	}
	out.Unit = q.Get("unit")
	if len(out.Unit) > 64 {
		return out, errors.New("单位参数过长")
	}
	return out, nil
}

// evalResult is a scoreboard with the trend of one unit.
type evalResult struct {
	Board   evaluate.Board
	Periods []evaluate.Period
	Trend   []evaluate.TrendPoint
	Org     *evaluate.Org
	Rules   evaluate.Rules
	Points  []evaluate.PointEvent
	Now     time.Time
	Summed  bool // from the kept sums: figures carry no record IDs (evalFigureIDs)
	Took    time.Duration
}

// evalCompute refreshes the facts and scores the period, and the trend of
// q.Unit (or the board's first unit) over the periods before it: from the
// store's monthly sums (EvalSums), or from the records when a period is not
// whole months.
func (srv *Server) evalCompute(ctx context.Context, q evalQuery) (evalResult, error) {
	start := time.Now()
	var res evalResult
	if _, err := srv.store.RefreshEvalFacts(ctx); err != nil {
		return res, err
	}
	periods := []evaluate.Period{q.Period}
	for len(periods) < evalTrendPeriods {
		periods = append([]evaluate.Period{periods[0].Previous()}, periods...)
	}
	res.Periods = periods
	var err error
	if res.Points, err = srv.infoPoints(ctx, periods[0].From, q.Period.To); err != nil {
		return res, err
	}
	units, err := srv.store.EvalUnits(ctx)
	if err != nil {
		return res, err
	}
	if res.Org, err = evaluate.NewOrg(units); err != nil {
		return res, err
	}
	if res.Rules, err = srv.store.EvalRules(ctx); err != nil {
		return res, err
	}
	cal := srv.store.Calendar()
	res.Now = srv.store.Now()
	sums, ok, err := srv.store.EvalSums(ctx, res.Rules, periods, res.Now)
	if err != nil {
		return res, err
	}
	var rec evaluate.Records
	if res.Summed = ok; ok {
		res.Board, err = evaluate.ScoreSums(res.Org, sums[len(sums)-1], res.Points, res.Rules, q.Period, q.Class, res.Now)
	} else {
		if rec, err = srv.store.EvalRecords(ctx, periods[0].From, q.Period.To); err != nil {
			return res, err
		}
		rec.Points = res.Points
		res.Board, err = evaluate.Score(cal, res.Org, rec, res.Rules, q.Period, q.Class, res.Now)
	}
	if err != nil {
		return res, err
	}
	unit := q.Unit
	if u, ok := res.Org.Unit(unit); !ok || u.Class != q.Class {
		unit = ""
		if len(res.Board.Rows) > 0 {
			unit = res.Board.Rows[0].Unit
		}
	}
	if unit != "" {
		if res.Summed {
			res.Trend, err = evaluate.TrendSums(res.Org, sums, res.Points, res.Rules, periods, unit, res.Now)
		} else {
			res.Trend, err = evaluate.Trend(cal, res.Org, rec, res.Rules, periods, unit, res.Now)
		}
		if err != nil {
			return res, err
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// evalFigureIDs gives a figure of a board computed from the sums its
// record IDs: the records of the units it counts (the unit, its sections,
// the units merged into it), scored as the board was.
func (srv *Server) evalFigureIDs(ctx context.Context, q evalQuery, res evalResult, f evaluate.Figure) (evaluate.Figure, error) {
	if !res.Summed {
		return f, nil
	}
	rec, err := srv.store.EvalRecordsOf(ctx, q.Period.From, q.Period.To, res.Org.OwnedBy(q.Unit, q.Period.To))
	if err != nil {
		return f, err
	}
	rec.Points = res.Points
	b, err := evaluate.Score(srv.store.Calendar(), res.Org, rec, res.Rules, q.Period, q.Class, res.Now)
	if err != nil {
		return f, err
	}
	row, _ := b.Row(q.Unit)
	g, _ := row.Figure(f.Indicator)
	f.NumIDs, f.DenIDs = g.NumIDs, g.DenIDs
	return f, nil
}

// evalCell is one figure as the table shows it, with its drill-down links.
type evalCell struct {
	Indicator   evaluate.Indicator
	Text, Score string
	Empty       bool
	NumLink     string
	DenLink     string
}

type evalRowView struct {
	Rank  int
	Unit  string
	Name  string
	Cells []evalCell
	Total string
	Trend string
}

type evalMethod struct{ Label, Text string }

type evalBoardData struct {
	Q          evalQuery
	PeriodKey  string
	Classes    []evaluate.Class
	Counted    []evaluate.Indicator
	Weights    []float64
	Rows       []evalRowView
	Methods    []evalMethod
	Rules      evaluate.RuleSet
	Commended  []evaluate.Candidate
	CompareSVG template.HTML
	TrendSVG   template.HTML
	TrendName  string
	Trend      []evalTrendView
	Query      template.URL
	Took       string
	Title      string
	Print      bool // the 考核通报 for printing
}

type evalTrendView struct {
	Label, Total, Rank string
}

func (srv *Server) evalView(q evalQuery, res evalResult) evalBoardData {
	b := res.Board
	d := evalBoardData{Q: q, PeriodKey: q.Period.Key(), Classes: evaluate.Classes(), Counted: b.Counted, Rules: b.Rules,
		Commended: b.Commended, Took: res.Took.Round(time.Millisecond).String(),
		Title: fmt.Sprintf("%s%s考核评比", q.Period.Label, q.Class.Label())}
	qv := q.values()
	qv.Del("unit")
	// Every value is query-escaped by Encode: the template takes it as a URL.
	d.Query = template.URL(qv.Encode())
	for _, i := range b.Counted {
		d.Weights = append(d.Weights, b.Rules.Weights[b.Class][i])
		d.Methods = append(d.Methods, evalMethod{Label: i.Label(), Text: i.Method(b.Rules)})
	}
	link := func(unit string, i evaluate.Indicator, part string) string {
		v := q.values()
		v.Set("unit", unit)
		v.Set("indicator", string(i))
		v.Set("part", part)
		return "/evaluate/records?" + v.Encode()
	}
	c := &chart.Chart{Title: "横比：" + q.Period.Label + q.Class.Label() + "综合得分"}
	s := chart.Series{Name: "综合得分"}
	for _, r := range b.Rows {
		rv := evalRowView{Rank: r.Rank, Unit: r.Unit, Name: r.Name, Total: fmt.Sprintf("%.2f", r.Total)}
		v := q.values()
		v.Set("unit", r.Unit)
		rv.Trend = "/evaluate?" + v.Encode()
		for _, f := range r.Figures {
			cell := evalCell{Indicator: f.Indicator, Text: f.Text(), Empty: f.Empty, Score: fmt.Sprintf("%.2f", f.Score)}
			if !f.Empty {
				cell.NumLink, cell.DenLink = link(r.Unit, f.Indicator, "num"), link(r.Unit, f.Indicator, "den")
			}
			rv.Cells = append(rv.Cells, cell)
		}
		d.Rows = append(d.Rows, rv)
		c.Labels = append(c.Labels, r.Name)
		c.Links = append(c.Links, rv.Trend)
		s.Values = append(s.Values, r.Total)
	}
	c.Series = []chart.Series{s}
	// The chart package escapes every text it writes: its SVG is safe to embed.
	d.CompareSVG = template.HTML(c.Bar())
	if len(res.Trend) > 0 {
		u, _ := res.Org.Unit(res.Trend[len(res.Trend)-1].Row.Unit)
		d.TrendName = u.Name
		tc := &chart.Chart{Title: "纵比：" + u.Name + "近 " + fmt.Sprint(len(res.Trend)) + " 期综合得分"}
		ts := chart.Series{Name: "综合得分"}
		for _, tp := range res.Trend {
			tc.Labels = append(tc.Labels, tp.Period.Label)
			tv := evalTrendView{Label: tp.Period.Label, Total: "—", Rank: "—"}
			if tp.Found {
				ts.Values = append(ts.Values, tp.Row.Total)
				tv.Total, tv.Rank = fmt.Sprintf("%.2f", tp.Row.Total), fmt.Sprintf("%d/%d", tp.Row.Rank, tp.Of)
			} else {
				ts.Values = append(ts.Values, math.NaN())
			}
			d.Trend = append(d.Trend, tv)
		}
		tc.Series = []chart.Series{ts}
		d.TrendSVG = template.HTML(tc.Line())
	}
	return d
}

func (srv *Server) evalBadQuery(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	srv.render(w, r, http.StatusBadRequest, "error", pageData{Title: "考核评比", Error: err.Error()})
}

// evalBoardPage is the scoreboard: GET /evaluate and /api/v1/evaluate/board.
func (srv *Server) evalBoardPage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewEvaluation, access.Object{}) {
		return
	}
	q, err := srv.parseEvalQuery(r)
	if err != nil {
		srv.evalBadQuery(w, r, err)
		return
	}
	res, err := srv.evalCompute(r.Context(), q)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		methods := map[evaluate.Indicator]string{}
		for _, i := range res.Board.Counted {
			methods[i] = i.Method(res.Board.Rules)
		}
		writeJSON(w, http.StatusOK, map[string]any{"board": res.Board, "trend": res.Trend, "methods": methods})
		return
	}
	srv.render(w, r, http.StatusOK, "eval_board", pageData{Title: "考核评比", Nav: "evaluate", Data: srv.evalView(q, res)})
}

// evalPrint is the printable 考核通报.
func (srv *Server) evalPrint(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewEvaluation, access.Object{}) {
		return
	}
	q, err := srv.parseEvalQuery(r)
	if err != nil {
		srv.evalBadQuery(w, r, err)
		return
	}
	res, err := srv.evalCompute(r.Context(), q)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := srv.evalView(q, res)
	d.Print = true
	srv.render(w, r, http.StatusOK, "eval_board", pageData{Title: "考核通报", Nav: "evaluate", Data: d})
}

// evalXLSX exports the scoreboard.
func (srv *Server) evalXLSX(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewEvaluation, access.Object{}) {
		return
	}
	q, err := srv.parseEvalQuery(r)
	if err != nil {
		srv.evalBadQuery(w, r, err)
		return
	}
	res, err := srv.evalCompute(r.Context(), q)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	name := "考核评比-" + q.Period.Key() + "-" + q.Class.Label() + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="evaluation-%s-%s.xlsx"; filename*=UTF-8''%s`, q.Period.Key(), q.Class, url.PathEscape(name)))
	if err := evaluate.WriteBoardXLSX(w, q.Period.Label+q.Class.Label()+"考核评比", res.Board); err != nil {
		srv.log.Error("write evaluation xlsx", "err", err)
	}
}

// evalRecordView is one record behind a figure that the viewer may open.
type evalRecordView struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Title string `json:"title"`
	Link  string `json:"link"`
	Hit   bool   `json:"hit"` // in the numerator
}

type evalRecordsData struct {
	Title, Unit, Indicator, Part, Method string
	Figure                               string
	Rows                                 []evalRecordView
	Hidden                               int
	Back                                 string
}

// evalRecordsMax bounds the records listed behind one figure.
const evalRecordsMax = 500

// evalRecords lists the records behind one figure: each shown only if the
// viewer may open it, the rest counted.
func (srv *Server) evalRecords(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewEvaluation, access.Object{}) {
		return
	}
	q, err := srv.parseEvalQuery(r)
	if err != nil {
		srv.evalBadQuery(w, r, err)
		return
	}
	ind := evaluate.Indicator(r.URL.Query().Get("indicator"))
	part := r.URL.Query().Get("part")
	if !ind.Valid() || (part != "num" && part != "den") || q.Unit == "" {
		srv.evalBadQuery(w, r, errors.New("请指定单位、考核指标和分子（num）或分母（den）"))
		return
	}
	ctx := r.Context()
	res, err := srv.evalCompute(ctx, q)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	row, ok := res.Board.Row(q.Unit)
	if !ok {
		srv.evalBadQuery(w, r, errors.New("该单位不在本期本类别的考核范围内"))
		return
	}
	f, ok := row.Figure(ind)
	if !ok {
		srv.evalBadQuery(w, r, fmt.Errorf("本期%s不考核“%s”", q.Class.Label(), ind.Label()))
		return
	}
	if f, err = srv.evalFigureIDs(ctx, q, res, f); err != nil {
		srv.serverError(w, r, err)
		return
	}
	ids := f.DenIDs
	if part == "num" {
		ids = f.NumIDs
	}
	d := evalRecordsData{Title: fmt.Sprintf("%s · %s · %s", q.Period.Label, row.Name, ind.Label()), Unit: row.Name, Indicator: ind.Label(),
		Part: map[string]string{"num": "分子", "den": "分母"}[part], Method: ind.Method(res.Board.Rules), Figure: f.Text()}
	back := q.values()
	back.Del("unit")
	d.Back = "/evaluate?" + back.Encode()
	hit := map[string]bool{}
	for _, id := range f.NumIDs {
		hit[id] = true
	}
	for k, id := range ids {
		if k >= evalRecordsMax {
			d.Hidden += len(ids) - k
			break
		}
		rv, ok, err := srv.evalRecord(ctx, r, ind, id)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		if !ok {
			d.Hidden++
			continue
		}
		rv.Hit = hit[id]
		d.Rows = append(d.Rows, rv)
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"figure": f.Text(), "records": d.Rows, "hidden": d.Hidden, "method": d.Method})
		return
	}
	srv.render(w, r, http.StatusOK, "eval_records", pageData{Title: d.Title, Nav: "evaluate", Data: d})
}

// evalRecord resolves one record ID of an indicator, asking the access
// function as opening the record would; ok is false when the viewer may
// not see it (or it is gone).
func (srv *Server) evalRecord(ctx context.Context, r *http.Request, ind evaluate.Indicator, id string) (evalRecordView, bool, error) {
	v := viewerFrom(ctx)
	switch ind {
	case evaluate.SignFor, evaluate.CloseOnTime, evaluate.DocErrors:
		rec, err := srv.store.Document(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return evalRecordView{}, false, nil
		}
		if err != nil {
			return evalRecordView{}, false, err
		}
		ok, err := srv.mayReadDoc(ctx, r, rec, "evaluate")
		if err != nil || !ok {
			return evalRecordView{}, false, err
		}
		return evalRecordView{ID: id, Kind: "document", Title: rec.Doc.Title, Link: "/docs/" + url.PathEscape(id)}, true, nil
	case evaluate.SupOnTime:
		it, err := srv.store.SupItem(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return evalRecordView{}, false, nil
		}
		if err != nil {
			return evalRecordView{}, false, err
		}
		o, err := srv.supObjectFor(ctx, v, &it)
		if err != nil {
			return evalRecordView{}, false, err
		}
		if !access.Decide(v.Subject, access.ReadObject, o).Allow {
			return evalRecordView{}, false, nil
		}
		return evalRecordView{ID: id, Kind: "supervision_item", Title: it.Title, Link: "/supervise/items/" + url.PathEscape(id)}, true, nil
	case evaluate.MeetingReply, evaluate.MeetingSignIn:
		m, err := srv.store.Meeting(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return evalRecordView{}, false, nil
		}
		if err != nil {
			return evalRecordView{}, false, err
		}
		if !access.Decide(v.Subject, access.ReadObject, store.MeetingObject(&m)).Allow {
			return evalRecordView{}, false, nil
		}
		return evalRecordView{ID: id, Kind: "meeting", Title: m.Title, Link: "/meetings/" + url.PathEscape(id)}, true, nil
	case evaluate.Handover:
		h, err := srv.store.DutyHandover(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return evalRecordView{}, false, nil
		}
		if err != nil {
			return evalRecordView{}, false, err
		}
		ro, err := srv.store.DutyRoster(ctx, h.RosterID)
		if err != nil {
			return evalRecordView{}, false, err
		}
		ok, err := srv.dutyMay(ctx, access.ReadDuty, ro)
		if err != nil || !ok {
			return evalRecordView{}, false, err
		}
		return evalRecordView{ID: id, Kind: "duty_handover", Title: ro.Title + " " + h.Date + " 交接班",
			Link: "/duty/rosters/" + url.PathEscape(h.RosterID)}, true, nil
	case evaluate.InfoScore:
		return srv.evalInfoRecord(ctx, v, id)
	}
	return evalRecordView{}, false, nil
}

// evalInfoRecord resolves a 信息采用得分 record: a report, or a 约稿 the
// points were given for, each decided as opening it would be.
func (srv *Server) evalInfoRecord(ctx context.Context, v *Viewer, id string) (evalRecordView, bool, error) {
	c, err := srv.infoCtxOf(ctx, v)
	if err != nil {
		return evalRecordView{}, false, err
	}
	rep, err := srv.store.InfoReport(ctx, id)
	switch {
	case err == nil:
		if !access.DecideInfo(v.Subject, access.ReadInfo, c.object(rep)).Allow {
			return evalRecordView{}, false, nil
		}
		return evalRecordView{ID: id, Kind: "info_report", Title: rep.Title, Link: "/info/" + url.PathEscape(id)}, true, nil
	case !errors.Is(err, store.ErrNotFound):
		return evalRecordView{}, false, err
	}
	sol, err := srv.store.InfoSolicitation(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return evalRecordView{}, false, nil
	}
	if err != nil {
		return evalRecordView{}, false, err
	}
	o := c.officeObject(sol.OfficeID)
	o.Units = sol.Units
	if !access.DecideInfo(v.Subject, access.ReadInfo, o).Allow {
		return evalRecordView{}, false, nil
	}
	return evalRecordView{ID: id, Kind: "info_solicitation", Title: "约稿：" + sol.Topic, Link: "/info/solicitations"}, true, nil
}

// viewerOffice is the office (a unit of kind office) the viewer works in as
// its director, clerk, supervisor or confidential clerk — the office whose
// "五不让" their home page shows; "" for anyone else.
func viewerOffice(v *Viewer, units map[string]org.Unit) string {
	for _, a := range v.Roles {
		switch a.Role {
		case org.RoleOfficeDirector, org.RoleClerk, org.RoleSupervisor, org.RoleConfidentialClerk:
		default:
			continue
		}
		for id, steps := a.UnitID, 0; id != "" && steps < 16; id, steps = units[id].ParentID, steps+1 {
			if units[id].Kind == org.KindOffice {
				return id
			}
		}
	}
	return ""
}

// liveView is one "五不让" measure on the workbench.
type liveView struct {
	Measure evaluate.Measure
	Label   string
	Counts  string
	N       int
	Link    string
}

func liveViews(l evaluate.Live) []liveView {
	var out []liveView
	for _, m := range evaluate.Measures() {
		out = append(out, liveView{Measure: m, Label: m.Label(), Counts: m.Counts(), N: l.Counts[m], Link: "/evaluate/live?measure=" + string(m)})
	}
	return out
}

type liveData struct {
	Office  string
	Measure evaluate.Measure
	Label   string
	Counts  string
	Rows    []evalRecordView
	Hidden  int
}

// evalLive lists the records behind one "五不让" measure of the viewer's
// office, each shown only if the viewer may open it. The API without a
// measure gives the four counts.
func (srv *Server) evalLive(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewEvaluation, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	us, err := srv.units(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	units := make(map[string]org.Unit, len(us))
	for _, u := range us {
		units[u.ID] = u
	}
	office := viewerOffice(v, units)
	if office == "" {
		srv.evalBadQuery(w, r, errors.New("“五不让”只对办公室的主任、文秘、督查员和机要员显示"))
		return
	}
	now := srv.store.Now()
	m := evaluate.Measure(r.URL.Query().Get("measure"))
	if m == "" && isAPI(r) {
		live, err := srv.store.FiveNo(ctx, office, now)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, live)
		return
	}
	if !m.Valid() {
		srv.evalBadQuery(w, r, errors.New("请指定“五不让”的一项：delay、backlog、error 或 handover"))
		return
	}
	ids, err := srv.store.FiveNoIDs(ctx, office, m, now)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := liveData{Office: units[office].Name, Measure: m, Label: m.Label(), Counts: m.Counts()}
	as := map[evaluate.Measure]evaluate.Indicator{evaluate.NoDelay: evaluate.SupOnTime, evaluate.NoBacklog: evaluate.CloseOnTime,
		evaluate.NoError: evaluate.DocErrors, evaluate.NoBrokenHandover: evaluate.Handover}[m]
	for _, id := range ids {
		rv, ok, err := srv.evalRecord(ctx, r, as, id)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		if !ok {
			d.Hidden++
			continue
		}
		d.Rows = append(d.Rows, rv)
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"office": office, "measure": m, "records": d.Rows, "hidden": d.Hidden})
		return
	}
	srv.render(w, r, http.StatusOK, "eval_live", pageData{Title: m.Label(), Nav: "workbench", Data: d})
}
