package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// 会议材料: each 议题 has a page of its material's versions, where the
// reporting unit and the organizing office upload a new version (a .txt or
// .docx is proofread at once, its findings shown to them), and from which
// the attendees download. Who may do which is access.DecideMaterial; a
// classified meeting's material (PDF only) leaves stamped with the reader's
// name and the time on every page, and each such read is audited.

func (srv *Server) meetingMaterialRoutes() {
	m := srv.mux
	m.HandleFunc("GET /meetings/{id}/agenda/{seq}", srv.requireLogin(srv.materialPage))
	m.HandleFunc("POST /meetings/{id}/agenda/{seq}/materials", srv.requireLogin(srv.materialUpload))
	m.HandleFunc("GET /meetings/{id}/agenda/{seq}/materials/{version}", srv.requireLogin(srv.materialFile))
	m.HandleFunc("GET /api/v1/meetings/{id}/agenda/{seq}/materials", srv.requireLogin(srv.materialPage))
	m.HandleFunc("POST /api/v1/meetings/{id}/agenda/{seq}/materials", srv.requireLogin(srv.materialUpload))
	m.HandleFunc("GET /api/v1/meetings/{id}/agenda/{seq}/materials/{version}", srv.requireLogin(srv.materialFile))
}

// openedMaterial is a 议题 whose material the viewer may act on.
type openedMaterial struct {
	m      meeting.Meeting
	item   *meeting.AgendaItem
	object access.MeetingMaterial
}

// materialObject is the 议题's material as access.DecideMaterial sees it
// (store.MaterialObject, which search decides on too): the attendees are the
// invitees, the chair, and each substitute named in a 回执 — the person of
// that name in the invitee's unit.
func (srv *Server) materialObject(ctx context.Context, m *meeting.Meeting, it *meeting.AgendaItem) (access.MeetingMaterial, error) {
	return srv.store.MaterialObject(ctx, m, it)
}

// loadMaterial reads the meeting and 议题 named in the path and asks
// access.DecideMaterial for action; a refusal is audited and answered 403,
// a meeting or 议题 that does not exist 404.
func (srv *Server) loadMaterial(w http.ResponseWriter, r *http.Request, action access.Action) (openedMaterial, bool) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return openedMaterial{}, false
	}
	ctx := r.Context()
	notFound := func() {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "会议或议题不存在")
		} else {
			srv.notFound(w, r)
		}
	}
	m, err := srv.store.Meeting(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		notFound()
		return openedMaterial{}, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return openedMaterial{}, false
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	it, ok := m.Item(seq)
	if err != nil || !ok {
		notFound()
		return openedMaterial{}, false
	}
	o, err := srv.materialObject(ctx, &m, it)
	if err != nil {
		srv.serverError(w, r, err)
		return openedMaterial{}, false
	}
	if d := access.DecideMaterial(viewerFrom(ctx).Subject, action, o); !d.Allow {
		srv.auditRefusal(r, action, access.Object{Kind: "meeting", ID: m.ID, Level: m.Level}, d.Reason, "material")
		if isAPI(r) {
			writeJSONError(w, http.StatusForbidden, d.Reason)
		} else {
			srv.render(w, r, http.StatusForbidden, "error", pageData{Title: "无权操作", Error: d.Reason})
		}
		return openedMaterial{}, false
	}
	return openedMaterial{m: m, item: it, object: o}, true
}

// materialOut is one version as the page and the API show it.
type materialOut struct {
	meeting.Material
	ByName string `json:"by_name"`
	Late   bool   `json:"late"` // came in after the due time
	URL    string `json:"url"`
}

// materialFinding is a proofreading finding on the newest text version.
type materialFinding struct {
	proofread.Finding
	Before string `json:"before"` // a few characters around it
	After  string `json:"after"`
}

type materialPageData struct {
	M         meeting.Meeting
	Item      meeting.AgendaItem
	Unit      string
	Presenter string
	Late      bool // overdue with nothing in
	Versions  []materialOut
	CanAdd    bool
	State     string
	// The proofreader's findings on the newest version, for those who may
	// upload; ProofOff says why there are none to show.
	Proofread *materialOut
	Findings  []materialFinding
	ProofOff  string
	Truncated bool
}

func (srv *Server) materialPage(w http.ResponseWriter, r *http.Request) {
	om, ok := srv.loadMaterial(w, r, access.ReadMaterial)
	if !ok {
		return
	}
	notice := map[string]string{"uploaded": "材料已报送。"}[r.URL.Query().Get("notice")]
	srv.renderMaterial(w, r, om, http.StatusOK, notice, "")
}

