package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// supPeriod reads the statistics period: from/to dates (to inclusive), by
// default this year up to today.
func supPeriod(q url.Values, now time.Time, loc *time.Location) (supervise.Period, error) {
	now = now.In(loc)
	p := supervise.Period{From: time.Date(now.Year(), 1, 1, 0, 0, 0, 0, loc), To: time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, loc)}
	if s := strings.TrimSpace(q.Get("from")); s != "" {
		t, err := supervise.ParseListDate(s)
		if err != nil {
			return p, formError("起始日期无法识别")
		}
		p.From = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	if s := strings.TrimSpace(q.Get("to")); s != "" {
		t, err := supervise.ParseListDate(s)
		if err != nil {
			return p, formError("截止日期无法识别")
		}
		p.To = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc)
	}
	if !p.To.After(p.From) {
		return p, formError("截止日期须晚于起始日期")
	}
	return p, nil
}

// supStatRow is one group's figures with the links behind them.
type supStatRow struct {
	Key, Name string
	Counts    supervise.Counts
	Link      template.URL // the query selecting the group, for click-through (every part query-escaped)
}

func (r supStatRow) Rate() string {
	v, ok := r.Counts.OnTimeRate()
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", v*100)
}

func (r supStatRow) Avg() string {
	v, ok := r.Counts.AvgDaysToClose()
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f", v)
}

func (r supStatRow) Satisfaction() string {
	v, ok := r.Counts.SatisfactionRate()
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", v*100)
}

type supStatsData struct {
	From, To       string // as typed (to inclusive)
	Period         supervise.Period
	Total          supStatRow
	Units, Leaders []supStatRow
	Sources        []supStatRow
	Kind           string
	Kinds          []org.UnitKind
	TrendUnit      string
	TrendName      string
	CompareSVG     template.HTML
	TrendSVG       template.HTML
	TrendCountsSVG template.HTML
	Units4Trend    []org.Unit
	PeriodQ        template.URL
	Items          int
	ComputedIn     time.Duration
}

