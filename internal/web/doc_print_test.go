package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// fetch GETs a path in the client's session and returns the raw body.
func (c *client) fetch(path string) (int, []byte, http.Header) {
	c.e.t.Helper()
	resp, err := c.http.Get(c.e.srv.URL + path)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// pdfText extracts a PDF's text with pdftotext, whitespace removed (the
// title is set over balanced lines).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext not installed (poppler-utils)")
		}
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	// -raw keeps the content stream's order, so that the diagonal watermark
	// comes out as written rather than cut into columns.
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func TestPrintDocument(t *testing.T) {
	e := newProofEnv(t, true)
	rec := e.proofDraft(document.Unclassified)
	e.toReview(rec)
	rec = e.toNumbered(rec)
	if rec.DocNumber == "" {
		t.Fatal("not numbered")
	}
	c := e.client()
	c.login("wenmi", demo.Password)
	if _, body, _ := c.get("/docs/" + rec.ID); !strings.Contains(body, `href="/docs/`+rec.ID+`/print.pdf"`) || !strings.Contains(body, `/sheet.pdf"`) {
		t.Error("the document page has no print links")
	}

	code, pdf, h := c.fetch("/docs/" + rec.ID + "/print.pdf?copy=3")
	if code != 200 || h.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("print.pdf: %d %s %.40q", code, h.Get("Content-Type"), pdf)
	}
	if !strings.HasPrefix(h.Get("Content-Disposition"), "inline") || !strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Errorf("disposition: %s", h.Get("Content-Disposition"))
	}
	text := pdfText(t, pdf)
	for _, want := range []string{rec.Doc.Title, rec.DocNumber, "000003", "一、高度重视", "清澜区人民政府办公室文件"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if strings.Contains(text, "2026-11-30") {
		t.Error("an unclassified document is watermarked")
	}
	if es, _ := e.store.ListAudit(context.Background(), store.AuditFilter{Action: "document.print"}); len(es) != 0 {
		t.Errorf("unclassified print audited: %d", len(es))
	}

	// OFD and DOCX are zip packages with their main parts.
	for path, part := range map[string]string{"/print.ofd": "OFD.xml", "/print.docx": "word/document.xml"} {
		code, b, h := c.fetch("/docs/" + rec.ID + path)
		if code != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: %d %s", path, code, h.Get("Content-Disposition"))
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		found := false
		for _, f := range zr.File {
			found = found || f.Name == part
		}
		if !found {
			t.Errorf("%s lacks %s", path, part)
		}
	}

	// The 发文稿纸 as a printed form, with the document's real values.
	code, pdf, _ = c.fetch("/docs/" + rec.ID + "/sheet.pdf")
	if code != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("sheet.pdf: %d", code)
	}
	text = pdfText(t, pdf)
	for _, want := range []string{"发文稿纸", rec.DocNumber, "同意印发", e.byLogin("wenmi").Name, "清澜区人民政府办公室"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}

	if code, _, _ := c.fetch("/docs/" + rec.ID + "/print.pdf?copy=abc"); code != http.StatusBadRequest {
		t.Errorf("bad copy number: %d", code)
	}
	// Someone from another organ gets neither.
	o := e.client()
	o.login("chengban", demo.Password)
	for _, p := range []string{"/print.pdf", "/print.docx", "/sheet.pdf"} {
		if code, b, _ := o.fetch("/docs/" + rec.ID + p); code != http.StatusForbidden || bytes.HasPrefix(b, []byte("%PDF")) {
			t.Errorf("other organ %s: %d", p, code)
		}
	}
}

