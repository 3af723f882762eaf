package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
)

// Evidence files: a progress report and an application to close carry
// uploads (checked against the attachment policy, kept by content address),
// the item page links them, and only those who may read the item download
// them — images and PDF inline, never as a page of the application.
func TestSupervisionEvidenceFiles(t *testing.T) {
	e := newSupEnv(t)
	dev, fin := e.unit("区发改局"), e.unit("区财政局")
	sup := e.client()
	sup.login("ducha", demo.Password)
	sup.get("/supervise/new")
	code, _, h := sup.post("/supervise", url.Values{"source": {"leader"}, "title": {"背街小巷路灯修复"}, "instruction": {"请于十个工作日内完成修复。"},
		"lead_unit": {dev.ID}, "co_unit": {fin.ID}, "workdays": {"10"}, "schedule": {"每周五"}, "assign": {"1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	page := "/supervise/items/" + supItemLink.FindStringSubmatch(h.Get("Location"))[1]
	lead := e.client()
	lead.login("chengban", demo.Password)
	lead.get(page)
	if code, _, _ := lead.post(page+"/sign_for", url.Values{"unit": {dev.ID}}); code != http.StatusSeeOther {
		t.Fatalf("sign for: %d", code)
	}
	co := e.client()
	co.login(e.head(fin.ID).Login, demo.Password)
	co.get(page)
	if code, _, _ := co.post(page+"/sign_for", url.Values{"unit": {fin.ID}}); code != http.StatusSeeOther {
		t.Fatalf("co-unit signs for: %d", code)
	}

	// A report with a photo.
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
	sum := sha256.Sum256(png)
	pngSHA := hex.EncodeToString(sum[:])
	lead.get(page)
	if code, body, _ := lead.postMultipart(page+"/report", url.Values{"unit": {dev.ID}, "text": {"已排查路灯 120 盏"}}, "files", "现场照片.png", png); code != http.StatusSeeOther {
		t.Fatalf("report with a file: %d %s", code, firstLines(body, "alert", 3))
	}
	_, body, _ := lead.get(page)
	link := page + "/files/" + pngSHA
	if !strings.Contains(body, link) || !strings.Contains(body, "现场照片.png") {
		t.Fatalf("item page does not link the file %s", link)
	}
	code, got, hh := lead.fetch(link)
	if code != http.StatusOK || !bytes.Equal(got, png) || hh.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(hh.Get("Content-Disposition"), "inline") {
		t.Fatalf("download: %d %v", code, hh)
	}
	// A page is refused at upload; a stranger cannot download; a reference to
	// a file that is not the item's is refused.
	lead.get(page)
	if code, body, _ := lead.postMultipart(page+"/report", url.Values{"unit": {dev.ID}, "text": {"附页面"}}, "files", "x.html", []byte("<html><script>alert(1)</script></html>")); code != http.StatusUnprocessableEntity || !strings.Contains(body, "不允许") {
		t.Fatalf("html upload: %d %s", code, firstLines(body, "alert", 3))
	}
	other := e.client()
	other.login(e.head(e.unit("区教育局").ID).Login, demo.Password)
	if code, _, _ := other.fetch(link); code != http.StatusForbidden {
		t.Fatalf("stranger downloads: %d", code)
	}
	lead.get(page)
	if code, body, _ := lead.post(page+"/report", url.Values{"unit": {dev.ID}, "text": {"引用"}, "attachment_name": {"a.pdf"},
		"attachment_sha256": {strings.Repeat("ab", 32)}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "附件引用无效") {
		t.Fatalf("foreign reference: %d %s", code, firstLines(body, "alert", 3))
	}

	// The API takes the same multipart form and answers with the item.
	jpg := append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 64)...)
	code, body, _ = lead.postMultipart("/api/v1"+page+"/report", url.Values{"unit": {dev.ID}, "text": {"接口报送"}}, "files", "路灯.jpg", jpg)
	if code != http.StatusOK || !strings.Contains(body, "路灯.jpg") || !strings.Contains(body, "image/jpeg") {
		t.Fatalf("API report with a file: %d %s", code, body)
	}

	// The application to close with a PDF as evidence.
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	lead.get(page)
	if code, body, _ := lead.postMultipart(page+"/request_close", url.Values{"text": {"已全部修复"}}, "files", "办结报告.pdf", pdf); code != http.StatusSeeOther {
		t.Fatalf("close with evidence: %d %s", code, firstLines(body, "alert", 3))
	}
	it, err := e.store.SupItem(t.Context(), strings.TrimPrefix(page, "/supervise/items/"))
	if err != nil || len(it.Submits) != 1 || len(it.Submits[0].Evidence.Attachments) != 1 {
		t.Fatalf("%+v %v", it.Submits, err)
	}
	if a := it.Submits[0].Evidence.Attachments[0]; a.Name != "办结报告.pdf" || a.MediaType != "application/pdf" || a.Size != int64(len(pdf)) {
		t.Fatalf("evidence %+v", a)
	}
	sup.get(page)
	if code, got, _ := sup.fetch(page + "/files/" + it.Submits[0].Evidence.Attachments[0].SHA256); code != http.StatusOK || !bytes.Equal(got, pdf) {
		t.Fatalf("the 督查室 downloads the evidence: %d", code)
	}
}

// A refused report keeps no file (issue 11): the operation is decided
// before its uploads are stored, so a report the rules refuse — here from a
// co-unit for the lead unit, and one over the text limit — leaves nothing in
// the data directory with no row pointing to it.
func TestRefusedReportLeavesNoFile(t *testing.T) {
	e := newSupEnv(t)
	dev, fin := e.unit("区发改局"), e.unit("区财政局")
	sup := e.client()
	sup.login("ducha", demo.Password)
	sup.get("/supervise/new")
	code, _, h := sup.post("/supervise", url.Values{"source": {"leader"}, "title": {"背街小巷路灯修复"}, "instruction": {"请于十个工作日内完成修复。"},
		"lead_unit": {dev.ID}, "co_unit": {fin.ID}, "workdays": {"10"}, "schedule": {"每周五"}, "assign": {"1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	page := "/supervise/items/" + supItemLink.FindStringSubmatch(h.Get("Location"))[1]
	co := e.client()
	co.login(e.head(fin.ID).Login, demo.Password)
	co.get(page)
	if code, _, _ := co.post(page+"/sign_for", url.Values{"unit": {fin.ID}}); code != http.StatusSeeOther {
		t.Fatalf("co-unit signs for: %d", code)
	}
	stored := func(content []byte) bool {
		sum := sha256.Sum256(content)
		s := hex.EncodeToString(sum[:])
		_, err := os.Stat(filepath.Join(e.dataDir, "files", s[:2], s))
		return err == nil
	}
	pdf := func(tag string) []byte { return []byte("%PDF-1.7\n" + tag + "\n%%EOF\n") }

	// The co-unit reports for the lead unit: refused, no file.
	co.get(page)
	code, body, _ := co.postMultipart(page+"/report", url.Values{"unit": {dev.ID}, "text": {"代为报送"}}, "files", "证明材料.pdf", pdf("refused"))
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("report for another unit: %d %s", code, firstLines(body, "alert", 3))
	}
	if stored(pdf("refused")) {
		t.Error("a refused report left its file in the data directory")
	}
	// Over the text limit, through the API: refused (400), no file.
	code, body, _ = co.postMultipart("/api/v1"+page+"/report", url.Values{"unit": {fin.ID}, "text": {strings.Repeat("长", 5001)}}, "files", "证明材料.pdf", pdf("too long"))
	if code != http.StatusBadRequest || !strings.Contains(body, "进展反馈不能超过 5000 字") {
		t.Fatalf("long report: %d %s", code, body)
	}
	if stored(pdf("too long")) {
		t.Error("a report refused for its length left its file")
	}
	// An accepted report keeps its file.
	co.get(page)
	if code, body, _ := co.postMultipart(page+"/report", url.Values{"unit": {fin.ID}, "text": {"已配合完成"}}, "files", "证明材料.pdf", pdf("kept")); code != http.StatusSeeOther {
		t.Fatalf("report: %d %s", code, firstLines(body, "alert", 3))
	}
	if !stored(pdf("kept")) {
		t.Error("an accepted report's file was not kept")
	}
}
