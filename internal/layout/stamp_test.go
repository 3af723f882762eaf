package layout

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// TestStampPDF: a PDF made elsewhere (here, a typeset notice without a
// watermark) carries the reader's name on every page once stamped, keeps
// its pages and text; a damaged PDF is refused.
func TestStampPDF(t *testing.T) {
	needTool(t, "pdftotext")
	r := testRenderer(t)
	in := renderPDF(t, loadSource(t, "notice.txt"), Options{})
	var out bytes.Buffer
	if err := r.StampPDF(context.Background(), &out, bytes.NewReader(in), "张三 2026-12-07 10:00"); err != nil {
		t.Fatal(err)
	}
	text := func(pdf []byte) []string {
		cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		b, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimRight(string(b), "\f"), "\f")
	}
	before, after := text(in), text(out.Bytes())
	if len(after) != len(before) {
		t.Fatalf("%d pages stamped, %d pages in", len(after), len(before))
	}
	// The watermark is drawn at 30°, so pdftotext reads it in pieces: each
	// page holds the name's characters of its ten repetitions.
	for i, p := range after {
		if n := strings.Count(p, "张"); n < 10 || strings.Count(before[i], "张") != 0 {
			t.Errorf("page %d: %d pieces of the watermark", i+1, n)
		}
	}
	var bad bytes.Buffer
	if err := r.StampPDF(context.Background(), &bad, bytes.NewReader([]byte("%PDF-1.7\nnot really\n%%EOF\n")), "张三"); !errors.Is(err, ErrUnreadablePDF) {
		t.Errorf("damaged PDF: %v", err)
	}
}
