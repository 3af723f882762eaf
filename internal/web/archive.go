package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/archive"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// 归档 (DA/T 22): the 归档文件目录 of an organ, printable and exported as
// xlsx, filtered by 年度, 保管期限 and 机构; the system administrator's
// archiving settings. The 归档 itself is the route's last step (doc page).

func (srv *Server) archiveRoutes() {
	m := srv.mux
	m.HandleFunc("GET /archive", srv.requireLogin(srv.cataloguePage))
	m.HandleFunc("GET /archive/catalogue.xlsx", srv.requireLogin(srv.catalogueXLSX))
	m.HandleFunc("GET /api/v1/archive/catalogue", srv.requireLogin(srv.catalogueAPI))
	m.HandleFunc("GET /docs/{id}/archive.zip", srv.requireLogin(srv.docArchivePackage))
	m.HandleFunc("GET /api/v1/documents/{id}/archive.zip", srv.requireLogin(srv.docArchivePackage))
	m.HandleFunc("GET /admin/archive", srv.requireLogin(srv.archiveSettingsPage))
	m.HandleFunc("POST /admin/archive", srv.requireLogin(srv.archiveSettingsSave))
}

// catalogueLine is a line of the catalogue the viewer may read.
type catalogueLine struct {
	DocID string        `json:"doc_id"`
	Code  string        `json:"code"`
	Entry archive.Entry `json:"entry"`
}

// catalogueGroup is one class of the catalogue: DA/T 22 makes a catalogue per
// 年度, 保管期限 and 机构, each headed by them.
type catalogueGroup struct {
	Fonds     string          `json:"fonds"`
	Year      int             `json:"year"`
	Retention string          `json:"retention"`
	Unit      string          `json:"unit"`
	UnitCode  string          `json:"unit_code"`
	Lines     []catalogueLine `json:"lines"`
}

type catalogueData struct {
	Organ      org.Unit
	Organs     []org.Unit
	Years      []int
	Retentions []archive.Retention
	Units      []string // 机构代码 in the organ's catalogue
	Year       int
	Retention  archive.Retention
	UnitCode   string
	Groups     []catalogueGroup
	Count      int
	Hidden     int // lines the viewer may not read, left out
	Query      string
}

// viewerOrgans are the organs of the viewer's posts and roles, the first the
// primary post's.
func viewerOrgans(v *Viewer, units map[string]org.Unit) []org.Unit {
	var ids []string
	add := func(unitID string) {
		if o := org.OrganOf(units, unitID); o != "" && !slices.Contains(ids, o) {
			ids = append(ids, o)
		}
	}
	for _, p := range v.Positions {
		add(p.UnitID)
	}
	for _, a := range v.Roles {
		if a.UnitID != "" {
			add(a.UnitID)
		}
	}
	out := make([]org.Unit, 0, len(ids))
	for _, id := range ids {
		out = append(out, units[id])
	}
	return out
}

