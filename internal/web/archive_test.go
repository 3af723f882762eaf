package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/shuniu-oa/shuniu/internal/archive"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// archivedNotice is a 政府办 notice with an attachment, issued through the
// API (so that its issued PDF and OFD exist) and waiting at 归档, with the
// 全宗号 Z012 and the drafting section's code MSK set by the system
// administrator.
func archivedNotice(t *testing.T) (*env, store.DocRecord, *client) {
	t.Helper()
	e := newProofEnv(t, true)
	rec := e.proofDraft(document.Unclassified)
	c := e.client()
	c.login("wenmi", demo.Password)
	if code, body, _ := c.postMultipart("/docs/"+rec.ID+"/files", url.Values{}, "files", "附件1 联系表.txt", []byte("联系人：张三 电话：0571-12345678")); code >= 400 {
		t.Fatalf("upload: %d %s", code, firstLines(body, `<div class="alert`, 2))
	}
	e.toReview(rec)
	e.toNumbered(rec)
	clerk := e.byLogin("wenmi")
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Comment: "复核无误"})
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-11-30", "copies": "10"}})
	if code, out, _ := c.call("POST", "/api/v1/documents/"+rec.ID+"/act", route.Request{Op: route.Approve, Task: taskID(t, e, clerk.ID, rec.ID), Comment: "分发"}); code != 200 {
		t.Fatalf("distribute: %d %v", code, out)
	}
	office := e.unit("政府办")
	admin := e.client()
	admin.login("sysadmin", demo.Password)
	code, body, _ := admin.post("/admin/archive", url.Values{"fonds": {office.Name + "=Z012"}, "unit_codes": {e.child(office.ID, "秘书科").Name + "=MSK"}, "default": {"D10"},
		"outgoing.notice": {"D30"}, "outgoing.decision": {"Y"}})
	if code != 200 || !strings.Contains(body, "归档设置已保存") {
		t.Fatalf("settings: %d %s", code, firstLines(body, `<div class="alert`, 2))
	}
	if code, body, _ := admin.post("/admin/archive", url.Values{"fonds": {office.Name + "=清政办"}, "default": {"D10"}}); code != 422 || !strings.Contains(body, "全宗号“清政办”无效") {
		t.Fatalf("a Chinese 全宗号: %d %s", code, firstLines(body, `<div class="alert`, 2))
	}
	rec, _ = e.store.Document(context.Background(), rec.ID)
	return e, rec, c
}

func taskID(t *testing.T, e *env, personID, docID string) int {
	t.Helper()
	a, _ := e.store.Actor(context.Background(), personID, e.store.Now())
	items, _ := e.store.OpenTasksFor(context.Background(), a, 100)
	for _, w := range items {
		if w.Doc.ID == docID {
			return w.TaskID
		}
	}
	t.Fatalf("no task on %s", docID)
	return 0
}

