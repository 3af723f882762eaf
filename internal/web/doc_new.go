package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/drafting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/textextract"
)

// docFormData feeds the draft form and the incoming registration form.
type docFormData struct {
	Types      []typeOption
	Units      []pickUnit     // 主送/抄送 picker over the unit tree
	Drafting   []org.Unit     // units the viewer may draft or receive in
	Issuers    []issuerOption // 以…名义: the organs the drafting units' offices serve, beside their own
	Findings   []document.Finding
	Levels     []org.Classification
	MaxLevel   org.Classification
	PolicyNote string
	// Templates are the 文种 a draft may start from (起草助手); Template is
	// the one it started from, its elements and notes shown as hints.
	Templates []drafting.Template
	Template  *drafting.Template
	// Seals are the seals in force of the organs the draft may go out in
	// the name of (加盖印章), ticked as the form had them; NoSeal is 不加盖印章.
	Seals  []sealOption
	NoSeal bool
}

// issuerOption is an organ a draft may go out in the name of, with the
// drafting units (IDs, space-separated) that may choose it.
type issuerOption struct {
	org.Unit
	For string
}

type pickUnit struct {
	org.Unit
	Depth    int
	To, CC   bool
	Co       bool // a co-issuing organ (联合发文)
	Disabled bool
}

// blobs is the file store, opening encrypted files with the master key.
func (srv *Server) blobs() (*blob.Store, error) {
	bs, err := blob.New(srv.opt.DataDir, document.DefaultAttachmentPolicy())
	if err != nil {
		return nil, err
	}
	return bs.WithMasterKey(srv.opt.MasterKey), nil
}

// creatableUnits are the units the viewer may start a document in: their
// posts' units, where the access function allows creating in the organ.
func (srv *Server) creatableUnits(v *Viewer, units map[string]org.Unit, incoming bool) []org.Unit {
	var out []org.Unit
	seen := map[string]bool{}
	add := func(id string) {
		u, ok := units[id]
		if !ok || seen[id] {
			return
		}
		if !access.Decide(v.Subject, access.CreateObject, access.Object{Kind: "document", UnitID: organOf(units, id)}).Allow {
			return
		}
		seen[id] = true
		out = append(out, u)
	}
	for _, p := range v.Positions {
		if incoming {
			// Incoming items are received by the organ's office.
			add(organOf(units, p.UnitID))
		} else {
			add(p.UnitID)
		}
	}
	return out
}

func (srv *Server) docFormData(r *http.Request, f url.Values, incoming bool) (docFormData, error) {
	v := viewerFrom(r.Context())
	rows, byID, err := srv.unitRows(r.Context())
	if err != nil {
		return docFormData{}, err
	}
	d := docFormData{Types: typeOptions(), Drafting: srv.creatableUnits(v, byID, incoming),
		Levels: org.AllClassifications(), MaxLevel: v.Person.Clearance,
		PolicyNote: "单个附件不超过 50 MB；允许 pdf、ofd、docx、xlsx、doc、xls、wps、et、jpg、png、txt。"}
	if !incoming {
		at := map[string]int{}
		for _, u := range d.Drafting {
			for i, id := range document.Issuers(byID, u.ID) {
				if i == 0 {
					continue // the unit's own organ: the default
				}
				if j, ok := at[id]; ok {
					d.Issuers[j].For += " " + u.ID
					continue
				}
				at[id] = len(d.Issuers)
				d.Issuers = append(d.Issuers, issuerOption{Unit: byID[id], For: u.ID})
			}
		}
		var organs []string
		for _, u := range d.Drafting {
			organs = append(organs, document.Issuers(byID, u.ID)...)
		}
		if d.Seals, err = srv.draftSealOptions(r.Context(), organs, f["seal"]); err != nil {
			return d, err
		}
		d.NoSeal = slices.Contains(f["seal"], "none")
	}
	for _, u := range rows {
		d.Units = append(d.Units, pickUnit{Unit: u.Unit, Depth: u.Depth, To: slices.Contains(f["to"], u.ID), CC: slices.Contains(f["cc"], u.ID),
			Co: slices.Contains(f["co_issuer"], u.ID)})
	}
	return d, nil
}

func (srv *Server) docNew(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	f := url.Values{"type": {string(document.Notice)}}
	d, err := srv.docFormData(r, f, false)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d.Templates = drafting.All()
	// ?template=请示's type starts the draft from that 文种's template.
	if tp, ok := drafting.For(document.DocType(r.URL.Query().Get("template"))); ok {
		d.Template = &tp
		f.Set("type", string(tp.Type))
		f.Set("title", tp.Title)
		f.Set("body", tp.Text())
	}
	if len(d.Drafting) > 0 {
		f.Set("unit_id", d.Drafting[0].ID)
	}
	srv.render(w, r, http.StatusOK, "doc_new", pageData{Title: "起草公文", Nav: "docs", Data: d, Form: f})
}

