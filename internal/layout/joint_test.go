package layout

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

// findWord returns the word of the page that reads exactly text.
func findWord(t testing.TB, p bboxPage, text string) word {
	t.Helper()
	for _, w := range p.Words {
		if w.Text == text {
			return w
		}
	}
	var all []string
	for _, w := range p.Words {
		all = append(all, w.Text)
	}
	t.Fatalf("no word %q on the page; words: %v", text, all)
	return word{}
}

// bodyBottom is the bottom of the last body line above y on the page.
func bodyBottom(p bboxPage, y float64) float64 {
	b := 0.0
	for _, l := range lines(p) {
		if l.YMax < y-1 {
			b = math.Max(b, l.YMax)
		}
	}
	return b
}

// TestJointSealedSignature measures the sealed layout of joint documents
// (GB/T 9704 §7.3.5.1): 署名 in issuer order, evenly arranged in rows, each
// seal's place centred on its 署名, the last one on the last 署名 and the
// date, the date 4 字 from the right; seals aligned per row, apart, inside
// the 版心, the first row within one line of the text above.
func TestJointSealedSignature(t *testing.T) {
	organs := []string{"枢纽市人民政府", "枢纽军分区", "枢纽市财政局", "枢纽市民政局", "枢纽市公安局", "枢纽市教育局", "枢纽市卫健委"}
	for _, tc := range []struct {
		n    int
		rows []int // organs per row, top to bottom
	}{
		{1, []int{1}}, {2, []int{2}}, {3, []int{3}}, {4, []int{2, 2}}, {5, []int{3, 2}}, {7, []int{3, 3, 1}},
	} {
		t.Run(fmt.Sprintf("%d organs", tc.n), func(t *testing.T) {
			d := &Document{Title: "关于联合开展检查的通知", Body: []Paragraph{{Text: "现就联合开展安全生产检查有关事项通知如下。"}},
				Issuer: strings.Join(organs[:tc.n], "、"), Date: "2024年4月12日", Sealed: true}
			pages, err := testRenderer(t).Pages(d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			pdfPages := extractWords(t, renderPDF(t, d, Options{}))
			if len(pdfPages) != len(pages) {
				t.Fatalf("pdftotext saw %d pages, typeset %d", len(pdfPages), len(pages))
			}
			p, pg := pdfPages[len(pdfPages)-1], pages[len(pages)-1]
			seals := pg.Seals
			if len(seals) != tc.n {
				t.Fatalf("%d seal places, want one per organ (%d)", len(seals), tc.n)
			}
			date := findWord(t, p, "2024年4月12日")
			near(t, "成文日期 right edge 4 字 from the right", date.XMax, blockR-4*CharPitch)
			names := make([]word, tc.n)
			for i := range names {
				names[i] = findWord(t, p, organs[i])
			}
			// Issuer order: top to bottom, then left to right; rows as wanted.
			k := 0
			for r, cnt := range tc.rows {
				row := names[k : k+cnt]
				for i, w := range row {
					near(t, "署名 of a row on one line", w.YMin, row[0].YMin)
					if i > 0 && w.XMin <= row[i-1].XMax {
						t.Errorf("row %d: %q is not right of %q", r+1, w.Text, row[i-1].Text)
					}
					if i > 1 {
						near(t, "columns evenly spaced", (w.XMin+w.XMax)/2-(row[i-1].XMin+row[i-1].XMax)/2,
							(row[i-1].XMin+row[i-1].XMax)/2-(row[i-2].XMin+row[i-2].XMax)/2)
					}
				}
				if r > 0 && row[0].YMin <= names[k-1].YMax {
					t.Errorf("row %d is not below row %d", r+1, r)
				}
				k += cnt
			}
			last := names[tc.n-1]
			near(t, "last 署名 centred over the date", (last.XMin+last.XMax)/2, (date.XMin+date.XMax)/2)
			if date.YMin <= last.YMax || date.YMin > last.YMax+LinePitch {
				t.Errorf("date at %.1f mm is not on the line below the last 署名 (bottom %.1f mm)", date.YMin, last.YMax)
			}
			for i, s := range seals {
				cx, cy := s.X+s.W/2, s.Y+s.H/2
				w := names[i]
				near(t, fmt.Sprintf("seal %d centred on its 署名", i+1), cx, (w.XMin+w.XMax)/2)
				if cy > w.YMin+1 || cy < w.YMin-LinePitch/2 { // 署名 just below the centre
					t.Errorf("seal %d centre at %.1f mm does not press on its 署名 at %.1f–%.1f mm", i+1, cy, w.YMin, w.YMax)
				}
				if s.X < MarginLeft-0.01 || s.X+s.W > blockR+0.01 {
					t.Errorf("seal %d spans %.1f–%.1f mm, outside the 版心", i+1, s.X, s.X+s.W)
				}
				if s.Y+s.H > blockB {
					t.Errorf("seal %d reaches %.1f mm, below the 版心", i+1, s.Y+s.H)
				}
				for j, o := range seals[:i] {
					if math.Hypot(cx-(o.X+o.W/2), cy-(o.Y+o.H/2)) <= s.W/2+o.W/2 {
						t.Errorf("seals %d and %d touch or intersect", j+1, i+1)
					}
				}
			}
			// The last seal covers the last 署名 and the date, both slightly
			// below its centre.
			ls := seals[tc.n-1]
			if c := ls.Y + ls.H/2; c > last.YMin+1 || date.YMax > ls.Y+ls.H-2 {
				t.Errorf("last seal (centre %.1f mm) does not cover the last 署名 (%.1f mm) and the date (%.1f mm)", c, last.YMin, date.YMax)
			}
			// Seals of a row are aligned.
			k = 0
			for _, cnt := range tc.rows {
				for _, s := range seals[k : k+cnt] {
					near(t, "seals of a row aligned", s.Y, seals[k].Y)
				}
				k += cnt
			}
			// When the block does not fit under the text it starts the next
			// page (§7.3.5.5's squeezing is not done), with no text above.
			if top := bodyBottom(p, names[0].YMin); top > 0 && (seals[0].Y-top > LinePitch || seals[0].Y < top) {
				t.Errorf("first row of seals starts %.1f mm below the text, not within one line", seals[0].Y-top)
			}
		})
	}
}

// TestJointUnsealedSignature: without seals the lead organ's 署名 comes
// first and the others follow below, aligned; the date 2 字 right of them.
func TestJointUnsealedSignature(t *testing.T) {
	pages := extractWords(t, renderPDF(t, loadSource(t, "joint.txt"), Options{}))
	var pg bboxPage
	for _, q := range pages {
		for _, w := range q.Words {
			if w.Text == "枢纽军分区" {
				pg = q
			}
		}
	}
	lead, other := findWord(t, pg, "枢纽市人民政府"), findWord(t, pg, "枢纽军分区")
	date := findWord(t, pg, "2024年4月10日")
	near(t, "second organ one line below the lead", other.YMin-lead.YMin, LinePitch)
	near(t, "organs aligned left", other.XMin, lead.XMin)
	near(t, "date one line below the last 署名", date.YMin-other.YMin, LinePitch)
	near(t, "date starts 2 字 right of the 署名", date.XMin, lead.XMin+2*CharPitch)
	// The date is longer than the 署名 less 2 字: it is set 2 字 from the
	// right and pushes the 署名 left.
	near(t, "the longer date 2 字 from the right", date.XMax, blockR-2*CharPitch)
}

// TestJointOrderSignature: a joint 命令 sets one signer a row, lead first,
// each title 2 字 left of its signature seal (4 字 from the right), seals
// aligned, the date one blank line below the last, 4 字 from the right.
func TestJointOrderSignature(t *testing.T) {
	d := loadSource(t, "order-joint.txt")
	pages, err := testRenderer(t).Pages(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seals := pages[len(pages)-1].Seals
	pdf := extractWords(t, renderPDF(t, d, Options{}))
	p := pdf[len(pdf)-1]
	first, second := findLine(t, p, "市长"), findLine(t, p, "司令员")
	date := findLine(t, p, "2024年5月1日")
	if len(seals) != 2 {
		t.Fatalf("%d signature seal places, want 2", len(seals))
	}
	for i, sig := range []textLine{first, second} {
		s := seals[i]
		near(t, "signature seal 4 字 from the right", s.X+s.W, blockR-4*CharPitch)
		near(t, "signature seal 4 字 wide", s.W, 4*CharPitch)
		near(t, "title 2 字 left of the seal", sig.XMax, s.X-2*CharPitch)
		near(t, "title centred on the seal", (sig.YMin+sig.YMax)/2, s.Y+s.H/2)
	}
	if seals[1].Y < seals[0].Y+seals[0].H {
		t.Error("the signature seals overlap")
	}
	near(t, "signers aligned on their seals", seals[1].X, seals[0].X)
	near(t, "date 4 字 from the right", date.XMax, blockR-4*CharPitch)
	near(t, "date one blank line below the last signer", date.YMin-second.YMin, 2*LinePitch)
}

// TestManyJointSealsStayInside: more rows of seals than a page holds go on
// over the next page, every seal inside the 版心.
func TestManyJointSealsStayInside(t *testing.T) {
	var organs []string
	for i := 1; i <= 14; i++ {
		organs = append(organs, fmt.Sprintf("第%d委员会", i))
	}
	d := &Document{Title: "通知", Body: []Paragraph{{Text: "正文。"}}, Issuer: strings.Join(organs, "、"), Date: "2024年4月12日", Sealed: true}
	pages, err := testRenderer(t).Pages(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range pages {
		for _, s := range p.Seals {
			n++
			if s.Y < MarginTop-0.01 || s.Y+s.H > blockB+0.01 || s.X < MarginLeft-0.01 || s.X+s.W > blockR+0.01 {
				t.Errorf("page %d: seal place %+v outside the 版心", p.Number, s)
			}
		}
	}
	if n != len(organs) {
		t.Errorf("%d seal places for %d organs", n, len(organs))
	}
}

// TestJointSealedDOCX: the DOCX sets a joint sealed 署名 row as one paragraph
// with a centred tab stop per column, at the PDF's column centres.
func TestJointSealedDOCX(t *testing.T) {
	d := loadSource(t, "joint-sealed.txt")
	b, err := testRenderer(t).RenderDOCX(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := string(readZip(t, b)["word/document.xml"])
	pages, err := testRenderer(t).Pages(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seals := pages[0].Seals
	if len(seals) != 2 {
		t.Fatalf("%d seal places on page 1", len(seals))
	}
	var want strings.Builder
	want.WriteString("<w:tabs>")
	for _, s := range seals {
		fmt.Fprintf(&want, `<w:tab w:val="center" w:pos="%d"/>`, twips(s.X+s.W/2-MarginLeft))
	}
	want.WriteString("</w:tabs>")
	i := strings.Index(doc, want.String())
	if i < 0 {
		t.Fatalf("document.xml lacks the tab stops %s", want.String())
	}
	row := doc[i:]
	row = row[:strings.Index(row, "</w:p>")]
	if !strings.Contains(row, "枢纽市人民政府") || !strings.Contains(row, "枢纽军分区") || strings.Count(row, "<w:tab/>") != 2 {
		t.Errorf("the 署名 row is not one paragraph with a tab before each name: %s", row)
	}
}
