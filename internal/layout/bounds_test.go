package layout

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// countdown is a context that ends after n checks of Err: it shows the
// typesetter looks at its context inside its loops, not only before them.
type countdown struct {
	context.Context
	n atomic.Int64
}

func (c *countdown) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestBounds (issue 11): the title, the document's text and the pages of
// one typesetting are bounded, and the caller's context is honoured
// inside the loops, so that no input holds the server for long.
func TestBounds(t *testing.T) {
	r := testRenderer(t)
	base := func() *Document {
		d := loadSource(t, "notice.txt")
		d.Attachments, d.AttachmentNote = nil, nil
		return d
	}
	ctx := context.Background()

	d := base()
	d.Title = strings.Repeat("关", MaxTitle-3) + "的通知"
	if err := r.Render(ctx, io.Discard, PDF, d, Options{}); err != nil {
		t.Fatalf("title at the limit: %v", err)
	}
	d.Title = strings.Repeat("关", MaxTitle-2) + "的通知"
	for _, out := range []Output{PDF, OFD, DOCX} {
		err := r.Render(ctx, io.Discard, out, d, Options{})
		if e, ok := textlimit.As(err); !ok || e.Field != "title" || err.Error() != "标题不能超过 200 字（现有 201 字）" {
			t.Errorf("%s, title one over: %v", out, err)
		}
	}

	d = base()
	d.Body = []Paragraph{{Text: strings.Repeat("文", MaxChars)}}
	if err := d.Validate(); !errors.Is(err, textlimit.ErrTooLong) {
		t.Errorf("text over MaxChars: %v", err)
	}
	d.Body = []Paragraph{{Text: strings.Repeat("文", MaxChars/2)}}
	if err := d.Validate(); err != nil {
		t.Errorf("text under MaxChars: %v", err)
	}

	// Short lines make pages fast: past MaxPages the typesetting stops.
	d = base()
	d.Body = make([]Paragraph, (MaxPages+10)*LinesPerPage)
	for i := range d.Body {
		d.Body[i].Text = "文"
	}
	if _, err := r.Pages(d, Options{}); !errors.Is(err, ErrTooManyPages) || !strings.Contains(err.Error(), "2000") {
		t.Errorf("past MaxPages: %v", err)
	}

	// A context that ends during the typesetting stops it there.
	d = base()
	d.Body = make([]Paragraph, 2000)
	for i := range d.Body {
		d.Body[i].Text = "为做好防汛工作，现将有关事项通知如下。"
	}
	cd := &countdown{Context: ctx}
	cd.n.Store(50)
	if err := r.Render(cd, io.Discard, PDF, d, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("ended context: %v", err)
	}
	if left := cd.n.Load(); left < -2 {
		t.Errorf("the context was asked %d more times after it ended", -left)
	}
}

// limitsDoc is the largest document the document package lets a clerk
// save (its field limits: 标题 200, 正文 200,000, 主送/抄送 500 names of 100
// characters, 50 署名 and 签发人, 100 附件说明 of 200, 附注 500), as the web
// maps it for printing; onePara puts the whole 正文 in one paragraph.
func limitsDoc(t testing.TB, onePara bool) *Document {
	d := loadSource(t, "notice.txt")
	name := func(n int) string {
		return string([]rune(strings.Repeat("清澜区人民政府办公室", n/10+1))[:n])
	}
	names := func(k, n int) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = name(n)
		}
		return out
	}
	d.Attachments = nil
	d.Title = name(MaxTitle-3) + "的通知"
	d.To = strings.Join(names(500, 100), "、")
	d.Cc = strings.Join(names(500, 100), "、")
	d.Issuer = strings.Join(names(50, 100), "、")
	d.AttachmentNote = names(100, 200)
	d.Note = "（" + name(498) + "）"
	para := strings.Repeat("为做好防汛工作，现将有关事项通知如下。", 500/19)
	d.Body = nil
	for n := 0; n < 200_000; n += len([]rune(para)) {
		d.Body = append(d.Body, Paragraph{Text: para})
	}
	if onePara {
		var sb strings.Builder
		for _, p := range d.Body {
			sb.WriteString(p.Text)
		}
		d.Body = []Paragraph{{Text: sb.String()}}
	}
	return d
}

// BenchmarkRenderLimits is the worst case a saved document can ask of the
// printer: every field at its limit (see docs/perf.md).
func BenchmarkRenderLimits(b *testing.B) {
	r := testRenderer(b)
	for _, bc := range []struct {
		name    string
		out     Output
		onePara bool
	}{
		{"PDF", PDF, false}, {"OFD", OFD, false}, {"DOCX", DOCX, false}, {"PDF-one-paragraph", PDF, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := limitsDoc(b, bc.onePara)
			pages, err := r.Pages(d, Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := r.Render(context.Background(), io.Discard, bc.out, d, Options{Watermark: "张三 2026-12-07 10:00"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(pages)), "pages")
		})
	}
}