// docFromForm reads the elements the drafter writes.
func docFromForm(f url.Values, units map[string]org.Unit) (document.Document, error) {
	d := document.Document{Type: document.DocType(f.Get("type")), Title: strings.TrimSpace(f.Get("title")),
		Body: document.ParseBody(strings.ReplaceAll(f.Get("body"), "\r\n", "\n")), Note: strings.TrimSpace(f.Get("note"))}
	for _, line := range strings.Split(f.Get("attachment_note"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			d.AttachmentNote = append(d.AttachmentNote, line)
		}
	}
	for _, id := range f["to"] {
		if u, ok := units[id]; ok {
			d.To = append(d.To, u.Name)
		}
	}
	for _, id := range f["cc"] {
		if u, ok := units[id]; ok {
			d.CC = append(d.CC, u.Name)
		}
	}
	var errs []error
	lvl, err := strconv.Atoi(f.Get("level"))
	if err != nil && f.Get("level") != "" {
		errs = append(errs, errors.New("密级无效"))
	}
	d.Classification.Level = document.Level(lvl)
	if p := strings.TrimSpace(f.Get("period")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			errs = append(errs, errors.New("保密期限应为年数"))
		}
		d.Classification.PeriodYears = n
	}
	if err := d.Classification.Validate(); err != nil {
		errs = append(errs, err)
	}
	u, err := document.ParseUrgency(f.Get("urgency"))
	if err != nil {
		errs = append(errs, err)
	}
	d.Urgency = u
	return d, errors.Join(errs...)
}

// uploads reads the files of a multipart field into the file store. A file
// the policy refuses fails the whole form, before anything is created. The
// files of a 秘密 or 机密 document (level) are written encrypted.
func (srv *Server) uploads(r *http.Request, field string, level org.Classification) ([]document.Attachment, error) {
	return srv.uploadFiles(r, field, level != org.Unclassified, level == org.Unclassified)
}

// uploadFiles is uploads with the two choices apart: whether the files are
// written encrypted, and whether their text is read for search (never for
// a classified thing's files).
func (srv *Server) uploadFiles(r *http.Request, field string, encrypt, keepText bool) ([]document.Attachment, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	fhs := r.MultipartForm.File[field]
	if len(fhs) == 0 {
		return nil, nil
	}
	bs, err := srv.blobs()
	if err != nil {
		return nil, err
	}
	bs = bs.Encrypting(encrypt)
	var out []document.Attachment
	for _, fh := range fhs {
		obj, err := putUpload(bs, fh)
		if err != nil {
			return nil, err
		}
		out = append(out, document.Attachment{Name: uploadName(fh), SHA256: obj.SHA256, Size: obj.Size, MediaType: obj.MediaType})
		if keepText {
			// A classified file's text is not copied into the database in
			// clear.
			srv.keepUploadText(r.Context(), fh, obj.SHA256)
		}
	}
	return out, nil
}

// keepUploadText reads the text of an uploaded .txt, .docx, .pdf or .ofd
// for search (the document's entry takes it when the document is saved). A
// file whose text cannot be read is kept all the same, unsearchable by its
// content: that is logged, not refused.
func (srv *Server) keepUploadText(ctx context.Context, fh *multipart.FileHeader, sha string) {
	name := uploadName(fh)
	if !textextract.Supported(name) {
		return
	}
	if ok, err := srv.store.HasAttachmentText(ctx, sha); err != nil || ok {
		return
	}
	f, err := fh.Open()
	if err != nil {
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return
	}
	text, err := textextract.Text(ctx, name, data)
	if err != nil {
		srv.log.Warn("attachment text not read", "file", name, "err", err)
	}
	if err := srv.store.PutAttachmentText(ctx, sha, text); err != nil {
		srv.log.Warn("attachment text not kept", "file", name, "err", err)
	}
}

// inspectUpload is putUpload that stores nothing (blob.Store.Inspect).
func inspectUpload(bs *blob.Store, fh *multipart.FileHeader) (blob.Object, error) {
	f, err := fh.Open()
	if err != nil {
		return blob.Object{}, fmt.Errorf("读取上传文件失败：%w", err)
	}
	defer f.Close()
	return bs.Inspect(uploadName(fh), f)
}

