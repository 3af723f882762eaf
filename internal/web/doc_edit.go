package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// holds reports whether the viewer holds an open task on the document (in
// their own right or for a leader who delegated to them).
func (srv *Server) holds(ctx context.Context, od openedDoc) bool {
	if od.in.Status != route.Active {
		return false
	}
	var d docPageData
	srv.fillActions(&d, od.in, od.actor, &names{people: map[string]string{}, s: srv.store, ctx: ctx}, srv.store.Now())
	return len(d.Mine) > 0
}

type docEditData struct {
	Rec         store.DocRecord
	Versions    []versionRow
	Annotations []annotationRow
	Text        string
	CanEdit     bool
	Watermark   string
	Types       []typeOption
	Findings    []document.Finding
	Proofread   template.HTML // findings highlighted, accepted with one click
}

type versionRow struct {
	N      int
	Author string
	Note   string
	At     time.Time
	Level  string // the version's own 密级, when classified
	Hidden bool   // above what the viewer may read: no note, no comparing
}

type annotationRow struct {
	document.Annotation
	AuthorName string
}

func (srv *Server) docEdit(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "edit")
	if !ok {
		return
	}
	notice := ""
	if n := r.URL.Query().Get("saved"); n != "" {
		notice = "已保存为第 " + n + " 版。"
	}
	if r.URL.Query().Get("annotated") != "" {
		notice = "批注已添加。"
	}
	srv.renderEdit(w, r, http.StatusOK, od, "", notice, nil)
}

func docForm(doc document.Document) url.Values {
	return url.Values{"type": {string(doc.Type)}, "title": {doc.Title}, "body": {doc.Body.String()}, "note": {doc.Note},
		"attachment_note": {strings.Join(doc.AttachmentNote, "\n")}, "urgency": {doc.Urgency.Label()},
		"level": {strconv.Itoa(int(doc.Classification.Level))}, "period": {periodText(doc.Classification.PeriodYears)}}
}

func periodText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func (srv *Server) renderEdit(w http.ResponseWriter, r *http.Request, status int, od openedDoc, errMsg, notice string, form url.Values) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := docEditData{Rec: od.rec, Text: od.rec.Doc.Text(), CanEdit: od.rec.Direction == store.Outgoing && od.rec.Doc.Number == nil && srv.holds(r.Context(), od),
		Watermark: srv.watermark(v, od.rec), Types: typeOptions(), Findings: document.Validate(od.rec.Doc, document.Drafting)}
	vs, err := srv.store.Versions(ctx, od.rec.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, x := range vs {
		row := versionRow{N: x.N, Author: n.person(x.Author), Note: x.Note, At: x.At}
		if x.Level > document.Unclassified {
			row.Level = x.Level.Label()
		}
		if !mayReadVersion(v, od, org.Classification(x.Level)) {
			row.Note, row.Hidden = "", true
		}
		d.Versions = append(d.Versions, row)
	}
	anns, err := srv.store.Annotations(ctx, od.rec.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, a := range readableQuotes(v, od, anns, vs) {
		d.Annotations = append(d.Annotations, annotationRow{Annotation: a, AuthorName: n.person(a.Author)})
	}
	if form == nil {
		form = docForm(od.rec.Doc)
	}
	if d.CanEdit && srv.opt.Proofreader != nil {
		if d.Proofread, err = srv.proofPanelOn(r, od, "edit"); err != nil {
			srv.serverError(w, r, err)
			return
		}
	}
	srv.render(w, r, status, "doc_edit", pageData{Title: "修改文稿 · " + od.rec.Doc.Title, Nav: "docs", Data: d, Error: errMsg, Notice: notice, Form: form})
}

// readableQuotes leaves out the quoted text of the 批注 whose quote comes
// from a version the viewer may not read at its own 密级: a 批注 still on the
// text quotes its version; one whose text was deleted (orphaned) quotes an
// earlier version, so the highest level up to its version counts. After a
// 机密 document is lowered, its deleted 机密 passages stay closed.
func readableQuotes(v *Viewer, od openedDoc, anns []document.Annotation, vs []store.VersionMeta) []document.Annotation {
	out := make([]document.Annotation, 0, len(anns))
	for _, a := range anns {
		var level document.Level
		for _, x := range vs {
			if x.N == a.Version || (a.Orphaned && x.N < a.Version) {
				level = max(level, x.Level)
			}
		}
		if !mayReadVersion(v, od, org.Classification(level)) {
			a.Quote = "（您的涉密等级不足以查看所引原文）"
		}
		out = append(out, a)
	}
	return out
}

// editedDoc applies the editor's fields to the stored document. The 密级
// and 保密期限 are not the editor's: they change only through 变更密级.
func editedDoc(old document.Document, f url.Values) (document.Document, error) {
	d, err := docFromForm(f, nil)
	if err != nil {
		return old, err
	}
	doc := old
	doc.Type, doc.Title, doc.Body, doc.Note, doc.AttachmentNote, doc.Urgency =
		d.Type, d.Title, d.Body, d.Note, d.AttachmentNote, d.Urgency
	return doc, nil
}

func (srv *Server) docSave(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "edit")
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	doc, err := editedDoc(od.rec.Doc, r.PostForm)
	var n int
	if err == nil {
		note := strings.TrimSpace(r.PostFormValue("version_note"))
		// From the version the editor showed: a save made meanwhile by
		// someone else is not overwritten (409).
		if base, verr := strconv.Atoi(r.PostFormValue("version")); verr == nil {
			n, err = srv.store.SaveDraftFrom(ctx, v.Person, od.rec.ID, base, doc, note)
		} else {
			n, err = srv.store.SaveDraft(ctx, v.Person, od.rec.ID, doc, note)
		}
	}
	if err != nil {
		msg, status, internal := actError(err)
		if internal {
			srv.serverError(w, r, err)
			return
		}
		srv.renderEdit(w, r, status, od, msg, "", r.PostForm)
		return
	}
	http.Redirect(w, r, "/docs/"+od.rec.ID+"/edit?saved="+strconv.Itoa(n), http.StatusSeeOther)
}