// catalogue reads the catalogue the request asks for, keeping only the lines
// access.Decide lets the viewer read. On a refusal or a bad query it has
// answered and returns false.
func (srv *Server) catalogue(w http.ResponseWriter, r *http.Request) (catalogueData, bool) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return catalogueData{}, false
	}
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return catalogueData{}, false
	}
	q := r.URL.Query()
	d := catalogueData{Organs: viewerOrgans(v, n.units), Retentions: archive.Retentions()}
	bad := func(msg string) (catalogueData, bool) {
		if isAPI(r) {
			writeJSONError(w, http.StatusBadRequest, msg)
		} else {
			srv.render(w, r, http.StatusBadRequest, "error", pageData{Title: "归档文件目录", Error: msg})
		}
		return d, false
	}
	if id := q.Get("organ"); id != "" {
		u, ok := n.units[id]
		if !ok {
			return bad("所选机关不存在")
		}
		d.Organ = u
		if !slices.ContainsFunc(d.Organs, func(o org.Unit) bool { return o.ID == id }) {
			d.Organs = append(d.Organs, u)
		}
	} else if len(d.Organs) > 0 {
		d.Organ = d.Organs[0]
	}
	if s := q.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1949 || y > 9999 {
			return bad("年度应为四位数字")
		}
		d.Year = y
	}
	if s := q.Get("retention"); s != "" {
		rt, err := archive.ParseRetention(s)
		if err != nil {
			return bad(err.Error())
		}
		d.Retention = rt
	}
	d.UnitCode = strings.TrimSpace(q.Get("unit"))
	if d.Organ.ID == "" {
		return d, true
	}
	if d.Years, err = srv.store.CatalogueYears(ctx, d.Organ.ID); err != nil {
		srv.serverError(w, r, err)
		return d, false
	}
	recs, err := srv.store.Catalogue(ctx, store.CatalogueFilter{OrganID: d.Organ.ID, Year: d.Year, Retention: d.Retention, UnitCode: d.UnitCode, ViewerID: v.Person.ID})
	if err != nil {
		srv.serverError(w, r, err)
		return d, false
	}
	for _, a := range recs {
		if !slices.Contains(d.Units, a.Code.UnitCode) {
			d.Units = append(d.Units, a.Code.UnitCode)
		}
		o := access.Object{Kind: "document", ID: a.DocID, UnitID: a.OrganID, Level: a.Level}
		if a.Involved {
			o.Participants = []string{v.Person.ID}
		}
		if !access.Decide(v.Subject, access.ReadObject, o).Allow {
			d.Hidden++
			continue
		}
		c := a.Code
		if k := len(d.Groups) - 1; k < 0 || d.Groups[k].Year != c.Year || d.Groups[k].Retention != c.Retention.Label() || d.Groups[k].UnitCode != c.UnitCode || d.Groups[k].Fonds != c.Fonds {
			d.Groups = append(d.Groups, catalogueGroup{Fonds: c.Fonds, Year: c.Year, Retention: c.Retention.Label(), Unit: n.units[c.UnitID].Name, UnitCode: c.UnitCode})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Lines = append(g.Lines, catalogueLine{DocID: a.DocID, Code: c.String(), Entry: a.Entry})
		d.Count++
	}
	slices.Sort(d.Units)
	qs := url.Values{"organ": {d.Organ.ID}}
	if d.Year > 0 {
		qs.Set("year", strconv.Itoa(d.Year))
	}
	if d.Retention != "" {
		qs.Set("retention", string(d.Retention))
	}
	if d.UnitCode != "" {
		qs.Set("unit", d.UnitCode)
	}
	d.Query = qs.Encode()
	return d, true
}

func (srv *Server) cataloguePage(w http.ResponseWriter, r *http.Request) {
	d, ok := srv.catalogue(w, r)
	if !ok {
		return
	}
	srv.render(w, r, http.StatusOK, "archive_catalogue", pageData{Title: "归档文件目录", Nav: "archive", Data: d})
}

func (srv *Server) catalogueAPI(w http.ResponseWriter, r *http.Request) {
	d, ok := srv.catalogue(w, r)
	if !ok {
		return
	}
	groups := d.Groups
	if groups == nil {
		groups = []catalogueGroup{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"organ": d.Organ.Name, "organ_id": d.Organ.ID, "groups": groups, "count": d.Count, "hidden": d.Hidden})
}

// catalogueTitle names the catalogue: the organ and the classes chosen.
func catalogueTitle(d catalogueData) string {
	t := d.Organ.Name + "归档文件目录"
	var parts []string
	if d.Year > 0 {
		parts = append(parts, fmt.Sprintf("%d年度", d.Year))
	}
	if d.Retention != "" {
		parts = append(parts, d.Retention.Label())
	}
	if d.UnitCode != "" {
		parts = append(parts, d.UnitCode)
	}
	if len(parts) > 0 {
		t += "（" + strings.Join(parts, "，") + "）"
	}
	return t
}

