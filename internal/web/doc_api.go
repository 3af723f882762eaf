package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The JSON API of documents: the same operations, the same access decisions
// and the same store calls as the pages.

func (srv *Server) docAPIRoutes() {
	m := srv.mux
	m.HandleFunc("GET /api/v1/documents", srv.requireLogin(srv.apiDocList))
	m.HandleFunc("POST /api/v1/documents", srv.requireLogin(srv.apiDocCreate))
	m.HandleFunc("POST /api/v1/documents/sign-for", srv.requireLogin(srv.apiDocSignFor))
	m.HandleFunc("POST /api/v1/incoming", srv.requireLogin(srv.apiIncomingCreate))
	m.HandleFunc("GET /api/v1/documents/{id}", srv.requireLogin(srv.apiDocGet))
	m.HandleFunc("GET /api/v1/documents/{id}/versions", srv.requireLogin(srv.apiDocVersions))
	m.HandleFunc("POST /api/v1/documents/{id}/classification", srv.requireLogin(srv.apiDocClassify))
	m.HandleFunc("POST /api/v1/documents/{id}/versions", srv.requireLogin(srv.apiDocSave))
	m.HandleFunc("GET /api/v1/documents/{id}/diff", srv.requireLogin(srv.apiDocDiff))
	m.HandleFunc("POST /api/v1/documents/{id}/act", srv.requireLogin(srv.apiDocAct))
	m.HandleFunc("GET /api/v1/documents/{id}/annotations", srv.requireLogin(srv.apiDocAnnotations))
	m.HandleFunc("POST /api/v1/documents/{id}/annotations", srv.requireLogin(srv.apiDocAnnotate))
	m.HandleFunc("POST /api/v1/documents/{id}/annotations/{aid}/resolve", srv.requireLogin(srv.apiDocResolve))
	m.HandleFunc("GET /api/v1/documents/{id}/files", srv.requireLogin(docListAPI(srv, "files", srv.store.Files)))
	m.HandleFunc("POST /api/v1/documents/{id}/files", srv.requireLogin(srv.docFileAddAPI))
	m.HandleFunc("GET /api/v1/documents/{id}/files/{sha}", srv.requireLogin(srv.docFile))
}

func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSONError(w, http.StatusBadRequest, "请求体不是有效的 JSON："+err.Error())
		return false
	}
	return true
}

func (srv *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	msg, status, internal := actError(err)
	if internal {
		srv.serverError(w, r, err)
		return
	}
	writeJSONError(w, status, msg)
}

// apiDocList is one page of a list (tab, q, dir, state; after: the cursor
// the previous page returned as "next"), with the four lists' exact counts.
func (srv *Server) apiDocList(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	a, err := srv.store.Actor(ctx, v.Person.ID, srv.store.Now())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	f := filterFrom(r)
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 200 {
		limit = listPage
	}
	c, err := srv.docCounts(ctx, v.Subject, a)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	rows, next, err := srv.docListPage(ctx, v.Subject, a, f, limit)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if rows == nil {
		rows = []docRow{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"filter": f, "documents": rows, "next": next,
		"counts": map[string]int{"todo": c.Todo, "to_read": c.ToRead, "done": c.Done, "closed": c.Closed}, "count_limit": countLimit})
}

type apiNewOutgoing struct {
	UnitID    string            `json:"unit_id"`
	IssuerID  string            `json:"issuer_id,omitempty"`  // 以…名义: an organ the drafting unit's office serves
	SealIDs   *[]string         `json:"seal_ids,omitempty"`   // 加盖印章: the issuing organs' seals, [] for none; absent: not chosen
	CoIssuers []string          `json:"co_issuers,omitempty"` // 联合发文: the organs issuing it jointly, in order
	Document  document.Document `json:"document"`
	To        []string          `json:"to"`
	CC        []string          `json:"cc"`
}

