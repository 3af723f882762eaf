package web

import (
	"bytes"
	"cmp"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/drafting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// Drafting from precedents (起草助手): the draft editor's side panel lists
// the organ's earlier documents like the draft (refreshed by htmx as the
// title changes) and, for a selected paragraph, the most similar paragraphs
// of earlier documents; one click inserts one at the cursor. The paragraph
// goes into the 正文 (and is proofread with it on save); where it came from
// — （参照：清政办发〔2025〕12号《…》） — goes into the version's note, so it
// is kept in the draft's revision history and never printed (docs/search.md).

func (srv *Server) precedentRoutes() {
	m := srv.mux
	m.HandleFunc("GET /precedents", srv.requireLogin(srv.precedents))
	m.HandleFunc("GET /api/v1/precedents", srv.requireLogin(srv.precedents))
	m.HandleFunc("POST /api/v1/precedents/insert", srv.requireLogin(srv.precedentInsert))
}

// precedentLimit is how many precedents the panel shows.
const precedentLimit = 6

// precedentView is an earlier document as the panel and the API show it.
type precedentView struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Number  string `json:"number,omitempty"`
	Date    string `json:"date"`
	Level   string `json:"level,omitempty"`
	URL     string `json:"url"`
	Snippet string `json:"snippet,omitempty"`
	// Paragraph is the index of the snippet's paragraph, for inserting it;
	// -1 when there is none.
	Paragraph int     `json:"paragraph"`
	Score     float64 `json:"score"`
}

// precedentParagraphView is a paragraph of an earlier document.
type precedentParagraphView struct {
	Document  precedentView `json:"document"`
	Paragraph int           `json:"paragraph"`
	Text      string        `json:"text"`
	Score     float64       `json:"score"`
}

type precedentData struct {
	DocID      string // the draft the panel is beside ("" while a draft is new)
	Asked      bool   // a paragraph was asked about
	NoTitle    bool   // nothing to ask yet: a new draft with no title
	Documents  []precedentView
	Paragraphs []precedentParagraphView
}

func precedentViewOf(p store.Precedent) precedentView {
	v := precedentView{ID: p.ID, Title: p.Title, Number: p.Number, Date: p.Date, URL: "/docs/" + p.ID,
		Snippet: p.Snippet, Paragraph: p.SnippetN, Score: p.Score}
	if p.Level > org.Unclassified {
		v.Level = p.Level.Label()
	}
	return v
}