func putUpload(bs *blob.Store, fh *multipart.FileHeader) (blob.Object, error) {
	f, err := fh.Open()
	if err != nil {
		return blob.Object{}, fmt.Errorf("读取上传文件失败：%w", err)
	}
	defer f.Close()
	return bs.Put(uploadName(fh), f)
}

// parseUpload parses a form that may carry files (64 MiB in memory at most;
// the rest spills to temporary files).
func parseUpload(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return errors.New("上传的表单无效或过大")
		}
	}
	return r.ParseForm()
}

// docSubmission is a submitted draft or registration form, read as far as
// both have in common.
type docSubmission struct {
	srv         *Server
	w           http.ResponseWriter
	r           *http.Request
	page, title string
	f           url.Values
	fd          docFormData
	units       map[string]org.Unit
	doc         document.Document
}

// fail shows the form again with the message and the input as submitted.
func (s *docSubmission) fail(msg string) { s.failWith(http.StatusUnprocessableEntity, msg) }

func (s *docSubmission) failWith(status int, msg string) {
	s.srv.render(s.w, s.r, status, s.page, pageData{Title: s.title, Nav: "docs", Data: s.fd, Form: s.f, Error: msg})
}

// readDocForm reads a draft (or, with incoming, a registration) form into a
// document. When the form cannot be read it has already answered — refused,
// or the form again with its input — and returns nil.
func (srv *Server) readDocForm(w http.ResponseWriter, r *http.Request, incoming bool, page, title string) *docSubmission {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return nil
	}
	perr := parseUpload(r)
	s := &docSubmission{srv: srv, w: w, r: r, page: page, title: title, f: r.Form}
	var err error
	if s.fd, err = srv.docFormData(r, s.f, incoming); err != nil {
		srv.serverError(w, r, err)
		return nil
	}
	if _, s.units, err = srv.unitRows(r.Context()); err != nil {
		srv.serverError(w, r, err)
		return nil
	}
	if perr != nil {
		s.fail(perr.Error())
		return nil
	}
	if s.doc, err = docFromForm(s.f, s.units); err != nil {
		s.fail(err.Error())
		return nil
	}
	// Before anything is stored or checked further: a field over its limit
	// is refused with the form as typed (400).
	if err := document.CheckLimits(s.doc); err != nil {
		s.failWith(http.StatusBadRequest, err.Error())
		return nil
	}
	if err := document.NameLimit("sender", "来文单位", s.f.Get("sender")); incoming && err != nil {
		s.failWith(http.StatusBadRequest, err.Error())
		return nil
	}
	return s
}

func (srv *Server) docCreate(w http.ResponseWriter, r *http.Request) {
	sub := srv.readDocForm(w, r, false, "doc_new", "起草公文")
	if sub == nil {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	f, units, doc, fd, fail := sub.f, sub.units, sub.doc, &sub.fd, sub.fail
	unitID := f.Get("unit_id")
	if !slices.ContainsFunc(fd.Drafting, func(u org.Unit) bool { return u.ID == unitID }) {
		fail("请选择起草单位")
		return
	}
	if !srv.authorize(w, r, access.CreateObject, access.Object{Kind: "document", UnitID: organOf(units, unitID), Level: org.Classification(doc.Classification.Level)}) {
		return
	}
	issuer := f.Get("issuer_id")
	if issuer == "" {
		issuer = organOf(units, unitID)
	}
	if !slices.Contains(document.Issuers(units, unitID), issuer) {
		fail(units[unitID].Name + "不能以" + units[issuer].Name + "的名义起草，请重新选择")
		return
	}
	withOrganDefaults(&doc, units[issuer])
	withUploadNames(&doc, r)
	fd.Findings = document.Validate(doc, document.Drafting)
	if document.HasErrors(fd.Findings) {
		fail("文稿未通过校验，请按提示修改。")
		return
	}
	atts, err := srv.uploads(r, "files", org.Classification(doc.Classification.Level))
	if err != nil {
		fail(userMessage(err))
		return
	}
	doc.Attachments = atts
	sealIDs, chooseSeals := sealIDsFromForm(f["seal"])
	rec, err := srv.createWithFiles(ctx, v.Person, "attachment", atts, func(tx *store.Tx) (store.DocRecord, error) {
		rec, err := tx.CreateOutgoing(ctx, v.Person, store.NewOutgoing{UnitID: unitID, IssuerID: issuer, CoIssuers: f["co_issuer"], Doc: doc, To: f["to"], CC: f["cc"]})
		if err == nil && chooseSeals {
			_, err = tx.ChooseSeals(ctx, v.Person, rec.ID, sealIDs)
		}
		return rec, err
	})
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		fail(userMessage(err))
		return
	}
	http.Redirect(w, r, "/docs/"+rec.ID+"?done=created", http.StatusSeeOther)
}