func (srv *Server) catalogueXLSX(w http.ResponseWriter, r *http.Request) {
	d, ok := srv.catalogue(w, r)
	if !ok {
		return
	}
	var lines []archive.Line
	for _, g := range d.Groups {
		for _, l := range g.Lines {
			c, err := archive.ParseCode(l.Code)
			if err != nil {
				srv.serverError(w, r, err)
				return
			}
			lines = append(lines, archive.Line{Code: c, Entry: l.Entry})
		}
	}
	v := viewerFrom(r.Context())
	if err := srv.store.AuditAlone(r.Context(), audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "archive.catalogue.export",
		ObjectKind: "unit", ObjectID: d.Organ.ID, IP: clientIP(r), Detail: jsonDetail(map[string]any{"lines": len(lines), "query": d.Query})}); err != nil {
		srv.serverError(w, r, err)
		return
	}
	title := catalogueTitle(d)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="catalogue.xlsx"; filename*=UTF-8''`+url.PathEscape(title+".xlsx"))
	if err := archive.WriteCatalogueXLSX(w, title, lines); err != nil {
		srv.log.Error("write catalogue", "err", err)
	}
}

// archiveSettingsData is the settings page: the codes as lines "名称=代码"
// and the table as one choice per 文种 and direction.
type archiveSettingsData struct {
	Types      []archiveTypeRow
	Retentions []archive.Retention
	Default    archive.Retention
}

type archiveTypeRow struct {
	Type          document.DocType
	Name          string
	Outgoing, Inc archive.Retention
}

func archiveSettingsForm(s archive.Settings, units map[string]org.Unit) (archiveSettingsData, url.Values) {
	d := archiveSettingsData{Retentions: archive.Retentions(), Default: s.Table.Default}
	for _, tr := range document.Rules() {
		d.Types = append(d.Types, archiveTypeRow{Type: tr.Type, Name: tr.Name, Outgoing: s.Table.For(true, tr.Type), Inc: s.Table.For(false, tr.Type)})
	}
	labels := unitLabels(units)
	lines := func(m map[string]string) string {
		var ls []string
		for id, code := range m {
			if l, ok := labels[id]; ok {
				ls = append(ls, l+"="+code)
			}
		}
		slices.Sort(ls)
		return strings.Join(ls, "\n")
	}
	return d, url.Values{"fonds": {lines(s.Fonds)}, "unit_codes": {lines(s.UnitCodes)}}
}

// unitLabels names each unit for the settings' lines: its full name, or,
// when other units share it (every office has its 秘书科), the short name of
// the unit above and its own: 政府办/秘书科.
func unitLabels(units map[string]org.Unit) map[string]string {
	count := map[string]int{}
	for _, u := range units {
		count[u.Name]++
	}
	out := make(map[string]string, len(units))
	for id, u := range units {
		out[id] = u.Name
		if count[u.Name] > 1 {
			if p, ok := units[u.ParentID]; ok {
				out[id] = p.ShortName + "/" + u.Name
			}
		}
	}
	return out
}

// parseCodeLines reads "单位=代码" lines, a unit named by its label
// (unitLabels) or by a short name no other unit has.
func parseCodeLines(field, text string, units map[string]org.Unit) (map[string]string, error) {
	byName := map[string][]string{}
	for id, l := range unitLabels(units) {
		byName[l] = append(byName[l], id)
		if u := units[id]; u.ShortName != l {
			byName[u.ShortName] = append(byName[u.ShortName], id)
		}
	}
	out := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, code, ok := strings.Cut(strings.ReplaceAll(line, "＝", "="), "=")
		name, code = strings.TrimSpace(name), strings.TrimSpace(code)
		if !ok || name == "" || code == "" {
			return nil, fmt.Errorf("%s第 %d 行应写作“单位名称=代码”", field, i+1)
		}
		ids := byName[name]
		slices.Sort(ids)
		ids = slices.Compact(ids)
		switch {
		case len(ids) == 0:
			return nil, fmt.Errorf("%s第 %d 行：没有名为“%s”的单位", field, i+1, name)
		case len(ids) > 1:
			return nil, fmt.Errorf("%s第 %d 行：“%s”不止一个单位，请写全称，或写作“上级单位简称/%s”", field, i+1, name, name)
		}
		out[ids[0]] = code
	}
	return out, nil
}

func (srv *Server) archiveSettingsPage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	ctx := r.Context()
	s, err := srv.store.ArchiveSettings(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d, f := archiveSettingsForm(s, n.units)
	srv.render(w, r, http.StatusOK, "archive_settings", pageData{Title: "归档设置", Nav: "archive-settings", Data: d, Form: f})
}

func (srv *Server) archiveSettingsSave(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSettings, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	f := r.PostForm
	s, err := settingsFromForm(f, n.units)
	if err == nil {
		err = srv.store.Write(ctx, func(tx *store.Tx) error { return tx.PutArchiveSettings(ctx, v.Person, s) })
	}
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		cur, _ := srv.store.ArchiveSettings(ctx)
		d, _ := archiveSettingsForm(cur, n.units)
		srv.render(w, r, http.StatusUnprocessableEntity, "archive_settings", pageData{Title: "归档设置", Nav: "archive-settings", Data: d, Form: f, Error: userMessage(err)})
		return
	}
	d, form := archiveSettingsForm(s, n.units)
	srv.render(w, r, http.StatusOK, "archive_settings", pageData{Title: "归档设置", Nav: "archive-settings", Data: d, Form: form, Notice: "归档设置已保存；已归档的文件保留原档号。"})
}

func settingsFromForm(f url.Values, units map[string]org.Unit) (archive.Settings, error) {
	var s archive.Settings
	var err error
	if s.Fonds, err = parseCodeLines("全宗号", f.Get("fonds"), units); err != nil {
		return s, err
	}
	if s.UnitCodes, err = parseCodeLines("机构（问题）代码", f.Get("unit_codes"), units); err != nil {
		return s, err
	}
	if s.Table.Default, err = archive.ParseRetention(f.Get("default")); err != nil {
		return s, err
	}
	for _, tr := range document.Rules() {
		for _, dir := range []string{archive.Outgoing, archive.Incoming} {
			v := f.Get(dir + "." + string(tr.Type))
			if v == "" {
				continue
			}
			rt, err := archive.ParseRetention(v)
			if err != nil {
				return s, fmt.Errorf("%s：%w", tr.Name, err)
			}
			s.Table.Rules = append(s.Table.Rules, archive.Rule{Direction: dir, Type: tr.Type, Retention: rt})
		}
	}
	return s, nil
}

// archivePanel is what the document page shows of 归档: at the 归档 step the
// 档号 each 保管期限 would give (the table's first) and the 页数 counted from
// the issued PDF; once archived, its 档号.
type archivePanel struct {
	Record  *store.ArchiveRecord
	Options []archiveOption
	Pages   int
}

type archiveOption struct {
	Retention archive.Retention
	Code      string
	Default   bool
}

func (srv *Server) archivePanel(ctx context.Context, rec store.DocRecord, files []store.DocFile, atStep bool) (*archivePanel, error) {
	a, ok, err := srv.store.Archived(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	if ok {
		return &archivePanel{Record: &a}, nil
	}
	if !atStep {
		return nil, nil
	}
	p := &archivePanel{}
	plans, def, err := srv.store.ArchivePlans(ctx, rec)
	if err != nil {
		return nil, err
	}
	for _, c := range plans {
		p.Options = append(p.Options, archiveOption{Retention: c.Retention, Code: c.String(), Default: c.Retention == def})
	}
	p.Pages = srv.issuedPages(files)
	return p, nil
}

// issuedPages counts the pages of the issued PDF, 0 when there is none.
func (srv *Server) issuedPages(files []store.DocFile) int {
	bs, err := srv.blobs()
	if err != nil {
		return 0
	}
	for _, f := range files {
		if f.Role != string(document.FileIssued) || f.MediaType != "application/pdf" {
			continue
		}
		fh, err := bs.Open(f.SHA256)
		if err != nil {
			return 0
		}
		b, err := io.ReadAll(io.LimitReader(fh, 64<<20))
		fh.Close()
		if err != nil {
			return 0
		}
		return archive.PDFPages(b)
	}
	return 0
}
