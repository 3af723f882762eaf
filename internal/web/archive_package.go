package web

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/shuniu-oa/shuniu/internal/archive"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The archive package of an archived document (archive.Metadata says what
// is in it): GET /docs/{id}/archive.zip and the API's twin, for whoever may
// read the document; every download is audited.

// packageRecord is one line of the route record in a package.
type packageRecord struct {
	Step     string    `json:"step"`
	Assignee string    `json:"assignee"`
	ActedBy  string    `json:"acted_by,omitempty"`
	Handed   time.Time `json:"handed_at"`
	Acted    time.Time `json:"acted_at,omitzero"`
	Outcome  string    `json:"outcome,omitempty"`
	Comment  string    `json:"comment,omitempty"`
	Took     string    `json:"took,omitempty"`
}

func (srv *Server) docArchivePackage(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "archive.zip")
	if !ok {
		return
	}
	ctx := r.Context()
	a, archived, err := srv.store.Archived(ctx, od.rec.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if !archived {
		msg := "该公文尚未归档，没有归档包"
		if isAPI(r) {
			writeJSONError(w, http.StatusConflict, msg)
		} else {
			srv.render(w, r, http.StatusConflict, "error", pageData{Title: "归档包", Error: msg})
		}
		return
	}
	tmp, err := os.CreateTemp("", "shuniu-archive-*.zip")
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	meta, err := srv.writeArchivePackage(ctx, tmp, od, a)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	v := viewerFrom(ctx)
	if err := srv.store.AuditAlone(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "document.archive.download",
		ObjectKind: "document", ObjectID: od.rec.ID, IP: clientIP(r),
		// No title: the auditor may not read the document.
		Detail: jsonDetail(map[string]any{"code": a.Code.String(), "files": len(meta.Files), "level": od.rec.Level().Label()})}); err != nil {
		srv.serverError(w, r, err)
		return
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		srv.serverError(w, r, err)
		return
	}
	name := a.Code.String() + ".zip"
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"; filename*=UTF-8''`+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "", time.Time{}, tmp)
}