func (srv *Server) supStats(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	loc := srv.store.Calendar().Location()
	now := srv.store.Now()
	q := r.URL.Query()
	p, err := supPeriod(q, now, loc)
	if err != nil {
		if isAPI(r) {
			writeJSONError(w, http.StatusBadRequest, err.Error())
			return
		}
		srv.render(w, r, http.StatusBadRequest, "error", pageData{Title: "统计分析", Error: err.Error()})
		return
	}
	at := now
	if p.To.Before(at) {
		at = p.To
	}
	n, err := srv.supNamesOf(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	os, err := srv.store.Oversight(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	over := supervise.NewOverseers(os)
	kind := org.UnitKind(q.Get("kind"))
	if kind != org.KindTown {
		kind = org.KindDepartment
	}
	trendUnit := q.Get("unit")
	if trendUnit == "" {
		if mine := viewerUnits(v); len(mine) > 0 {
			trendUnit = mine[0]
		}
	}
	sw := srv.store.SupSweep(now)
	months := supervise.Months(at, 12)
	start := time.Now()
	var st *supervise.Stats
	var trend []supervise.Counts
	var items int
	if err := srv.supFacts.With(ctx, srv.store, func(ft *supervise.FactView) error {
		st = sw.ComputeView(ft, over, p, at)
		// Without a choice, 纵比 shows the viewer's unit if it leads items,
		// else the unit leading the most — never an empty chart by default.
		if q.Get("unit") == "" && st.Units[trendUnit] == nil {
			best := 0
			for id, c := range st.Units {
				if c.Items > best || c.Items == best && id < trendUnit {
					trendUnit, best = id, c.Items
				}
			}
		}
		trend = sw.TrendView(ft, trendUnit, months, now)
		items = ft.Len()
		return nil
	}); err != nil {
		srv.serverError(w, r, err)
		return
	}
	took := time.Since(start)
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"stats": st, "trend_unit": trendUnit, "trend": trend, "months": months})
		return
	}
	from, to := p.From.In(loc).Format("2006-01-02"), p.To.In(loc).AddDate(0, 0, -1).Format("2006-01-02")
	// Every value is query-escaped here, so the template may take the query as a
	// URL as it is (a plain string after "?" would have its = and & escaped).
	pq := template.URL("from=" + url.QueryEscape(from) + "&to=" + url.QueryEscape(to))
	d := supStatsData{From: from, To: to, Period: p, Kind: string(kind), Kinds: []org.UnitKind{org.KindDepartment, org.KindTown},
		TrendUnit: trendUnit, TrendName: n.Unit(trendUnit), PeriodQ: pq, Items: items, ComputedIn: took}
	d.Total = supStatRow{Name: "合计", Counts: st.Total, Link: pq}
	for id, c := range st.Units {
		d.Units = append(d.Units, supStatRow{Key: id, Name: n.Short(id), Counts: *c, Link: pq + template.URL("&lead="+url.QueryEscape(id))})
	}
	for id, c := range st.Leaders {
		d.Leaders = append(d.Leaders, supStatRow{Key: id, Name: srv.personName(ctx, n, id), Counts: *c, Link: pq + template.URL("&leader="+url.QueryEscape(id))})
	}
	for _, src := range supervise.AllSources() {
		if c, ok := st.Sources[src]; ok {
			d.Sources = append(d.Sources, supStatRow{Key: string(src), Name: src.Label(), Counts: *c, Link: pq + template.URL("&source="+url.QueryEscape(string(src)))})
		}
	}
	byItems := func(a, b supStatRow) int {
		if a.Counts.Items != b.Counts.Items {
			return b.Counts.Items - a.Counts.Items
		}
		return strings.Compare(a.Name, b.Name)
	}
	slices.SortFunc(d.Units, byItems)
	slices.SortFunc(d.Leaders, byItems)
	var all []org.Unit
	for _, u := range n.units {
		all = append(all, u)
		if u.Kind == org.KindTown || u.Kind == org.KindDepartment {
			d.Units4Trend = append(d.Units4Trend, u)
		}
	}
	slices.SortFunc(d.Units4Trend, func(a, b org.Unit) int { return a.Sort - b.Sort })
	ranked := supervise.Compare(st, all, kind)
	cmp := supervise.CompareChart("横比："+kind.Label()+"按期办结率", ranked, func(id string) string {
		return "/supervise/stats/items?" + string(pq) + "&metric=due&lead=" + url.QueryEscape(id)
	})
	// The chart package escapes every text it writes: its SVG is safe to embed.
	d.CompareSVG = template.HTML(cmp.Bar())
	if trendUnit != "" {
		d.TrendSVG = template.HTML(supervise.TrendChart("纵比："+n.Short(trendUnit)+"近 12 个月按期办结率", months, trend).Line())
		d.TrendCountsSVG = template.HTML(supervise.TrendCountsChart("纵比："+n.Short(trendUnit)+"近 12 个月事项数", months, trend).Bar())
	}
	srv.render(w, r, http.StatusOK, "sup_stats", pageData{Title: "督查督办统计", Nav: "supervise", Data: d})
}

// supBehind lists the items behind one figure of the statistics page.
func (srv *Server) supBehind(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	q := r.URL.Query()
	now := srv.store.Now()
	p, err := supPeriod(q, now, srv.store.Calendar().Location())
	if err != nil {
		srv.render(w, r, http.StatusBadRequest, "error", pageData{Title: "统计分析", Error: err.Error()})
		return
	}
	at := now
	if p.To.Before(at) {
		at = p.To
	}
	f := store.SupFilter{LeadUnit: q.Get("lead"), Source: supervise.Source(q.Get("source")), ActiveFrom: p.From, ActiveTo: p.To, Limit: 20000}
	if err := srv.supScope(ctx, v, &f); err != nil {
		srv.serverError(w, r, err)
		return
	}
	var keep func(*supervise.Item) bool
	if leader := q.Get("leader"); leader != "" {
		os, err := srv.store.Oversight(ctx)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		over := supervise.NewOverseers(os)
		keep = func(it *supervise.Item) bool { return slices.Contains(over.EscalateTo(it), leader) }
	}
	// Records counted in the period (extensions, urgings, verdicts) can belong
	// to items closed before it: widen the load to every item of the group.
	m := supervise.Metric(q.Get("metric"))
	if m == supervise.MetricExtensions || m == supervise.MetricUrgings || strings.HasPrefix(string(m), "satisf") {
		f.ActiveFrom, f.ActiveTo = time.Time{}, time.Time{}
	}
	items, err := srv.store.SupItemsFull(ctx, f)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	ids := srv.store.SupSweep(now).Behind(items, keep, m, p, at)
	var rows []store.SupSummary
	if len(ids) > 0 {
		if len(ids) > 1000 {
			ids = ids[:1000]
		}
		if rows, err = srv.store.SupItems(ctx, store.SupFilter{IDs: ids, Limit: 1000, Now: now}); err != nil {
			srv.serverError(w, r, err)
			return
		}
	}
	n, err := srv.supNamesOf(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := supListData{Tab: "stats", AllStates: supervise.AllStates()}
	for _, s := range rows {
		d.Rows = append(d.Rows, supListRow{SupSummary: s, LeadName: n.Short(s.LeadUnit)})
	}
	d.Total = len(d.Rows)
	srv.render(w, r, http.StatusOK, "sup_behind", pageData{Title: "统计明细", Nav: "supervise", Data: d})
}

// supBulletinData is the 督办通报 page.
type supBulletinData struct {
	B        *supervise.Bulletin
	From, To string
	States   []supervise.State
	Names    *supNames
	XLSX     string
	Lights   map[string]int
}

func (srv *Server) bulletin(ctx context.Context, v *Viewer, q url.Values) (*supervise.Bulletin, supervise.Period, error) {
	now := srv.store.Now()
	loc := srv.store.Calendar().Location()
	p, err := supPeriod(q, now, loc)
	if err != nil {
		return nil, p, err
	}
	if q.Get("from") == "" {
		// By default, the month so far.
		n := now.In(loc)
		p.From = time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc)
	}
	f := store.SupFilter{ActiveFrom: p.From, ActiveTo: p.To}
	if err := srv.supScope(ctx, v, &f); err != nil {
		return nil, p, err
	}
	items, err := srv.store.SupItemsFull(ctx, f)
	if err != nil {
		return nil, p, err
	}
	return srv.store.SupSweep(now).Bulletin(items, p, now), p, nil
}

