package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
)

// 一周工作安排: the organ's office drafts the week from its leaders' public
// entries and meetings (planner.Assemble), edits it, sends it to the office
// director, who approves or returns it; approved, it is published to
// everyone as a printable page (GB/T 9704-style table) and an xlsx.

// programmeView is one organ's programme as the viewer may handle it.
type programmeView struct {
	Organ      org.Unit
	Organs     []organChoice
	Office     string
	OfficeName string
	Week       string
	Prev, Next string
	Range      string // 2026年12月7日—12月13日
	Days       []weekDay
	Programme  planner.Programme
	Shown      bool // the rows are shown: published, or the viewer edits or approves it
	CanEdit    bool
	CanApprove bool
	EditedBy   string
	ApprovedBy string
	Leaders    []planner.Leader
	Periods    []string
}

func (srv *Server) programmeView(ctx context.Context, v *Viewer, q url.Values) (programmeView, error) {
	organ, choices, monday, err := srv.pickOrgan(ctx, v, q)
	if err != nil {
		return programmeView{}, err
	}
	pv := programmeView{Organ: organ, Organs: choices, Days: srv.weekDays(monday), Periods: []string{"上午", "下午", "晚上", "全天"}}
	pv.Week, pv.Prev, pv.Next = weekLinks(monday)
	sunday := monday.AddDate(0, 0, 6)
	pv.Range = fmt.Sprintf("%d年%d月%d日—%d月%d日", monday.Year(), monday.Month(), monday.Day(), sunday.Month(), sunday.Day())
	if organ.ID == "" {
		return pv, nil
	}
	if pv.Office, err = srv.store.OfficeOfOrgan(ctx, organ.ID); err != nil {
		return pv, err
	}
	if u, err := srv.store.Unit(ctx, pv.Office); err == nil {
		pv.OfficeName = u.Name
	}
	obj := programmeObject(organ.ID, pv.Office)
	pv.CanEdit = access.Decide(v.Subject, access.EditProgramme, obj).Allow
	pv.CanApprove = access.Decide(v.Subject, access.ApproveProgramme, obj).Allow
	if pv.Programme, err = srv.store.WeekProgramme(ctx, organ.ID, pv.Week); err != nil {
		return pv, err
	}
	pv.Shown = pv.Programme.Status == planner.Published || pv.CanEdit || pv.CanApprove
	if !pv.Shown {
		pv.Programme.Rows = nil
	}
	name := func(id string) string {
		if id == "" {
			return ""
		}
		if p, err := srv.store.Person(ctx, id); err == nil {
			return p.Name
		}
		return "（未知人员）"
	}
	pv.EditedBy, pv.ApprovedBy = name(pv.Programme.EditedBy), name(pv.Programme.ApprovedBy)
	if pv.Leaders, err = srv.store.OrganLeaders(ctx, organ.ID); err != nil {
		return pv, err
	}
	return pv, nil
}

func programmeObject(organID, office string) access.Object {
	return access.Object{Kind: "organ", ID: organID, UnitID: office}
}

func (srv *Server) programmePage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewSchedule, access.Object{}) {
		return
	}
	srv.renderProgramme(w, r, r.URL.Query(), http.StatusOK, "", "")
}

func (srv *Server) renderProgramme(w http.ResponseWriter, r *http.Request, q url.Values, status int, notice, errMsg string) {
	ctx := r.Context()
	pv, err := srv.programmeView(ctx, viewerFrom(ctx), q)
	if err != nil {
		srv.plannerFail(w, r, err)
		return
	}
	srv.render(w, r, status, "planner_week", pageData{Title: "一周工作安排", Nav: "planner", Notice: notice, Error: errMsg, Data: pv})
}

// authorizeProgrammeOp checks the viewer may perform op on the organ's
// programme and returns the organ's ID.
func (srv *Server) authorizeProgrammeOp(w http.ResponseWriter, r *http.Request, organID string, op planner.Op) bool {
	if !srv.authorize(w, r, access.ViewSchedule, access.Object{}) {
		return false
	}
	ctx := r.Context()
	office, err := srv.store.OfficeOfOrgan(ctx, organID)
	if err != nil {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSONError(w, http.StatusNotFound, "所选机关不存在")
		} else {
			srv.notFound(w, r)
		}
		return false
	}
	a := access.EditProgramme
	if op.Approver() {
		a = access.ApproveProgramme
	}
	return srv.authorize(w, r, a, programmeObject(organID, office))
}

