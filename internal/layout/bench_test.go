package layout

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// tenPages builds a 通知 that typesets to 10 pages.
func tenPages(t testing.TB) *Document {
	d := loadSource(t, "notice.txt")
	var body []Paragraph
	for i := 0; len(body) < 80; i++ {
		body = append(body, Paragraph{Level: 1, Text: fmt.Sprintf("%s、加强第%d项工作的组织领导", []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}[i%10], i+1)})
		body = append(body, d.Body[2:9]...)
	}
	d.Body = body
	d.Attachments = nil
	d.AttachmentNote = nil
	return d
}

func TestTenPageSample(t *testing.T) {
	pages, err := testRenderer(t).Pages(tenPages(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 10 {
		t.Fatalf("the benchmark document has %d pages, want 10", len(pages))
	}
}

// BenchmarkRenderPDF10Pages: one 10-page document, fonts already loaded.
func BenchmarkRenderPDF10Pages(b *testing.B) {
	r := testRenderer(b)
	d := tenPages(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Render(ctx, io.Discard, PDF, d, Options{Watermark: "张三 2024-01-05 10:00"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderOFD10Pages(b *testing.B) {
	r := testRenderer(b)
	d := tenPages(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Render(context.Background(), io.Discard, OFD, d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderDOCX10Pages(b *testing.B) {
	r := testRenderer(b)
	d := tenPages(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Render(context.Background(), io.Discard, DOCX, d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBatch1000 renders 1,000 different short documents and reports
// the live heap after the batch against the live heap after the first 100,
// so memory growth across a batch shows as heap-growth-KB.
func BenchmarkBatch1000(b *testing.B) {
	r := testRenderer(b)
	base := loadSource(b, "notice.txt")
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for b.Loop() {
		var after100 uint64
		for i := 0; i < 1000; i++ {
			d := *base
			d.Title = base.Title + strings.Repeat("（修订）", i%3)
			if err := r.Render(context.Background(), io.Discard, PDF, &d, Options{CopyNumber: fmt.Sprint(i + 1), Watermark: fmt.Sprintf("用户%d", i)}); err != nil {
				b.Fatal(err)
			}
			if i == 99 {
				after100 = heap()
			}
		}
		end := heap()
		b.ReportMetric(float64(int64(end)-int64(after100))/1024, "heap-growth-KB")
		b.ReportMetric(float64(end)/1024/1024, "live-heap-MB")
	}
}

// BenchmarkTypesetKeepBlock: typesetting alone, for a document on the grid
// (one pass) and one whose signature block needs the page tightened (a
// second pass, §7.3.5.5).
func BenchmarkTypesetKeepBlock(b *testing.B) {
	fs := testRenderer(b).Fonts()
	for _, name := range []string{"notice", "tight"} {
		d := loadSource(b, name+".txt")
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := fs.Typeset(d, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
