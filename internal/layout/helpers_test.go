package layout

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	rendererOnce sync.Once
	sharedR      *Renderer
	sharedErr    error
)

// testRenderer loads the default fonts once for the whole test binary.
func testRenderer(t testing.TB) *Renderer {
	t.Helper()
	rendererOnce.Do(func() { sharedR, sharedErr = NewRenderer(FontConfig{}, nil) })
	if sharedErr != nil {
		if errors.Is(sharedErr, ErrFontsMissing) {
			t.Fatalf("layout tests need the fonts: run scripts/setup-fonts.sh (as root) first: %v", sharedErr)
		}
		t.Fatal(sharedErr)
	}
	return sharedR
}

func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: run scripts/setup-fonts.sh (it installs poppler-utils and qpdf)", name)
	}
}

func loadSource(t testing.TB, name string) *Document {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ParseSource(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

func renderPDF(t testing.TB, d *Document, opts Options) []byte {
	t.Helper()
	b, err := testRenderer(t).RenderPDF(context.Background(), d, opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// word is a word of `pdftotext -bbox`, converted to millimetres.
type word struct {
	Text                   string
	XMin, YMin, XMax, YMax float64
}

type bboxPage struct {
	Width, Height float64
	Words         []word
}

// extractWords runs pdftotext -bbox on the PDF and returns its pages.
func extractWords(t testing.TB, pdf []byte) []bboxPage {
	t.Helper()
	needTool(t, "pdftotext")
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var doc struct {
		Pages []struct {
			Width  float64 `xml:"width,attr"`
			Height float64 `xml:"height,attr"`
			Words  []struct {
				XMin float64 `xml:"xMin,attr"`
				YMin float64 `xml:"yMin,attr"`
				XMax float64 `xml:"xMax,attr"`
				YMax float64 `xml:"yMax,attr"`
				Text string  `xml:",chardata"`
			} `xml:"word"`
		} `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("parse pdftotext output: %v", err)
	}
	k := 25.4 / 72
	var pages []bboxPage
	for _, p := range doc.Pages {
		bp := bboxPage{Width: p.Width * k, Height: p.Height * k}
		for _, w := range p.Words {
			bp.Words = append(bp.Words, word{w.Text, w.XMin * k, w.YMin * k, w.XMax * k, w.YMax * k})
		}
		pages = append(pages, bp)
	}
	return pages
}

// textLine is the words sharing one baseline, merged.
type textLine struct {
	Text                   string
	XMin, YMin, XMax, YMax float64
}

func lines(p bboxPage) []textLine {
	ws := append([]word(nil), p.Words...)
	sort.Slice(ws, func(i, j int) bool {
		if math.Abs(ws[i].YMin-ws[j].YMin) > 1 {
			return ws[i].YMin < ws[j].YMin
		}
		return ws[i].XMin < ws[j].XMin
	})
	var out []textLine
	for _, w := range ws {
		if n := len(out); n > 0 && math.Abs(out[n-1].YMin-w.YMin) <= 1 {
			l := &out[n-1]
			l.Text += w.Text
			l.XMin, l.XMax = math.Min(l.XMin, w.XMin), math.Max(l.XMax, w.XMax)
			l.YMax = math.Max(l.YMax, w.YMax)
			continue
		}
		out = append(out, textLine(w))
	}
	return out
}

func findLine(t testing.TB, p bboxPage, text string) textLine {
	t.Helper()
	for _, l := range lines(p) {
		if strings.Contains(l.Text, text) {
			return l
		}
	}
	t.Fatalf("no line containing %q on the page; lines: %v", text, lines(p))
	return textLine{}
}

// stroke is a line drawn in a PDF content stream, in mm from the top-left.
type stroke struct {
	X1, Y1, X2, Y2, Width float64
	R, G, B               float64
}

var strokeRE = regexp.MustCompile(`([\d.]+) ([\d.]+) ([\d.]+) RG ([\d.]+) w 0 J ([\d.-]+) ([\d.-]+) m ([\d.-]+) ([\d.-]+) l S`)

// pageStrokes reads the stroked lines of each page from the PDF's content
// streams (which this package writes in a fixed form).
func pageStrokes(t testing.TB, pdf []byte) [][]stroke {
	t.Helper()
	contentRE := regexp.MustCompile(`/Contents (\d+) 0 R`)
	var out [][]stroke
	k := 25.4 / 72
	for _, m := range contentRE.FindAllSubmatch(pdf, -1) {
		id := string(m[1])
		start := bytes.Index(pdf, []byte("\n"+id+" 0 obj\n"))
		if start < 0 {
			t.Fatalf("object %s not found", id)
		}
		s := pdf[start:]
		i := bytes.Index(s, []byte("stream\n"))
		j := bytes.Index(s, []byte("\nendstream"))
		zr, err := zlib.NewReader(bytes.NewReader(s[i+7 : j]))
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		var ss []stroke
		for _, m := range strokeRE.FindAllStringSubmatch(string(content), -1) {
			f := make([]float64, 8)
			for i := range f {
				f[i], _ = strconv.ParseFloat(m[i+1], 64)
			}
			ss = append(ss, stroke{X1: f[4] * k, Y1: 297 - f[5]*k, X2: f[6] * k, Y2: 297 - f[7]*k, Width: f[3] * k, R: f[0], G: f[1], B: f[2]})
		}
		out = append(out, ss)
	}
	return out
}

func near(t testing.TB, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 0.5 {
		t.Errorf("%s = %.2f mm, want %.2f ± 0.5 mm", what, got, want)
	}
}