func (srv *Server) incomingNew(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	f := url.Values{"type": {string(document.Notice)}}
	d, err := srv.docFormData(r, f, true)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "doc_incoming", pageData{Title: "登记收文", Nav: "docs", Data: d, Form: f})
}

// incomingCreate registers a paper or external document by hand, with its scan.
func (srv *Server) incomingCreate(w http.ResponseWriter, r *http.Request) {
	sub := srv.readDocForm(w, r, true, "doc_incoming", "登记收文")
	if sub == nil {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	f, units, doc, fd, fail := sub.f, sub.units, sub.doc, &sub.fd, sub.fail
	if n := strings.TrimSpace(f.Get("number")); n != "" {
		num, err := document.ParseDocNumber(n)
		if err != nil {
			fail("来文字号：" + err.Error())
			return
		}
		doc.Number = &num
	}
	if d := strings.TrimSpace(f.Get("date")); d != "" {
		date, err := document.ParseDate(d)
		if err != nil {
			fail("成文日期：" + err.Error())
			return
		}
		doc.Date = date
	}
	unitID := f.Get("unit_id")
	if !slices.ContainsFunc(fd.Drafting, func(u org.Unit) bool { return u.ID == unitID }) {
		fail("请选择收文单位")
		return
	}
	if !srv.authorize(w, r, access.CreateObject, access.Object{Kind: "document", UnitID: organOf(units, unitID), Level: org.Classification(doc.Classification.Level)}) {
		return
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["scan"]) == 0 {
		fail("请附上原件扫描件")
		return
	}
	atts, err := srv.uploads(r, "scan", org.Classification(doc.Classification.Level))
	if err != nil {
		fail(userMessage(err))
		return
	}
	rec, err := srv.createWithFiles(ctx, v.Person, "scan", atts, func(tx *store.Tx) (store.DocRecord, error) {
		return tx.RegisterPaper(ctx, v.Person, unitID, doc, strings.TrimSpace(f.Get("sender")))
	})
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		fail(userMessage(err))
		return
	}
	http.Redirect(w, r, "/docs/"+rec.ID+"?done=registered", http.StatusSeeOther)
}

// createWithFiles creates a document and records the files it came with in
// one transaction: a draft is never stored without its attachments, nor a
// registered item without its scan.
func (srv *Server) createWithFiles(ctx context.Context, by org.Person, role string, atts []document.Attachment, create func(tx *store.Tx) (store.DocRecord, error)) (store.DocRecord, error) {
	var rec store.DocRecord
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if rec, err = create(tx); err != nil {
			return err
		}
		for _, a := range atts {
			if err := tx.AddFile(ctx, by, store.DocFile{DocID: rec.ID, SHA256: a.SHA256, Name: a.Name, Role: role, Size: a.Size, MediaType: a.MediaType}); err != nil {
				return err
			}
		}
		return nil
	})
	return rec, err
}

// withOrganDefaults fills the 发文机关标志 and 署名 the store would default,
// so validation sees the document as it will be stored.
func withOrganDefaults(d *document.Document, organ org.Unit) {
	if d.IssuerMark == "" {
		d.IssuerMark = organ.Name + "文件"
	}
	if len(d.Signatures) == 0 {
		d.Signatures = []string{organ.Name}
	}
}

// typeOption is one of the 15 doc types with its Chinese label.
type typeOption struct {
	Type document.DocType
	Name string
}

func typeOptions() []typeOption {
	var out []typeOption
	for _, r := range document.Rules() {
		out = append(out, typeOption{Type: r.Type, Name: typeName(r.Type)})
	}
	return out
}

// withUploadNames lists the uploaded files as the document's 附件, and writes
// the 附件说明 from their names when the drafter left it empty, so validation
// checks the draft as it will be stored.
func withUploadNames(d *document.Document, r *http.Request) {
	if r.MultipartForm == nil {
		return
	}
	fill := len(d.AttachmentNote) == 0
	for _, fh := range r.MultipartForm.File["files"] {
		name := uploadName(fh)
		d.Attachments = append(d.Attachments, document.Attachment{Name: name})
		if fill {
			d.AttachmentNote = append(d.AttachmentNote, strings.TrimSuffix(name, path.Ext(name)))
		}
	}
}

// uploadName is an upload's file name without any client path (a browser on
// Windows may send C:\…\name).
func uploadName(fh *multipart.FileHeader) string {
	return path.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
}