// formRows reads the programme's rows from the form: parallel fields
// row_date, row_period, row_time, row_content, row_leaders (names joined by
// 、), row_place; a row with row_drop set, or with no content and no
// leaders, is left out.
func formRows(f url.Values) []planner.Row {
	get := func(k string, i int) string {
		if vs := f[k]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	drop := map[string]bool{}
	for _, d := range f["row_drop"] {
		drop[d] = true
	}
	var rows []planner.Row
	for i := range f["row_date"] {
		r := planner.Row{Date: get("row_date", i), Period: get("row_period", i), Time: get("row_time", i), Content: get("row_content", i),
			Leaders: splitNames(get("row_leaders", i)), Place: get("row_place", i)}
		if drop[strconv.Itoa(i)] || (r.Content == "" && len(r.Leaders) == 0) {
			continue
		}
		if t, err := time.ParseInLocation("2006-01-02", r.Date, chinaTime); err == nil {
			r.Start = t
		}
		rows = append(rows, r)
	}
	return rows
}

func splitNames(s string) []string {
	var out []string
	for _, n := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == ',' || r == '，' || r == ' ' || r == '　' || r == ';' || r == '；'
	}) {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

var programmeNotices = map[planner.Op]string{
	planner.OpAssemble: "已从领导日程生成本周安排，请核对后保存或送审。", planner.OpSave: "已保存。", planner.OpSubmit: "已送办公室主任审定。",
	planner.OpApprove: "已审定。", planner.OpReturn: "已退回修改。", planner.OpPublish: "已发布，全机关可见，领导将收到通知。", planner.OpWithdraw: "已撤回，可重新编排。",
}

func (srv *Server) programmePost(w http.ResponseWriter, r *http.Request) {
	op := planner.Op(r.PostFormValue("op"))
	organID := r.PostFormValue("organ")
	if !srv.authorizeProgrammeOp(w, r, organID, op) {
		return
	}
	ctx := r.Context()
	q := url.Values{"organ": {organID}, "week": {r.PostFormValue("week")}}
	monday, err := planner.ParseWeek(r.PostFormValue("week"), srv.store.Now(), chinaTime)
	if err != nil {
		srv.renderProgramme(w, r, q, http.StatusUnprocessableEntity, "", userMessage(err))
		return
	}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		version = -1
	}
	_, err = srv.store.ActOnProgramme(ctx, viewerFrom(ctx).Person, organID, monday, op, formRows(r.PostForm), r.PostFormValue("note"), version)
	switch {
	case err != nil && isInternal(err):
		srv.serverError(w, r, err)
	case err != nil:
		srv.renderProgramme(w, r, q, http.StatusUnprocessableEntity, "", userMessage(err))
	default:
		http.Redirect(w, r, "/planner/week?organ="+url.QueryEscape(organID)+"&week="+monday.Format("2006-01-02")+"&notice=programme_"+string(op), http.StatusSeeOther)
	}
}

func init() {
	for op, msg := range programmeNotices {
		notices["programme_"+string(op)] = msg
	}
	notices["saved_conflict"] = "已保存（与已有日程冲突，已确认）。"
}

// printRow is a programme row with the date cell spanning its day's rows.
type printRow struct {
	planner.Row
	DateSpan int // >0 on the first row of a day: how many rows the date cell spans
}

type programmePrintData struct {
	programmeView
	Rows    []printRow
	Printed string
}

func printRows(rows []planner.Row) []printRow {
	out := make([]printRow, len(rows))
	for i, r := range rows {
		out[i].Row = r
		if i == 0 || rows[i-1].Date != r.Date {
			n := 1
			for j := i + 1; j < len(rows) && rows[j].Date == r.Date; j++ {
				n++
			}
			out[i].DateSpan = n
		}
	}
	return out
}

// programmePrint is the printable page: the published programme for
// everyone; a draft only for its editors and approver, marked 未发布.
func (srv *Server) programmePrint(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewSchedule, access.Object{}) {
		return
	}
	ctx := r.Context()
	pv, err := srv.programmeView(ctx, viewerFrom(ctx), r.URL.Query())
	if err != nil {
		srv.plannerFail(w, r, err)
		return
	}
	d := programmePrintData{programmeView: pv, Rows: printRows(pv.Programme.Rows)}
	if !pv.Programme.PublishedAt.IsZero() {
		t := pv.Programme.PublishedAt.In(chinaTime)
		d.Printed = fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	}
	srv.render(w, r, http.StatusOK, "planner_print", pageData{Title: pv.Organ.Name + "一周工作安排", Data: d})
}

