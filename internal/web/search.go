package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/search"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// searchRoutes registers 检索: the results page, the search box's
// suggestions and the JSON API.
func (srv *Server) searchRoutes() {
	m := srv.mux
	m.HandleFunc("GET /search", srv.requireLogin(srv.searchPage))
	m.HandleFunc("GET /search/suggest", srv.requireLogin(srv.searchSuggest))
	m.HandleFunc("GET /api/v1/search", srv.requireLogin(srv.searchPage))
}

// searchPageSize is how many hits a page shows.
const searchPageSize = 20

// searchHit is one hit as the page and the API show it.
type searchHit struct {
	Kind      string           `json:"kind"`
	KindLabel string           `json:"kind_label"`
	ID        string           `json:"id"`
	Title     string           `json:"title"`
	URL       string           `json:"url"`
	Number    string           `json:"number,omitempty"`
	Unit      string           `json:"unit,omitempty"`
	DocType   string           `json:"doc_type,omitempty"`
	State     string           `json:"state,omitempty"`
	Level     string           `json:"level,omitempty"`
	At        time.Time        `json:"updated_at,omitzero"`
	Snippet   string           `json:"snippet"`
	Marks     []search.Segment `json:"snippet_marked"`
	TitleMark []search.Segment `json:"title_marked"`
}

type searchData struct {
	Q       string
	Total   int
	Capped  bool
	Hits    []searchHit
	Facets  search.Facets
	Page    int
	Prev    string
	Next    string
	Asked   bool
	Filters []string
}

// FacetURL is the page's query narrowed by key:value.
func (d searchData) FacetURL(key, value string) string {
	return "/search?q=" + url.QueryEscape(strings.TrimSpace(d.Q+" "+key+":"+value))
}

// runSearch parses q and runs it for the viewer; a query that cannot be
// read is a *search error (its message fit to show).
func (srv *Server) runSearch(r *http.Request, raw string, limit, offset int) (store.SearchResult, search.Query, error) {
	ctx := r.Context()
	lex, err := srv.store.SearchLexicon(ctx)
	if err != nil {
		return store.SearchResult{}, search.Query{}, err
	}
	q, err := search.Parse(raw, lex)
	if err != nil {
		return store.SearchResult{}, q, err
	}
	res, err := srv.store.Search(ctx, viewerFrom(ctx).Subject, q, limit, offset)
	return res, q, err
}

func (srv *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewDirectory, access.Object{}) {
		return
	}
	raw := strings.TrimSpace(r.URL.Query().Get("q"))
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(1, min(page, 100))
	d := searchData{Q: raw, Page: page, Asked: raw != ""}
	fail := func(msg string) {
		if isAPI(r) {
			writeJSONError(w, http.StatusBadRequest, msg)
			return
		}
		srv.render(w, r, http.StatusBadRequest, "search", pageData{Title: "检索", Nav: "search", Data: d, Error: msg})
	}
	var res store.SearchResult
	if raw != "" {
		var err error
		res, _, err = srv.runSearch(r, raw, searchPageSize, (page-1)*searchPageSize)
		if errors.Is(err, search.ErrQuery) {
			fail(err.Error())
			return
		}
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
	}
	d.Total, d.Capped, d.Facets = res.Total, res.Capped, res.Facets
	for _, h := range res.Hits {
		d.Hits = append(d.Hits, hitView(h))
	}
	if d.Hits == nil {
		d.Hits = []searchHit{}
	}
	if page > 1 {
		d.Prev = "/search?q=" + url.QueryEscape(raw) + "&page=" + strconv.Itoa(page-1)
	}
	if page*searchPageSize < d.Total {
		d.Next = "/search?q=" + url.QueryEscape(raw) + "&page=" + strconv.Itoa(page+1)
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"query": raw, "total": d.Total, "capped": d.Capped, "page": page,
			"results": d.Hits, "facets": d.Facets})
		return
	}
	srv.render(w, r, http.StatusOK, "search", pageData{Title: "检索", Nav: "search", Data: d})
}

func hitView(h search.Hit) searchHit {
	v := searchHit{Kind: h.Kind, KindLabel: search.KindLabel(h.Kind), ID: h.ID, Title: h.Title, Number: h.Number, Unit: h.UnitName,
		Marks: h.Snippet, TitleMark: h.Highlight}
	var b strings.Builder
	for _, s := range h.Snippet {
		b.WriteString(s.Text)
	}
	v.Snippet = b.String()
	switch h.Kind {
	case search.KindDocument:
		v.URL = "/docs/" + h.ID
		v.DocType, v.Level = h.DocType, org.Classification(h.Level).Label()
		switch h.State {
		case search.StateActive:
			v.State = "办理中"
		case search.StateDone:
			v.State = "办结"
		}
		v.At = h.At
	case search.KindSupervision, search.KindResearch:
		v.URL = map[string]string{search.KindSupervision: "/supervise/items/", search.KindResearch: "/research/"}[h.Kind] + url.PathEscape(h.ID)
		v.State = map[string]string{search.StateActive: "办理中", search.StateDone: "办结"}[h.State]
		v.At = h.At
	case search.KindMeeting, search.KindInfo:
		v.URL = map[string]string{search.KindMeeting: "/meetings/", search.KindInfo: "/info/"}[h.Kind] + url.PathEscape(h.ID)
		v.Level = org.Classification(h.Level).Label()
		v.At = h.At
	case search.KindModelText:
		v.URL = "/study/library/" + url.PathEscape(h.ID)
		v.DocType = h.DocType
		v.At = h.At
	case search.KindDutyLog:
		roster, date, _ := strings.Cut(h.ID, "/")
		v.URL = "/duty/rosters/" + url.PathEscape(roster) + "/shifts/" + url.PathEscape(date)
		v.State = map[string]string{search.StateActive: "值班中", search.StateDone: "已提交"}[h.State]
		v.At = h.At
	case search.KindRequest:
		v.URL = "/requests/" + url.PathEscape(h.ID)
		v.State = map[string]string{search.StateActive: "办理中", search.StateDone: "办结"}[h.State]
		v.At = h.At
	case search.KindStudyPlan:
		v.URL = "/study" // plans are shown on the study page
		v.At = h.At
	case search.KindMaterial:
		meetingID, seq, _ := strings.Cut(h.ID, "/")
		v.URL = "/meetings/" + url.PathEscape(meetingID) + "/agenda/" + url.PathEscape(seq)
		v.Level = org.Classification(h.Level).Label()
		v.At = h.At
	case search.KindTraining:
		v.URL = "/study/trainings/" + url.PathEscape(h.ID)
		v.State = map[string]string{search.StateDone: "已取消"}[h.State]
		v.At = h.At
	case search.KindPerson:
		v.URL = "/people/" + h.ID
	case search.KindUnit:
		v.URL = "/org?unit=" + url.QueryEscape(h.ID)
	}
	return v
}

// searchSuggest answers the search box's drop-down: the titles of the
// first hits of the same search, so they obey the same permissions.
func (srv *Server) searchSuggest(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewDirectory, access.Object{}) {
		return
	}
	raw := strings.TrimSpace(r.URL.Query().Get("q"))
	var titles []string
	if raw != "" {
		res, _, err := srv.runSearch(r, raw, 8, 0)
		if err != nil && !errors.Is(err, search.ErrQuery) {
			srv.serverError(w, r, err)
			return
		}
		for _, h := range res.Hits {
			titles = append(titles, h.Title)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	var b strings.Builder
	for _, t := range titles {
		b.WriteString(`<option value="` + template.HTMLEscapeString(t) + `"></option>`)
	}
	_, _ = w.Write([]byte(b.String()))
}