// TestArchiveCatalogue: the archivist's form offers each 保管期限 with the 档号
// it gives (the table's first) and the 页数 of the issued PDF; archiving
// shows the 档号; the 归档文件目录 lists the document on the page and in the
// xlsx; the archived document refuses a change with the 档号 named.
func TestArchiveCatalogue(t *testing.T) {
	e, rec, c := archivedNotice(t)
	_, page, _ := c.get("/docs/" + rec.ID)
	want := "Z012-2026-D30-MSK-0001"
	if !strings.Contains(page, `data-testid="retention"`) || !strings.Contains(page, `<option value="D30" selected>定期30年（档号 `+want+`）</option>`) {
		t.Fatalf("archive form: %s", firstLines(page, `data-testid="retention"`, 3))
	}
	if !strings.Contains(page, `name="pages" min="0" max="100000" value="1"`) && !strings.Contains(page, `name="pages" min="0" max="100000" value="2"`) {
		t.Errorf("pages not counted from the issued PDF: %s", firstLines(page, `name="pages"`, 1))
	}
	task := taskID(t, e, e.byLogin("wenmi").ID, rec.ID)
	code, _, hd := c.post("/docs/"+rec.ID+"/act", url.Values{"op": {"approve"}, "task": {fmt.Sprint(task)}, "retention": {"Y"}, "pages": {"4"}})
	if code != 303 {
		t.Fatalf("archive: %d", code)
	}
	_, page, _ = c.get(hd.Get("Location"))
	want = "Z012-2026-Y-MSK-0001"
	if !strings.Contains(page, `data-testid="archive-code" title="档号">档号 `+want) || !strings.Contains(page, "已归档") {
		t.Fatalf("archived page: %s", firstLines(page, `<div class="dochead">`, 4))
	}

	// The catalogue: on the page, by class, and in the xlsx.
	office := e.unit("政府办")
	q := "?organ=" + rec.OrganID + "&year=2026&retention=Y"
	code, page, _ = c.get("/archive" + q)
	if code != 200 || !strings.Contains(page, "全宗号：Z012") || !strings.Contains(page, "保管期限：永久") || strings.Count(page, `data-testid="catalogue-line"`) != 1 ||
		!strings.Contains(page, rec.Doc.Title) || !strings.Contains(page, rec.DocNumber) || !strings.Contains(page, "<td>20261130</td>") && !strings.Contains(page, "<td>"+dateDigits(rec.Doc.Date)+"</td>") {
		t.Fatalf("catalogue page: %d %s", code, firstLines(page, `data-testid="catalogue-table"`, 4))
	}
	if _, other, _ := c.get("/archive?organ=" + rec.OrganID + "&retention=D10"); strings.Contains(other, `data-testid="catalogue-line"`) {
		t.Error("the D10 catalogue lists a permanent document")
	}
	code, out, _ := c.call("GET", "/api/v1/archive/catalogue"+q, nil)
	if code != 200 || out["count"] != float64(1) || out["organ"] != office.Name {
		t.Fatalf("catalogue API: %d %v", code, out)
	}
	code, xlsx, hd := c.get("/archive/catalogue.xlsx" + q)
	if code != 200 || !strings.Contains(hd.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx: %d %s", code, hd.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) != 4 {
		t.Fatalf("xlsx rows: %v %v", rows, err)
	}
	if h := strings.Join(rows[2], "|"); h != "档号|件号|责任者|文号|题名|日期|页数|密级|备注" {
		t.Errorf("xlsx header %s", h)
	}
	if r := rows[3]; r[0] != want || r[1] != "1" || r[2] != office.Name || r[3] != rec.DocNumber || r[4] != rec.Doc.Title || r[6] != "4" {
		t.Errorf("xlsx line %q", r)
	}

	// Archived: nothing changes it, and the 定密责任人 is not offered a change.
	dir := e.client()
	dir.login("zhuren", demo.Password)
	if _, page, _ := dir.get("/docs/" + rec.ID); !strings.Contains(page, "档号 "+want) || strings.Contains(page, `data-testid="classify"`) {
		t.Errorf("the director's page of an archived document: %s", firstLines(page, `data-testid="classify"`, 1))
	}
	// Archived: nothing changes it.
	code, page, _ = c.post("/docs/"+rec.ID+"/annotations", url.Values{"start": {"0"}, "end": {"2"}, "comment": {"补充"}})
	if code != 409 || !strings.Contains(page, "已归档（档号 "+want+"），不能再批注") {
		t.Errorf("annotating an archived document: %d %s", code, firstLines(page, `<div class="alert`, 2))
	}
}

// TestArchivedRefusedAsConflict: a write to an archived document is a sound
// request the document's state forbids — 409 with the 档号 named, on the
// pages and the API alike (it answered 422, as for bad input).
func TestArchivedRefusedAsConflict(t *testing.T) {
	e, rec, c := archivedNotice(t)
	e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve})
	rec, _ = e.store.Document(context.Background(), rec.ID)
	dir := e.client()
	dir.login("zhuren", demo.Password)
	check := func(name string, code int, body, want string) {
		t.Helper()
		if code != 409 || !strings.Contains(body, want) {
			t.Errorf("%s on an archived document: %d %s", name, code, firstLines(body, "", 2))
		}
	}
	code, body, _ := c.post("/docs/"+rec.ID+"/annotations", url.Values{"start": {"0"}, "end": {"2"}, "comment": {"补充"}})
	check("批注 (page)", code, body, "不能再批注")
	code, out, _ := c.call("POST", "/api/v1/documents/"+rec.ID+"/annotations", map[string]any{"start": 0, "end": 2, "comment": "补充"})
	check("批注 (API)", code, fmt.Sprint(out["error"]), "不能再批注")
	code, out, _ = c.call("POST", "/api/v1/documents/"+rec.ID+"/versions", map[string]any{"document": rec.Doc, "note": "改"})
	check("修改文稿 (API)", code, fmt.Sprint(out["error"]), "不能再修改文稿")
	code, out, _ = dir.call("POST", "/api/v1/documents/"+rec.ID+"/classification", map[string]any{"classification": document.Classification{Level: document.Confidential, PeriodYears: 1}, "basis": "依据", "version": rec.Version})
	check("变更密级 (API)", code, fmt.Sprint(out["error"]), "已归档")
}