func (srv *Server) apiDocCreate(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	var in apiNewOutgoing
	if !decodeJSON(w, r, &in) {
		return
	}
	_, units, err := srv.unitRows(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if !srv.authorize(w, r, access.CreateObject, access.Object{Kind: "document", UnitID: organOf(units, in.UnitID), Level: org.Classification(in.Document.Classification.Level)}) {
		return
	}
	doc := in.Document
	doc.To, doc.CC = nil, nil
	for _, id := range in.To {
		doc.To = append(doc.To, units[id].Name)
	}
	for _, id := range in.CC {
		doc.CC = append(doc.CC, units[id].Name)
	}
	issuer := in.IssuerID
	if issuer == "" {
		issuer = organOf(units, in.UnitID)
	}
	withOrganDefaults(&doc, units[issuer])
	if err := document.CheckLimits(doc); err != nil {
		srv.apiFail(w, r, err)
		return
	}
	if fs := document.Validate(doc, document.Drafting); document.HasErrors(fs) {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": "文稿未通过校验", "findings": fs})
		return
	}
	var rec store.DocRecord
	err = srv.store.Write(ctx, func(tx *store.Tx) (err error) {
		rec, err = tx.CreateOutgoing(ctx, v.Person, store.NewOutgoing{UnitID: in.UnitID, IssuerID: in.IssuerID, CoIssuers: in.CoIssuers, Doc: doc, To: in.To, CC: in.CC})
		if err == nil && in.SealIDs != nil {
			if _, err = tx.ChooseSeals(ctx, v.Person, rec.ID, *in.SealIDs); err == nil {
				rec, err = tx.Document(ctx, rec.ID)
			}
		}
		return err
	})
	if err != nil {
		srv.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rec)
}

type apiNewIncoming struct {
	UnitID   string            `json:"unit_id"`
	Sender   string            `json:"sender"`
	Document document.Document `json:"document"`
}

func (srv *Server) apiIncomingCreate(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	var in apiNewIncoming
	if !decodeJSON(w, r, &in) {
		return
	}
	_, units, err := srv.unitRows(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if !srv.authorize(w, r, access.CreateObject, access.Object{Kind: "document", UnitID: organOf(units, in.UnitID), Level: org.Classification(in.Document.Classification.Level)}) {
		return
	}
	rec, err := srv.store.RegisterPaper(ctx, viewerFrom(ctx).Person, in.UnitID, in.Document, in.Sender)
	if err != nil {
		srv.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rec)
}

// apiDoc is one document as the API returns it.
type apiDoc struct {
	Document    store.DocRecord       `json:"document"`
	Route       route.Instance        `json:"route"`
	Track       []route.TrackRow      `json:"track"`
	Flags       []route.Flag          `json:"flags"`
	Files       []store.DocFile       `json:"files"`
	Recipients  []store.Recipient     `json:"recipients"`
	Findings    []document.Finding    `json:"findings"`
	MyTasks     []int                 `json:"my_tasks"`
	Annotations []document.Annotation `json:"annotations"`
}

func (srv *Server) apiDocGet(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	ctx := r.Context()
	eng := route.Engine{Calendar: srv.store.Calendar()}
	now := srv.store.Now()
	out := apiDoc{Document: od.rec, Route: od.in, Track: eng.Track(od.in, now), Flags: eng.Flags(od.in, now), MyTasks: []int{}}
	var err error
	if out.Files, err = srv.store.Files(ctx, od.rec.ID); err != nil {
		srv.serverError(w, r, err)
		return
	}
	if out.Recipients, err = srv.store.Recipients(ctx, od.rec.ID); err != nil {
		srv.serverError(w, r, err)
		return
	}
	if out.Annotations, err = srv.annotationsFor(r, od); err != nil {
		srv.serverError(w, r, err)
		return
	}
	if od.rec.Direction == store.Outgoing {
		out.Findings = document.Validate(od.rec.Doc, document.Drafting)
	}
	if od.in.Status == route.Active {
		var d docPageData
		n, err := srv.names(ctx)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		srv.fillActions(&d, od.in, od.actor, n, now)
		for _, t := range d.Mine {
			out.MyTasks = append(out.MyTasks, t.ID)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (srv *Server) apiDocSave(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	var in struct {
		Document document.Document `json:"document"`
		Note     string            `json:"note"`
		// BaseVersion, when given, is the version the edit started from:
		// if someone saved since, the answer is 409 and nothing is saved.
		BaseVersion *int `json:"base_version"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	// Elements a client leaves out keep their stored value rather than
	// silently vanishing from the next version. The marking is not changed
	// by a save (POST …/classification does that): a document sent without
	// one keeps its own, one sent with another is refused.
	if in.Document.Classification == (document.Classification{}) {
		in.Document.Classification = od.rec.Doc.Classification
	}
	if in.Document.IssuerMark == "" {
		in.Document.IssuerMark = od.rec.Doc.IssuerMark
	}
	if in.Document.Signatures == nil {
		in.Document.Signatures = od.rec.Doc.Signatures
	}
	if in.Document.Type == "" {
		in.Document.Type = od.rec.Doc.Type
	}
	ctx := r.Context()
	var n int
	var err error
	if in.BaseVersion != nil {
		n, err = srv.store.SaveDraftFrom(ctx, viewerFrom(ctx).Person, od.rec.ID, *in.BaseVersion, in.Document, in.Note)
	} else {
		n, err = srv.store.SaveDraft(ctx, viewerFrom(ctx).Person, od.rec.ID, in.Document, in.Note)
	}
	if err != nil {
		srv.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int{"version": n})
}

func (srv *Server) apiDocDiff(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	q := r.URL.Query()
	rl, _, err := srv.redline(r, od, q.Get("from"), q.Get("to"))
	var refused errVersionRefused
	if errors.As(err, &refused) {
		writeJSONError(w, http.StatusForbidden, refused.reason)
		return
	}
	if err != nil {
		writeJSONError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, rl)
}

// annotationsFor reads the 批注 as the viewer may see them (readableQuotes).
func (srv *Server) annotationsFor(r *http.Request, od openedDoc) ([]document.Annotation, error) {
	anns, err := srv.store.Annotations(r.Context(), od.rec.ID)
	if err != nil {
		return nil, err
	}
	vs, err := srv.store.Versions(r.Context(), od.rec.ID)
	if err != nil {
		return nil, err
	}
	return readableQuotes(viewerFrom(r.Context()), od, anns, vs), nil
}

// apiDocVersions lists the versions; one above what the viewer may read (it
// keeps its own 密级) is listed without its note, which may quote the text.
func (srv *Server) apiDocVersions(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	vs, err := srv.store.Versions(r.Context(), od.rec.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	v := viewerFrom(r.Context())
	for i := range vs {
		if !mayReadVersion(v, od, org.Classification(vs[i].Level)) {
			vs[i].Note = ""
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": vs})
}

func (srv *Server) apiDocAct(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	// otp: the 动态口令 that unlocks the signing key, for an opinion that is
	// signed, when the person has enrolled one.
	var body struct {
		route.Request
		OTP string `json:"otp"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	ctx := r.Context()
	rec, err := srv.act(ctx, viewerFrom(ctx).Person, od, body.Request, body.OTP)
	if err != nil {
		srv.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (srv *Server) apiDocSignFor(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	var in struct {
		Items []struct {
			Document string `json:"document"`
			Task     int    `json:"task"`
		} `json:"items"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	var items []string
	for _, it := range in.Items {
		items = append(items, it.Document+":"+strconv.Itoa(it.Task))
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": srv.signForAll(r, items)})
}

func (srv *Server) apiDocAnnotations(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	anns, err := srv.annotationsFor(r, od)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"annotations": anns, "text": od.rec.Doc.Text(), "version": od.rec.Version})
}

func (srv *Server) apiDocAnnotate(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	var in struct {
		Start   int    `json:"start"`
		End     int    `json:"end"`
		Comment string `json:"comment"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	if !od.involved {
		writeJSONError(w, http.StatusForbidden, "只有参与办理的人员可以批注")
		return
	}
	ctx := r.Context()
	a, err := srv.store.Annotate(ctx, viewerFrom(ctx).Person, od.rec.ID, in.Start, in.End, strings.TrimSpace(in.Comment))
	if err != nil {
		srv.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (srv *Server) apiDocResolve(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	if !od.involved {
		writeJSONError(w, http.StatusForbidden, "只有参与办理的人员可以处理批注")
		return
	}
	ctx := r.Context()
	err := srv.store.ResolveAnnotation(ctx, viewerFrom(ctx).Person, od.rec.ID, r.PathValue("aid"))
	if errors.Is(err, store.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, "批注不存在")
		return
	}
	if err != nil {
		srv.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// docFileAddAPI takes a multipart upload (field "files", optional "role":
// attachment or scan) from the holder of an open task.
func (srv *Server) docFileAddAPI(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	ctx := r.Context()
	err := parseUpload(r)
	if err == nil && !srv.holds(ctx, od) {
		err = errors.New("只有当前办理人可以添加附件")
	}
	var atts []document.Attachment
	if err == nil {
		if atts, err = srv.uploads(r, "files", od.rec.Level()); err == nil && len(atts) == 0 {
			err = errors.New("请选择文件")
		}
	}
	role := "attachment"
	if r.FormValue("role") == "scan" {
		role = "scan"
	}
	var added []store.DocFile
	for _, a := range atts {
		if err != nil {
			break
		}
		f := store.DocFile{DocID: od.rec.ID, SHA256: a.SHA256, Name: a.Name, Role: role, Size: a.Size, MediaType: a.MediaType}
		if err = srv.store.AddFile(ctx, viewerFrom(ctx).Person, f); err == nil {
			added = append(added, f)
		}
	}
	if err != nil {
		srv.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"files": added})
}

// docListAPI answers GET on one of a document's lists (versions, files): the
// document is opened as for reading (access decided, classified openings
// audited), then the list is read and sent as {key: [...]}.
func docListAPI[T any](srv *Server, key string, read func(ctx context.Context, docID string) ([]T, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		od, ok := srv.openDoc(w, r, "api")
		if !ok {
			return
		}
		list, err := read(r.Context(), od.rec.ID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{key: list})
	}
}