// bulletinFor reads the 督办通报 the request asks for, with the names to show
// it; on failure it has answered (403, 400 with the reason, or 500).
func (srv *Server) bulletinFor(w http.ResponseWriter, r *http.Request) (*supervise.Bulletin, supervise.Period, *supNames, bool) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return nil, supervise.Period{}, nil, false
	}
	b, p, err := srv.bulletin(r.Context(), viewerFrom(r.Context()), r.URL.Query())
	if err != nil {
		if userError(err) {
			srv.render(w, r, http.StatusBadRequest, "error", pageData{Title: "督办通报", Error: err.Error()})
			return nil, p, nil, false
		}
		srv.serverError(w, r, err)
		return nil, p, nil, false
	}
	n, err := srv.supNamesOf(r.Context())
	if err != nil {
		srv.serverError(w, r, err)
		return nil, p, nil, false
	}
	return b, p, n, true
}

func (srv *Server) supBulletin(w http.ResponseWriter, r *http.Request) {
	b, p, n, ok := srv.bulletinFor(w, r)
	if !ok {
		return
	}
	loc := srv.store.Calendar().Location()
	from, to := p.From.In(loc).Format("2006-01-02"), p.To.In(loc).AddDate(0, 0, -1).Format("2006-01-02")
	d := supBulletinData{B: b, From: from, To: to, States: supervise.AllStates(), Names: n, XLSX: "/supervise/bulletin.xlsx?from=" + from + "&to=" + to,
		Lights: map[string]int{}}
	for k, c := range b.Lights {
		d.Lights[string(k)] = c
	}
	srv.render(w, r, http.StatusOK, "sup_bulletin", pageData{Title: "督办通报", Nav: "supervise", Data: d})
}