func (srv *Server) renderMaterial(w http.ResponseWriter, r *http.Request, om openedMaterial, status int, notice, msg string) {
	ctx := r.Context()
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	now := srv.store.Now()
	it := *om.item
	d := materialPageData{M: om.m, Item: it, Unit: n.unit(it.UnitID), Presenter: n.person(it.Presenter), Late: it.Late(now),
		CanAdd: access.DecideMaterial(viewerFrom(ctx).Subject, access.AddMaterial, om.object).Allow, State: om.m.State(now)}
	for _, mat := range it.Materials {
		d.Versions = append(d.Versions, materialOut{Material: mat, ByName: n.person(mat.By), Late: it.LateVersion(mat),
			URL: fmt.Sprintf("/meetings/%s/agenda/%d/materials/%d", om.m.ID, it.Seq, mat.Version)})
	}
	if latest, ok := it.Latest(); ok && d.CanAdd && latest.Textual() {
		out := d.Versions[len(d.Versions)-1]
		d.Proofread = &out
		d.Findings, d.Truncated, err = srv.proofreadMaterial(ctx, latest)
		switch {
		case err != nil && (proofUnavailable(err) || meeting.IsRefusal(err) || userError(err) || errors.Is(err, blob.ErrNotFound)):
			d.ProofOff = userMessage(err)
		case err != nil:
			srv.serverError(w, r, err)
			return
		}
	}
	if isAPI(r) {
		if msg != "" {
			writeJSONError(w, status, msg)
			return
		}
		vs := d.Versions
		if vs == nil {
			vs = []materialOut{}
		}
		out := map[string]any{"meeting_id": om.m.ID, "seq": it.Seq, "title": it.Title, "unit": d.Unit, "due": it.Due, "late": d.Late,
			"urged_at": it.UrgedAt, "versions": vs, "can_add": d.CanAdd}
		if d.Proofread != nil {
			fs := d.Findings
			if fs == nil {
				fs = []materialFinding{}
			}
			out["proofread"] = map[string]any{"version": d.Proofread.Version, "findings": fs, "unavailable": d.ProofOff, "truncated": d.Truncated}
		}
		writeJSON(w, status, out)
		return
	}
	srv.render(w, r, status, "meeting_material", pageData{Title: it.Title + " 会议材料", Nav: "meetings", Notice: notice, Error: msg, Data: d})
}

// proofreadMaterial runs the deployment's proofreader over a text
// material's words (the first proofread.MaxInput of them).
func (srv *Server) proofreadMaterial(ctx context.Context, mat meeting.Material) ([]materialFinding, bool, error) {
	c, err := srv.checker(ctx)
	if err != nil {
		return nil, false, err
	}
	data, err := srv.readBlob(mat.SHA256)
	if err != nil {
		return nil, false, err
	}
	text, cut, err := meeting.MaterialText(mat.Name, data, proofread.MaxInput/4)
	if err != nil {
		return nil, false, formError(err.Error())
	}
	pctx, cancel := context.WithTimeout(ctx, proofTimeout)
	defer cancel()
	fs, err := c.CheckContext(pctx, text)
	if err != nil {
		return nil, false, proofStopped(err)
	}
	runes := []rune(text)
	var out []materialFinding
	for _, f := range fs {
		mf := materialFinding{Finding: f}
		if f.Start >= 0 && f.End <= len(runes) && f.Start <= f.End {
			mf.Before = string(runes[max(0, f.Start-12):f.Start])
			mf.After = string(runes[f.End:min(len(runes), f.End+12)])
		}
		out = append(out, mf)
	}
	return out, cut, nil
}

// readBlob reads a stored file whole (bounded by the attachment policy).
func (srv *Server) readBlob(sum string) ([]byte, error) {
	bs, err := srv.blobs()
	if err != nil {
		return nil, err
	}
	f, err := bs.Open(sum)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, bs.Policy().MaxBytes+1))
}

// materialUpload takes a new version: one file in the form's "file" field,
// checked against the attachment policy and the meeting's rules, kept in
// the file store and recorded on the 议题 (audited, in one transaction).
func (srv *Server) materialUpload(w http.ResponseWriter, r *http.Request) {
	om, ok := srv.loadMaterial(w, r, access.AddMaterial)
	if !ok {
		return
	}
	err := parseUpload(r)
	var next meeting.Meeting
	if err == nil {
		next, err = srv.addMaterial(r, om)
	}
	if err != nil {
		if !userError(err) && !meeting.IsRefusal(err) && !isUploadRefusal(err) {
			srv.serverError(w, r, err)
			return
		}
		srv.renderMaterial(w, r, om, http.StatusUnprocessableEntity, "", userMessage(err))
		return
	}
	if isAPI(r) {
		it, _ := next.Item(om.item.Seq)
		om.m, om.item = next, it
		srv.renderMaterial(w, r, om, http.StatusCreated, "", "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/meetings/%s/agenda/%d?notice=uploaded#proofread", om.m.ID, om.item.Seq), http.StatusSeeOther)
}

