package layout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/layout/truetype"
)

func TestMissingGlyphsAreReported(t *testing.T) {
	r := testRenderer(t)
	d := &Document{Title: "关于𠀀字的通知", Body: []Paragraph{{Text: "正文含有😀表情。"}}}
	_, err := r.RenderPDF(context.Background(), d, Options{})
	var mg *MissingGlyphsError
	if !errors.As(err, &mg) {
		t.Fatalf("err = %v, want MissingGlyphsError", err)
	}
	if len(mg.Missing[FaceXiaoBiaoSong]) != 1 || mg.Missing[FaceXiaoBiaoSong][0] != '𠀀' {
		t.Errorf("title face missing %q", mg.Missing[FaceXiaoBiaoSong])
	}
	if len(mg.Missing[FaceFang]) != 1 || mg.Missing[FaceFang][0] != '😀' {
		t.Errorf("body face missing %q", mg.Missing[FaceFang])
	}
	for _, want := range []string{"小标宋字体", "U+20000", "仿宋字体", "U+1F600"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestFontsMissingSaysRunSetup(t *testing.T) {
	_, err := NewRenderer(FontConfig{Dir: t.TempDir()}, nil)
	if !errors.Is(err, ErrFontsMissing) || !strings.Contains(err.Error(), "scripts/setup-fonts.sh") {
		t.Fatalf("err = %v", err)
	}
}

func TestDefaultFontDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"HOME": "/home/a"}, "/home/a/.cache/shuniu/fonts"},
		{map[string]string{"HOME": "/home/a", "XDG_CACHE_HOME": "/c"}, "/c/shuniu/fonts"},
		{map[string]string{"HOME": "/home/a", "SHUNIU_FONT_DIR": "/f"}, "/f"},
	} {
		if got := DefaultFontDir(env(tc.env)); got != tc.want {
			t.Errorf("DefaultFontDir(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}

// TestCopyNumberAndWatermark checks the per-copy 份号 and the viewer's
// watermark in the extracted text.
func TestCopyNumberAndWatermark(t *testing.T) {
	d := loadSource(t, "notice.txt")
	pages := extractWords(t, renderPDF(t, d, Options{CopyNumber: "42", Watermark: "王五 2024-02-01 08:00"}))
	var first strings.Builder
	for _, w := range pages[0].Words {
		first.WriteString(w.Text)
	}
	if !strings.Contains(first.String(), "000042") || strings.Contains(first.String(), "000123") {
		t.Errorf("copy number not replaced: %s", first.String()[:80])
	}
	for i, p := range pages {
		n := 0
		for _, w := range p.Words {
			if strings.Contains(w.Text, "王") || strings.Contains(w.Text, "五") {
				n++
			}
		}
		if n < 5 {
			t.Errorf("page %d: watermark seen %d times", i+1, n)
		}
	}
	if _, err := testRenderer(t).RenderPDF(context.Background(), d, Options{CopyNumber: "12345678"}); err == nil {
		t.Error("a 份号 of 8 digits was accepted")
	}
}

// TestLetterAndOrderGeometry measures the special formats of §10.
func TestLetterAndOrderGeometry(t *testing.T) {
	pdf := renderPDF(t, loadSource(t, "letter.txt"), Options{})
	pages := extractWords(t, pdf)
	strokes := pageStrokes(t, pdf)
	mark := findLine(t, pages[0], "枢纽市人民政府办公室")
	near(t, "信函 标志 30 mm from the top edge", mark.YMin, 30)
	if len(strokes[0]) != 4 {
		t.Fatalf("信函 page 1 has %d rules, want two red double lines", len(strokes[0]))
	}
	top, bottom := strokes[0][0], strokes[0][3]
	near(t, "double line length", top.X2-top.X1, 170)
	near(t, "double line centred", (top.X1+top.X2)/2, PageWidth/2)
	near(t, "first double line 4 mm below the 标志", top.Y1, mark.YMax+4)
	near(t, "last double line 20 mm above the bottom edge", bottom.Y1, PageHeight-20)
	if top.Width <= strokes[0][1].Width || bottom.Width <= strokes[0][2].Width {
		t.Error("double lines should be thick over thin at the top, thin over thick at the bottom")
	}
	num := findLine(t, pages[0], "枢政办函〔2024〕12号")
	near(t, "信函 发文字号 flush right", num.XMax, blockR)
	for _, l := range lines(pages[0]) {
		if l.YMin > blockB && strings.Contains(l.Text, "1") && strings.Contains(l.Text, "—") {
			t.Errorf("信函 page 1 carries a page number %q", l.Text)
		}
	}

	op := extractWords(t, renderPDF(t, loadSource(t, "order.txt"), Options{}))
	omark := findLine(t, op[0], "枢纽市人民政府令")
	near(t, "命令 标志 20 mm below the 版心 top", omark.YMin, MarginTop+20)
	ono := findLine(t, op[0], "第8号")
	near(t, "令号 centred", (ono.XMin+ono.XMax)/2, MarginLeft+BlockWidth/2)
	if ono.YMin < omark.YMax+2*LinePitch-1 {
		t.Errorf("令号 at %.1f is not two lines below the 标志 (bottom %.1f)", ono.YMin, omark.YMax)
	}
}

// TestCompressedMarkLeavesBodyAlone: a 发文机关标志 too long for the 版心 is
// compressed horizontally; the text after it keeps its full width.
func TestCompressedMarkLeavesBodyAlone(t *testing.T) {
	body := strings.Repeat("国家标准规定公文版心每面排二十二行每行排二十八个字", 3)
	d := &Document{IssuerMark: "中共枢纽市委办公室枢纽市人民政府办公室文件", Title: "关于印发工作要点的通知", Body: []Paragraph{{Text: body}}}
	p := extractWords(t, renderPDF(t, d, Options{}))[0]
	mark := findLine(t, p, "中共枢纽市委办公室")
	near(t, "compressed 标志 left", mark.XMin, MarginLeft)
	near(t, "compressed 标志 right", mark.XMax, blockR)
	full := findLine(t, p, "国家标准规定")
	near(t, "body line after the compressed 标志 reaches the right edge", full.XMax, blockR)
}

// TestConcurrentRenders shares one Renderer between goroutines (run with -race).
func TestConcurrentRenders(t *testing.T) {
	r := testRenderer(t)
	d := loadSource(t, "notice.txt")
	want, err := r.RenderPDF(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := r.RenderPDF(context.Background(), d, Options{})
			if err == nil && !bytes.Equal(got, want) {
				err = fmt.Errorf("concurrent render differs")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := testRenderer(t).RenderPDF(ctx, loadSource(t, "notice.txt"), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestSubsetRoundTrip(t *testing.T) {
	fn := testRenderer(t).Fonts().font(FaceFang)
	used := map[rune]uint16{}
	for _, r := range "公文格式" {
		g, ok := fn.GlyphIndex(r)
		if !ok {
			t.Fatalf("no glyph for %c", r)
		}
		used[r] = g
	}
	sub, remap := fn.Subset(used)
	back, err := truetype.Parse(sub)
	if err != nil {
		t.Fatal(err)
	}
	if back.NumGlyphs != 5 {
		t.Errorf("subset has %d glyphs, want .notdef and 4", back.NumGlyphs)
	}
	if len(sub) > 20<<10 {
		t.Errorf("subset of 4 characters is %d bytes", len(sub))
	}
	for r, g := range used {
		if got, ok := back.GlyphIndex(r); !ok || got != remap[g] || back.Advance(got) != fn.Advance(g) {
			t.Errorf("%c: glyph %d→%d", r, g, got)
		}
	}
	if _, ok := back.GlyphIndex('的'); ok {
		t.Error("subset cmap maps a character that was not used")
	}
}

// TestPDFSyntax has qpdf check the file structure the writer produces.
func TestPDFSyntax(t *testing.T) {
	needTool(t, "qpdf")
	var form bytes.Buffer
	if err := testRenderer(t).RenderForm(context.Background(), &form, PDF, BuiltinForms()["outgoing-draft"], nil, Options{Watermark: "张三 2024-01-08 09:30"}); err != nil {
		t.Fatal(err)
	}
	for name, pdf := range map[string][]byte{
		"notice": renderPDF(t, loadSource(t, "notice.txt"), Options{Watermark: "张三"}),
		"joint":  renderPDF(t, loadSource(t, "joint.txt"), Options{}),
		"form":   form.Bytes(),
	} {
		f := filepath.Join(t.TempDir(), name+".pdf")
		if err := os.WriteFile(f, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("qpdf", "--check", f).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
			t.Errorf("%s: qpdf --check: %v\n%s", name, err, out)
		}
	}
}