func dateDigits(d document.Date) string { return fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day) }

// TestArchivePackage: the archived document's package holds the issued PDF
// and OFD, the attachment, the 发文稿纸 and the route record, each with the
// SHA-256 and SM3 its metadata (JSON and XML) gives; the download is
// audited; a document not archived has no package.
func TestArchivePackage(t *testing.T) {
	e, rec, c := archivedNotice(t)
	if code, _, _ := c.get("/docs/" + rec.ID + "/archive.zip"); code != 409 {
		t.Fatalf("package before 归档: %d", code)
	}
	e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve})
	code, body, hd := c.get("/docs/" + rec.ID + "/archive.zip")
	if code != 200 || hd.Get("Content-Type") != "application/zip" || !strings.Contains(hd.Get("Content-Disposition"), "Z012-2026-D30-MSK-0001.zip") {
		t.Fatalf("package: %d %s %s", code, hd.Get("Content-Type"), hd.Get("Content-Disposition"))
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	content := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		content[f.Name] = b
	}
	var meta archive.Metadata
	if err := json.Unmarshal(content["metadata.json"], &meta); err != nil {
		t.Fatalf("metadata.json: %v", err)
	}
	if meta.Code != "Z012-2026-D30-MSK-0001" || meta.Title != rec.Doc.Title || meta.DocNumber != rec.DocNumber || meta.Retention != "定期30年" || meta.Piece != 1 {
		t.Errorf("metadata: %+v", meta)
	}
	roles := map[string]int{}
	for _, f := range meta.Files {
		b, ok := content[f.Path]
		if !ok {
			t.Errorf("metadata names %s, not in the package", f.Path)
			continue
		}
		sha, sm := sha256.Sum256(b), gmcrypto.SM3(b)
		if hex.EncodeToString(sha[:]) != f.SHA256 || hex.EncodeToString(sm[:]) != f.SM3 || int64(len(b)) != f.Size {
			t.Errorf("%s: hashes differ from the metadata", f.Path)
		}
		roles[f.Role]++
	}
	if len(meta.Files) != len(content)-2 {
		t.Errorf("package holds %d files, metadata names %d", len(content), len(meta.Files))
	}
	if roles[archive.RoleIssued] != 2 || roles[archive.RoleAttachment] != 1 || roles[archive.RoleSheet] != 1 || roles[archive.RoleRecord] != 1 {
		t.Errorf("roles %v", roles)
	}
	if !bytes.HasPrefix(content["处理单/发文稿纸.pdf"], []byte("%PDF")) || !bytes.Contains(content["附件/附件1 联系表.txt"], []byte("张三")) {
		t.Errorf("package files: %v", func() []string {
			var ns []string
			for n := range content {
				ns = append(ns, n)
			}
			return ns
		}())
	}
	if rb := string(content["办理记录/办理记录.json"]); !strings.Contains(rb, "归档") || !strings.Contains(rb, "复核无误") {
		t.Errorf("route record: %s", rb)
	}
	for _, sha := range []string{meta.Files[0].SHA256, meta.Files[0].SM3} {
		if !strings.Contains(string(content["metadata.xml"]), sha) {
			t.Errorf("metadata.xml lacks %s", sha)
		}
	}
	// The API gives the same; the downloads are audited.
	if code, _, _ := c.get("/api/v1/documents/" + rec.ID + "/archive.zip"); code != 200 {
		t.Errorf("API package: %d", code)
	}
	entries, err := e.store.ListAudit(context.Background(), store.AuditFilter{Action: "document.archive.download", Limit: 10})
	if err != nil || len(entries) != 2 {
		t.Fatalf("audited downloads: %d %v", len(entries), err)
	}
}