type diffData struct {
	Rec       store.DocRecord
	Redline   document.Redline
	Watermark string
}

// errVersionRefused is redline's answer when a compared version is above
// what the viewer may read; the refusal has been audited.
type errVersionRefused struct{ reason string }

func (e errVersionRefused) Error() string { return e.reason }

// redline compares two versions of an opened document. Each version is
// decided at its own 密级 (a document lowered to 非密 keeps its earlier 机密
// versions closed to those not cleared for them); a refusal is audited and
// returned as errVersionRefused. top is the highest level compared, for the
// watermark.
func (srv *Server) redline(r *http.Request, od openedDoc, from, to string) (rl document.Redline, top org.Classification, err error) {
	a, err1 := strconv.Atoi(from)
	b, err2 := strconv.Atoi(to)
	if err1 != nil || err2 != nil {
		return rl, top, errors.New("请选择要比较的两个版本")
	}
	ctx := r.Context()
	var vs [2]document.Version
	top = od.rec.Level()
	for i, n := range []int{a, b} {
		if vs[i], err = srv.store.Version(ctx, od.rec.ID, n); err != nil {
			return rl, top, errors.New("版本不存在")
		}
		level := org.Classification(vs[i].Doc.Classification.Level)
		if d := srv.decideDocAt(r, od.rec, od.involved, level, "version "+strconv.Itoa(n)); !d.Allow {
			return rl, top, errVersionRefused{fmt.Sprintf("第 %d 版为%s：%s", n, level.Label(), d.Reason)}
		}
		top = max(top, level)
	}
	return document.Compare(vs[0], vs[1]), top, nil
}