// precedents answers the panel (HTML for htmx) and GET /api/v1/precedents:
// doc names the draft being edited (its organ, 文种 and 正文 are asked
// about; reading it is decided first), or unit the drafting unit of a new
// draft; type and title are the form's as they stand; para a selected
// paragraph, asking for paragraphs like it instead of documents.
func (srv *Server) precedents(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	qv := r.URL.Query()
	title := strings.TrimSpace(qv.Get("title"))
	para := strings.TrimSpace(qv.Get("para"))
	if utf8.RuneCountInString(title) > 200 || utf8.RuneCountInString(para) > drafting.MaxParagraphRunes {
		srv.precedentFail(w, r, http.StatusBadRequest, "标题不超过 200 字，所选段落不超过 "+strconv.Itoa(drafting.MaxParagraphRunes)+" 字")
		return
	}
	q := store.PrecedentQuery{DocType: qv.Get("type"), Title: title, Paragraph: para, Limit: precedentLimit}
	d := precedentData{Asked: para != ""}
	if id := qv.Get("doc"); id != "" {
		rec, err := srv.store.Document(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			srv.precedentFail(w, r, http.StatusNotFound, "文件不存在")
			return
		}
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		ok, err := srv.mayReadDoc(ctx, r, rec, "precedents")
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		if !ok {
			srv.precedentFail(w, r, http.StatusForbidden, "无权查看该文件")
			return
		}
		d.DocID, q.OrganID, q.ExcludeID, q.Body = rec.ID, rec.OrganID, rec.ID, rec.Doc.Body.String()
		if q.DocType == "" {
			q.DocType = string(rec.Doc.Type)
		}
		if q.Title == "" {
			q.Title = rec.Doc.Title
		}
	} else {
		_, byID, err := srv.unitRows(ctx)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		// The organ of the chosen drafting unit (the new draft's form
		// sends unit_id), or of the viewer's first.
		unit := cmp.Or(qv.Get("unit"), qv.Get("unit_id"))
		for i, u := range srv.creatableUnits(v, byID, false) {
			if i == 0 || u.ID == unit {
				q.OrganID = organOf(byID, u.ID)
			}
		}
	}
	d.NoTitle = q.Title == "" && para == ""
	if q.OrganID != "" && !d.NoTitle {
		var err error
		if para != "" {
			var ps []store.PrecedentParagraph
			ps, err = srv.store.PrecedentParagraphs(ctx, v.Subject, q)
			for _, p := range ps {
				d.Paragraphs = append(d.Paragraphs, precedentParagraphView{Document: precedentViewOf(p.Doc), Paragraph: p.N, Text: p.Text, Score: p.Score})
			}
		} else {
			var ps []store.Precedent
			ps, err = srv.store.Precedents(ctx, v.Subject, q)
			for _, p := range ps {
				d.Documents = append(d.Documents, precedentViewOf(p))
			}
		}
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
	}
	if isAPI(r) {
		if d.Asked {
			writeJSON(w, http.StatusOK, map[string]any{"paragraphs": orEmpty(d.Paragraphs)})
		} else {
			writeJSON(w, http.StatusOK, map[string]any{"documents": orEmpty(d.Documents)})
		}
		return
	}
	srv.precedentHTML(w, r, http.StatusOK, d)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// precedentHTML writes the panel's list (the precedents template's
// "precedent_list" block), for htmx to swap in.
func (srv *Server) precedentHTML(w http.ResponseWriter, r *http.Request, status int, d precedentData) {
	t, ok := srv.pages.byName["precedents"]
	if !ok {
		srv.serverError(w, r, errors.New("no template precedents"))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "precedent_list", d); err != nil {
		srv.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// precedentFail answers a refusal: JSON for the API, a line in the panel.
func (srv *Server) precedentFail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if isAPI(r) {
		writeJSONError(w, status, msg)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`<p class="alert err">` + template.HTMLEscapeString(msg) + `</p>`))
}

// precedentInsertRequest names a paragraph of an earlier document to insert
// into a draft.
type precedentInsertRequest struct {
	Document  string `json:"document"`  // the draft
	Source    string `json:"source"`    // the earlier document
	Paragraph int    `json:"paragraph"` // its index in the source's 正文
}

// precedentInsert gives the holder of a draft's open task the paragraph to
// insert and its source note, and records the insertion (audit, with no
// title: the auditor may not read either document). Reading the draft and
// the source are decided first; a refusal of either is audited.
func (srv *Server) precedentInsert(w http.ResponseWriter, r *http.Request) {
	var in precedentInsertRequest
	if !decodeJSON(w, r, &in) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	r.SetPathValue("id", in.Document)
	od, ok := srv.openDoc(w, r, "precedent insert")
	if !ok {
		return
	}
	if od.rec.Direction != store.Outgoing || od.rec.Doc.Number != nil || !srv.holds(ctx, od) {
		writeJSONError(w, http.StatusForbidden, "只有当前办理人可以修改未编号的文稿")
		return
	}
	src, err := srv.store.Document(ctx, in.Source)
	if errors.Is(err, store.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, "参照的文件不存在")
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if ok, err := srv.mayReadDoc(ctx, r, src, "precedent"); err != nil || !ok {
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		writeJSONError(w, http.StatusForbidden, "无权查看参照的文件")
		return
	}
	p, err := srv.store.PrecedentParagraph(ctx, v.Subject, src.ID, in.Paragraph)
	if errors.Is(err, store.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, "参照的段落不存在")
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	err = srv.store.AuditAlone(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "document.precedent_insert",
		ObjectKind: "document", ObjectID: od.rec.ID, IP: clientIP(r),
		Detail: jsonDetail(map[string]any{"source": src.ID, "paragraph": p.N})})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"text": p.Text, "note": drafting.SourceNote(p.Doc.Number, p.Doc.Title),
		"source": precedentViewOf(p.Doc), "paragraph": p.N})
}