func (srv *Server) supBulletinXLSX(w http.ResponseWriter, r *http.Request) {
	b, p, n, ok := srv.bulletinFor(w, r)
	if !ok {
		return
	}
	loc := srv.store.Calendar().Location()
	title := fmt.Sprintf("督办通报（%s至%s）", p.From.In(loc).Format("2006年1月2日"), p.To.In(loc).AddDate(0, 0, -1).Format("2006年1月2日"))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="bulletin.xlsx"; filename*=UTF-8''`+url.PathEscape(title+".xlsx"))
	if err := supervise.WriteBulletinXLSX(w, title, b, n.Unit); err != nil {
		srv.log.Error("write bulletin", "err", err)
	}
}

// supImportData is the list import page.
type supImportData struct {
	Errors  supervise.ImportErrors
	Created int
}

func (srv *Server) supImportPage(w http.ResponseWriter, r *http.Request) {
	if supOffice(viewerFrom(r.Context())) == "" {
		srv.refuse(w, r, string(access.CreateObject), "只有督查室人员可以导入清单")
		return
	}
	srv.render(w, r, http.StatusOK, "sup_import", pageData{Title: "导入民生实事/重点工作清单", Nav: "supervise", Data: supImportData{},
		Form: url.Values{"name": {fmt.Sprintf("%d年民生实事", srv.store.Now().Year())}, "assign": {"1"}}})
}

// supImport reads an .xlsx list and registers every row as an item in one
// transaction: any bad line and nothing is imported, every problem reported.
func (srv *Server) supImport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	office := supOffice(v)
	if office == "" {
		srv.refuse(w, r, string(access.CreateObject), "只有督查室人员可以导入清单")
		return
	}
	if !srv.authorize(w, r, access.CreateObject, access.Object{Kind: "supervision_item", UnitID: office}) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 20<<20)
	fail := func(status int, msg string, errs supervise.ImportErrors, form url.Values) {
		if isAPI(r) {
			writeJSON(w, status, map[string]any{"error": msg, "rows": errs})
			return
		}
		srv.render(w, r, status, "sup_import", pageData{Title: "导入民生实事/重点工作清单", Nav: "supervise", Error: msg, Data: supImportData{Errors: errs}, Form: form})
	}
	if err := r.ParseMultipartForm(20 << 20); err != nil {
		fail(http.StatusBadRequest, "请选择不超过 20 MB 的 .xlsx 文件", nil, nil)
		return
	}
	form := r.PostForm
	file, _, err := r.FormFile("file")
	if err != nil {
		fail(http.StatusBadRequest, "请选择要导入的 .xlsx 文件", nil, form)
		return
	}
	defer file.Close()
	dir, err := srv.supDirectory(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	name := strings.TrimSpace(form.Get("name"))
	if name == "" {
		fail(http.StatusUnprocessableEntity, "请填写清单名称", nil, form)
		return
	}
	li := supervise.ListImport{Name: name, Office: office, IDPrefix: uid.New(), Now: srv.store.Now()}
	news, err := supervise.ImportListXLSX(file, "", dir, li)
	if err != nil {
		if ie, ok := err.(supervise.ImportErrors); ok {
			fail(http.StatusUnprocessableEntity, fmt.Sprintf("清单有 %d 处问题，未导入任何事项。请修改后重新导入。", len(ie)), ie, form)
			return
		}
		fail(http.StatusUnprocessableEntity, "无法读取文件："+err.Error(), nil, form)
		return
	}
	assign := form.Get("assign") != ""
	var lineErrs supervise.ImportErrors
	err = srv.store.Write(ctx, func(tx *store.Tx) error {
		for i, n := range news {
			if _, err := tx.CreateSupItem(ctx, v.Person, n, assign); err != nil {
				if userError(err) {
					lineErrs = append(lineErrs, supervise.RowError{Line: i + 2, Msg: err.Error()})
					continue
				}
				return err
			}
		}
		if len(lineErrs) > 0 {
			return lineErrs
		}
		return nil
	})
	if len(lineErrs) > 0 {
		fail(http.StatusUnprocessableEntity, fmt.Sprintf("清单有 %d 处问题，未导入任何事项。", len(lineErrs)), lineErrs, form)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusCreated, map[string]int{"created": len(news)})
		return
	}
	srv.render(w, r, http.StatusOK, "sup_import", pageData{Title: "导入民生实事/重点工作清单", Nav: "supervise",
		Notice: fmt.Sprintf("已导入 %d 件事项。", len(news)), Data: supImportData{Created: len(news)}, Form: form})
}

// supDirectory is the organization as the list import resolves supNames.
func (srv *Server) supDirectory(ctx context.Context) (supervise.Directory, error) {
	var dir supervise.Directory
	var err error
	if dir.Units, err = srv.store.Units(ctx); err != nil {
		return dir, err
	}
	for off := 0; ; off += 1000 {
		ps, err := srv.store.People(ctx, store.PeopleFilter{Limit: 1000, Offset: off})
		if err != nil {
			return dir, err
		}
		dir.People = append(dir.People, ps...)
		if len(ps) < 1000 {
			break
		}
	}
	if dir.Positions, err = srv.store.AllPositions(ctx); err != nil {
		return dir, err
	}
	dir.Heads = map[string]string{}
	for _, p := range dir.Positions {
		if _, ok := dir.Heads[p.UnitID]; !ok && p.Head {
			dir.Heads[p.UnitID] = p.PersonID
		}
	}
	return dir, nil
}