func (srv *Server) programmeXLSX(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewSchedule, access.Object{}) {
		return
	}
	ctx := r.Context()
	pv, err := srv.programmeView(ctx, viewerFrom(ctx), r.URL.Query())
	if err != nil {
		srv.plannerFail(w, r, err)
		return
	}
	if !pv.Shown {
		srv.render(w, r, http.StatusNotFound, "error", pageData{Title: "一周工作安排", Error: "本周工作安排尚未发布。"})
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "一周工作安排"
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		srv.serverError(w, r, err)
		return
	}
	title := pv.Organ.Name + "一周工作安排"
	if pv.Programme.Status != planner.Published {
		title += "（未发布）"
	}
	rows := [][]any{{title}, {"（" + pv.Range + "）"}, {"日期", "时间", "活动内容", "出席领导", "地点"}}
	for _, r := range pv.Programme.Rows {
		when := r.Period
		if r.Time != "" {
			when += " " + r.Time
		}
		rows = append(rows, []any{r.DateLabel() + " " + r.Weekday(), when, r.Content, r.LeaderNames(), r.Place})
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			srv.serverError(w, r, err)
			return
		}
	}
	_ = f.MergeCell(sheet, "A1", "E1")
	_ = f.MergeCell(sheet, "A2", "E2")
	for col, width := range map[string]float64{"A": 16, "B": 16, "C": 48, "D": 24, "E": 24} {
		_ = f.SetColWidth(sheet, col, col, width)
	}
	if st, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center"}}); err == nil {
		_ = f.SetCellStyle(sheet, "A1", "A1", st)
	}
	if st, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: []excelize.Border{{Type: "bottom", Style: 1}}}); err == nil {
		_ = f.SetCellStyle(sheet, "A3", "E3", st)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(pv.Organ.ShortName+"一周工作安排"+pv.Week+".xlsx"))
	if err := f.Write(w); err != nil {
		srv.log.Warn("programme xlsx", "err", err)
	}
}

// apiProgrammeOut is the programme as the API gives it.
type apiProgrammeOut struct {
	Organ       string        `json:"organ"`
	OrganID     string        `json:"organ_id"`
	Week        string        `json:"week"`
	Status      string        `json:"status"`
	StatusLabel string        `json:"status_label"`
	Version     int           `json:"version"`
	Note        string        `json:"note,omitempty"`
	Rows        []planner.Row `json:"rows"`
	Shown       bool          `json:"shown"`
	CanEdit     bool          `json:"can_edit"`
	CanApprove  bool          `json:"can_approve"`
}

func programmeOut(pv programmeView) apiProgrammeOut {
	rows := pv.Programme.Rows
	if rows == nil {
		rows = []planner.Row{}
	}
	return apiProgrammeOut{Organ: pv.Organ.Name, OrganID: pv.Organ.ID, Week: pv.Week, Status: string(pv.Programme.Status), StatusLabel: pv.Programme.Status.Label(),
		Version: pv.Programme.Version, Note: pv.Programme.Note, Rows: rows, Shown: pv.Shown, CanEdit: pv.CanEdit, CanApprove: pv.CanApprove}
}

func (srv *Server) apiProgramme(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewSchedule, access.Object{}) {
		return
	}
	ctx := r.Context()
	pv, err := srv.programmeView(ctx, viewerFrom(ctx), r.URL.Query())
	if err != nil {
		srv.plannerFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, programmeOut(pv))
}

// apiProgrammeRequest is an operation on a programme.
type apiProgrammeRequest struct {
	Organ   string        `json:"organ"`
	Week    string        `json:"week"`
	Op      planner.Op    `json:"op"`
	Version *int          `json:"version,omitempty"`
	Rows    []planner.Row `json:"rows,omitempty"`
	Note    string        `json:"note,omitempty"`
}

func (srv *Server) apiProgrammeAct(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewSchedule, access.Object{}) {
		return
	}
	var in apiProgrammeRequest
	if !decodeJSON(w, r, &in) {
		return
	}
	if !srv.authorizeProgrammeOp(w, r, in.Organ, in.Op) {
		return
	}
	ctx := r.Context()
	monday, err := planner.ParseWeek(in.Week, srv.store.Now(), chinaTime)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, userMessage(err))
		return
	}
	version := -1
	if in.Version != nil {
		version = *in.Version
	}
	for i := range in.Rows {
		if t, err := time.ParseInLocation("2006-01-02", in.Rows[i].Date, chinaTime); err == nil && in.Rows[i].Start.IsZero() {
			in.Rows[i].Start = t
		}
	}
	if _, err := srv.store.ActOnProgramme(ctx, viewerFrom(ctx).Person, in.Organ, monday, in.Op, in.Rows, in.Note, version); err != nil {
		var ref *planner.Refusal
		if errors.As(err, &ref) {
			writeJSONError(w, http.StatusUnprocessableEntity, ref.Msg)
			return
		}
		srv.plannerFail(w, r, err)
		return
	}
	pv, err := srv.programmeView(ctx, viewerFrom(ctx), url.Values{"organ": {in.Organ}, "week": {monday.Format("2006-01-02")}})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, programmeOut(pv))
}