func TestPrintClassifiedWatermarkedAndAudited(t *testing.T) {
	e := newProofEnv(t, true)
	ctx := context.Background()
	rec := e.proofDraft(document.Confidential)
	c := e.client()
	c.login("wenmi", demo.Password)
	wenmi := e.byLogin("wenmi")
	code, pdf, _ := c.fetch("/docs/" + rec.ID + "/print.pdf?copy=12")
	if code != 200 {
		t.Fatalf("print.pdf: %d %s", code, firstLines(string(pdf), "<div class=\"alert", 2))
	}
	text := pdfText(t, pdf)
	for _, want := range []string{rec.Doc.Title, "秘密★1年", "000012", wenmi.Name + "2026-11-3009:30"} {
		if !strings.Contains(text, want) {
			t.Errorf("the classified PDF lacks %q", want)
		}
	}
	es, err := e.store.ListAudit(ctx, store.AuditFilter{Action: "document.print"})
	if err != nil || len(es) != 1 || es[0].ActorID != wenmi.ID || es[0].ObjectID != rec.ID || !strings.Contains(es[0].Detail, `"copy":"000012"`) {
		t.Fatalf("classified print not audited: %+v %v", es, err)
	}
	// The sheet of a classified document is watermarked and audited too.
	code, pdf, _ = c.fetch("/docs/" + rec.ID + "/sheet.pdf")
	if code != 200 || !strings.Contains(pdfText(t, pdf), wenmi.Name+"2026-11-3009:30") {
		t.Errorf("classified sheet: %d, watermark missing", code)
	}
	if es, _ := e.store.ListAudit(ctx, store.AuditFilter{Action: "document.print"}); len(es) != 2 {
		t.Errorf("sheet print not audited: %d", len(es))
	}
	// A colleague without the clearance or a part in it is refused, and that is audited.
	o := e.client()
	o.login("ducha", demo.Password)
	if code, _, _ := o.fetch("/docs/" + rec.ID + "/print.pdf"); code != http.StatusForbidden {
		t.Errorf("colleague prints a classified document: %d", code)
	}
	denied, _ := e.store.ListAudit(ctx, store.AuditFilter{Action: "access.deny"})
	if len(denied) == 0 || !strings.Contains(denied[0].Detail, "/print.pdf") {
		t.Errorf("refusal not audited: %+v", denied)
	}
}

func TestPrintWithoutFonts(t *testing.T) {
	e := newProofEnv(t, false)
	rec := e.proofDraft(document.Unclassified)
	c := e.client()
	c.login("wenmi", demo.Password)
	for _, p := range []string{"/print.pdf", "/sheet.pdf"} {
		code, body, _ := c.get("/docs/" + rec.ID + p)
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "scripts/setup-fonts.sh") {
			t.Errorf("%s without fonts: %d", p, code)
		}
	}
}

// BenchmarkPrintPDF is GET print.pdf of a one-page draft: access check,
// mapping, GB/T 9704 typesetting and the PDF with embedded font subsets.
func BenchmarkPrintPDF(b *testing.B) {
	r, err := sharedRenderer()
	if err != nil {
		b.Skip(err)
	}
	ts, c, ids := benchServer(b, 1, func(o *web.Options) { o.Renderer = r })
	benchGet(b, c, ts.URL+"/docs/"+ids[0]+"/print.pdf")
}

// BenchmarkSheetPDF is GET sheet.pdf: the 发文稿纸 as a printed form.
func BenchmarkSheetPDF(b *testing.B) {
	r, err := sharedRenderer()
	if err != nil {
		b.Skip(err)
	}
	ts, c, ids := benchServer(b, 1, func(o *web.Options) { o.Renderer = r })
	benchGet(b, c, ts.URL+"/docs/"+ids[0]+"/sheet.pdf")
}

// BenchmarkEditorWithProofread is the editor page of a draft with the
// proofreading panel: the deployment's checker (setting read, Checker.With),
// CheckDocument over every part, marks and the list.
func BenchmarkEditorWithProofread(b *testing.B) {
	pc, err := sharedChecker()
	if err != nil {
		b.Fatal(err)
	}
	ts, c, ids := benchServer(b, 1, func(o *web.Options) { o.Proofreader = pc })
	benchGet(b, c, ts.URL+"/docs/"+ids[0]+"/edit")
}