// writeArchivePackage writes the package to out and returns its metadata.
func (srv *Server) writeArchivePackage(ctx context.Context, out io.Writer, od openedDoc, a store.ArchiveRecord) (archive.Metadata, error) {
	rec := od.rec
	n, err := srv.names(ctx)
	if err != nil {
		return archive.Metadata{}, err
	}
	files, err := srv.store.Files(ctx, rec.ID)
	if err != nil {
		return archive.Metadata{}, err
	}
	now := srv.store.Now()
	e := a.Entry
	m := archive.Metadata{Standard: "DA/T 22-2015; DA/T 46-2009", Code: a.Code.String(), Fonds: a.Code.Fonds, Year: a.Code.Year,
		Retention: a.Code.Retention.Label(), RetentionCode: a.Code.Retention, Unit: n.units[a.Code.UnitID].Name, UnitCode: a.Code.UnitCode,
		Piece: a.Code.Piece, Title: e.Title, Responsible: e.Responsible, DocNumber: e.DocNumber, Date: e.Date, Pages: e.Pages,
		Classification: e.Classification, DocType: typeName(rec.Doc.Type), Urgency: rec.Doc.Urgency.Label(), Direction: kindLabel(rec.Direction),
		IncomingNumber: rec.InNumber, To: rec.Doc.To, CC: rec.Doc.CC, Organ: n.units[rec.OrganID].Name,
		ArchivedBy: n.person(a.ArchivedBy), ArchivedAt: a.ArchivedAt, PackedAt: now}
	if p := rec.Doc.Classification.PeriodYears; p > 0 {
		m.SecrecyPeriod = fmt.Sprintf("%d年", p)
	}
	zw := zip.NewWriter(out)
	taken := map[string]bool{}
	add := func(role, name, media string, src io.Reader) error {
		p := archive.PackagePath(role, name, taken)
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: p, Method: zip.Deflate, Modified: a.ArchivedAt})
		if err != nil {
			return fmt.Errorf("archive package %s: %w", p, err)
		}
		h, sm := sha256.New(), gmcrypto.NewSM3()
		size, err := io.Copy(io.MultiWriter(fw, h, sm), src)
		if err != nil {
			return fmt.Errorf("archive package %s: %w", p, err)
		}
		m.Files = append(m.Files, archive.PackageFile{Path: p, Role: role, MediaType: media, Size: size,
			SHA256: hex.EncodeToString(h.Sum(nil)), SM3: hex.EncodeToString(sm.Sum(nil))})
		return nil
	}
	bs, err := srv.blobs()
	if err != nil {
		return m, err
	}
	roles := map[string]string{string(document.FileIssued): archive.RoleIssued, string(document.FileAttachment): archive.RoleAttachment, string(document.FileScan): archive.RoleScan}
	for _, f := range packedFiles(files) {
		fh, err := bs.Open(f.SHA256)
		if err != nil {
			return m, fmt.Errorf("open %s: %w", f.Name, err)
		}
		err = add(roles[string(f.Role)], f.Name, f.MediaType, fh)
		fh.Close()
		if err != nil {
			return m, err
		}
		// What was filed is what was recorded: a file changed on disk is
		// not packed as if it were the document's.
		if got := m.Files[len(m.Files)-1].SHA256; got != f.SHA256 {
			return m, fmt.Errorf("file %s does not match its recorded SHA-256 (%s, stored %s)", f.Name, got, f.SHA256)
		}
	}
	if srv.opt.Renderer != nil {
		d, err := srv.sheetOf(ctx, od)
		if err != nil {
			return m, err
		}
		buf, err := srv.sheetPDF(d, rec)
		if err != nil {
			return m, err
		}
		if err := add(archive.RoleSheet, sheetTitle(d.Outgoing)+".pdf", "application/pdf", buf); err != nil {
			return m, err
		}
	}
	var track []packageRecord
	for _, tr := range (route.Engine{Calendar: srv.store.Calendar()}).Track(od.in, now) {
		t := tr.Task
		pr := packageRecord{Step: tr.StepName, Assignee: n.assignee(t.Assignee), Handed: t.HandedAt, Acted: t.ActedAt, Comment: t.Comment, Took: fmtDuration(tr.Took)}
		if t.ActedBy != "" {
			pr.ActedBy = n.person(t.ActedBy)
			if t.OnBehalfOf != "" {
				pr.ActedBy += "（代 " + n.person(t.OnBehalfOf) + "）"
			}
		}
		pr.Outcome = outcomeLabels[t.Outcome]
		if t.Status != route.Finished {
			pr.Outcome = taskStatusLabels[t.Status]
		}
		track = append(track, pr)
	}
	rb, err := json.MarshalIndent(map[string]any{"document": rec.ID, "archival_code": m.Code, "route": od.in.Template.Name, "record": track}, "", "  ")
	if err != nil {
		return m, err
	}
	if err := add(archive.RoleRecord, "办理记录.json", "application/json", bytes.NewReader(rb)); err != nil {
		return m, err
	}
	// The metadata last: it names every file above with its hashes.
	jb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	xb, err := m.XML()
	if err != nil {
		return m, err
	}
	for name, b := range map[string][]byte{"metadata.json": jb, "metadata.xml": xb} {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: a.ArchivedAt})
		if err == nil {
			_, err = fw.Write(b)
		}
		if err != nil {
			return m, fmt.Errorf("archive package %s: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return m, fmt.Errorf("archive package: %w", err)
	}
	return m, nil
}

// packedFiles are the document's files in the order a copy carries them:
// the issued text, the attachments, the scans.
func packedFiles(fs []store.DocFile) []document.File {
	out := make([]document.File, 0, len(fs))
	for _, f := range fs {
		out = append(out, document.File{SHA256: f.SHA256, Name: f.Name, Role: document.FileRole(f.Role), Size: f.Size, MediaType: f.MediaType})
	}
	return document.CarriedFiles(out)
}