func (srv *Server) docDiff(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "diff")
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	rl, top, err := srv.redline(r, od, q.Get("from"), q.Get("to"))
	var refused errVersionRefused
	if errors.As(err, &refused) {
		srv.render(w, r, http.StatusForbidden, "error", pageData{Title: "无权查看", Error: refused.reason})
		return
	}
	marked := od.rec
	marked.Doc.Classification.Level = document.Level(top)
	d := diffData{Rec: od.rec, Redline: rl, Watermark: srv.watermark(viewerFrom(ctx), marked)}
	status, msg := http.StatusOK, ""
	if err != nil {
		status, msg = http.StatusUnprocessableEntity, err.Error()
	}
	srv.render(w, r, status, "doc_diff", pageData{Title: "版本比较 · " + od.rec.Doc.Title, Nav: "docs", Data: d, Error: msg})
}

func (srv *Server) docAnnotate(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "annotate")
	if !ok {
		return
	}
	ctx := r.Context()
	start, err1 := strconv.Atoi(r.PostFormValue("start"))
	end, err2 := strconv.Atoi(r.PostFormValue("end"))
	var err error
	switch {
	case err1 != nil || err2 != nil:
		err = errors.New("请先在文稿中选中要批注的文字")
	case !od.involved:
		err = errors.New("只有参与办理的人员可以批注")
	default:
		_, err = srv.store.Annotate(ctx, viewerFrom(ctx).Person, od.rec.ID, start, end, strings.TrimSpace(r.PostFormValue("comment")))
	}
	srv.editOutcome(w, r, od, err, "/docs/"+od.rec.ID+"/edit?annotated=1")
}

func (srv *Server) docResolve(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "annotate")
	if !ok {
		return
	}
	ctx := r.Context()
	var err error
	if !od.involved {
		err = errors.New("只有参与办理的人员可以处理批注")
	} else {
		err = srv.store.ResolveAnnotation(ctx, viewerFrom(ctx).Person, od.rec.ID, r.PathValue("aid"))
	}
	srv.editOutcome(w, r, od, err, "/docs/"+od.rec.ID+"/edit")
}

// editOutcome answers a 批注 action: the editor again with the refusal, or on
// to next.
func (srv *Server) editOutcome(w http.ResponseWriter, r *http.Request, od openedDoc, err error, next string) {
	if err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	msg, status, internal := actError(err)
	if internal {
		srv.serverError(w, r, err)
		return
	}
	srv.renderEdit(w, r, status, od, msg, "", nil)
}

// docFile sends one of a document's files to someone who may open the document.
func (srv *Server) docFile(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "file")
	if !ok {
		return
	}
	ctx := r.Context()
	files, err := srv.store.Files(ctx, od.rec.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, f := range files {
		if f.SHA256 != r.PathValue("sha") {
			continue
		}
		bs, err := srv.blobs()
		if err == nil {
			err = bs.Serve(w, r, f.SHA256, f.Name, f.MediaType)
		}
		if errors.Is(err, blob.ErrNotFound) {
			srv.docNotFound(w, r)
		} else if err != nil && !srv.fileUnreadable(w, r, err) {
			srv.serverError(w, r, err)
		}
		return
	}
	srv.docNotFound(w, r)
}

// docFileAdd attaches a file: for the holder of an open task.
func (srv *Server) docFileAdd(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "file")
	if !ok {
		return
	}
	ctx := r.Context()
	err := parseUpload(r)
	if err == nil && !srv.holds(r.Context(), od) {
		err = errors.New("只有当前办理人可以添加附件")
	}
	var atts []document.Attachment
	if err == nil {
		atts, err = srv.uploads(r, "files", od.rec.Level())
		if err == nil && len(atts) == 0 {
			err = errors.New("请选择文件")
		}
	}
	role := "attachment"
	if r.FormValue("role") == "scan" {
		role = "scan"
	}
	for _, a := range atts {
		if err != nil {
			break
		}
		err = srv.store.AddFile(ctx, viewerFrom(ctx).Person, store.DocFile{DocID: od.rec.ID, SHA256: a.SHA256, Name: a.Name, Role: role, Size: a.Size, MediaType: a.MediaType})
	}
	if err != nil {
		msg, status, internal := actError(err)
		if internal {
			srv.serverError(w, r, err)
			return
		}
		srv.renderDocPage(w, r, status, od, msg, "", nil)
		return
	}
	http.Redirect(w, r, "/docs/"+od.rec.ID+"?done=file", http.StatusSeeOther)
}