// errUploadRefused marks the attachment policy's refusals (size, type,
// content), which are the user's to fix.
type errUploadRefused struct{ error }

func isUploadRefusal(err error) bool {
	var e errUploadRefused
	return errors.As(err, &e)
}

func (srv *Server) addMaterial(r *http.Request, om openedMaterial) (meeting.Meeting, error) {
	var fhs = r.MultipartForm
	if fhs == nil || len(fhs.File["file"]) != 1 {
		return meeting.Meeting{}, formError("请选择一个材料文件")
	}
	fh := fhs.File["file"][0]
	name := uploadName(fh)
	if err := om.m.CheckMaterialName(name); err != nil {
		return meeting.Meeting{}, err
	}
	bs, err := srv.blobs()
	if err != nil {
		return meeting.Meeting{}, err
	}
	if _, err := inspectUpload(bs, fh); err != nil {
		if msg := err.Error(); strings.HasPrefix(msg, "file store") || strings.Contains(msg, "数据目录") {
			return meeting.Meeting{}, err // the server's fault, not the file's
		}
		return meeting.Meeting{}, errUploadRefused{err}
	}
	obj, err := putUpload(bs, fh)
	if err != nil {
		return meeting.Meeting{}, err
	}
	if om.m.Level == org.Unclassified {
		// For search, as a document's attachment: a classified meeting's
		// material (PDF) is not read into the database.
		srv.keepUploadText(r.Context(), fh, obj.SHA256)
	}
	v := viewerFrom(r.Context())
	mat := meeting.Material{Name: name, SHA256: obj.SHA256, Size: obj.Size, MediaType: obj.MediaType}
	return srv.store.MeetingAct(r.Context(), v.Person, om.m.ID, "material.add",
		map[string]any{"seq": om.item.Seq, "name": truncate(name, 200), "sha256": obj.SHA256, "size": obj.Size}, store.OpAddMaterial(om.item.Seq, mat))
}

// materialFile sends a version to whoever may read it: as stored, or, in a
// classified meeting, stamped with the reader's name and the time on every
// page — each such copy audited before it leaves.
func (srv *Server) materialFile(w http.ResponseWriter, r *http.Request) {
	om, ok := srv.loadMaterial(w, r, access.ReadMaterial)
	if !ok {
		return
	}
	ver, err := strconv.Atoi(r.PathValue("version"))
	mat, found := om.item.Version(ver)
	if err != nil || !found {
		srv.docNotFound(w, r)
		return
	}
	bs, err := srv.blobs()
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if om.m.Level == org.Unclassified {
		err = bs.Serve(w, r, mat.SHA256, mat.Name, mat.MediaType)
		if errors.Is(err, blob.ErrNotFound) {
			srv.docNotFound(w, r)
		} else if err != nil {
			srv.serverError(w, r, err)
		}
		return
	}
	if srv.opt.Renderer == nil {
		srv.serverError(w, r, fmt.Errorf("classified material without a renderer: %w", srv.opt.RendererErr))
		return
	}
	v := viewerFrom(r.Context())
	wm := v.Person.Name + " " + srv.store.Now().In(chinaTime).Format("2006-01-02 15:04")
	f, err := bs.Open(mat.SHA256)
	if errors.Is(err, blob.ErrNotFound) {
		srv.docNotFound(w, r)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	// The stamper seeks; a stored file is a stream (it may be decrypted as
	// it is read), so the material is read whole, within the policy's size.
	pdf, err := io.ReadAll(io.LimitReader(f, bs.Policy().MaxBytes+1))
	f.Close()
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := srv.opt.Renderer.StampPDF(ctx, &out, bytes.NewReader(pdf), wm); err != nil {
		if errors.Is(err, layout.ErrUnreadablePDF) {
			srv.renderMaterial(w, r, om, http.StatusUnprocessableEntity, "", layout.ErrUnreadablePDF.Error())
			return
		}
		srv.serverError(w, r, err)
		return
	}
	// No title: the auditor reads this log and may not read the meeting.
	if err := srv.store.AuditAlone(r.Context(), audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "meeting.material.read",
		ObjectKind: "meeting", ObjectID: om.m.ID, IP: clientIP(r),
		Detail: jsonDetail(map[string]string{"level": om.m.Level.Label(), "seq": strconv.Itoa(om.item.Seq), "version": strconv.Itoa(mat.Version),
			"sha256": mat.SHA256, "watermark": wm})}); err != nil {
		srv.serverError(w, r, err)
		return
	}
	sendFile(w, "application/pdf", mat.Name, false, out.Bytes())
}
