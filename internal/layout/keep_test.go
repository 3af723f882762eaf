package layout

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// keepCase is a document whose signature block follows a body of n lines.
type keepCase struct {
	name string
	doc  func(n int) *Document
}

// bodyLines is n one-line paragraphs, each marked "第k段" so the test can
// tell them apart in the PDF.
func bodyLines(n int) []Paragraph {
	ps := make([]Paragraph, n)
	for i := range ps {
		ps[i] = Paragraph{Text: fmt.Sprintf("第%d段", i+1) + "各单位要认真落实安全生产责任制度。"}
	}
	return ps
}

func keepCases() []keepCase {
	base := func(n int) *Document {
		return &Document{Title: "关于做好安全生产工作的通知", To: "各区人民政府", Body: bodyLines(n),
			Issuer: "枢纽市人民政府", Date: "2024年4月12日"}
	}
	return []keepCase{
		{"unsealed", base},
		{"unsealed joint", func(n int) *Document {
			d := base(n)
			d.Issuer = "枢纽市人民政府、枢纽军分区"
			return d
		}},
		{"sealed", func(n int) *Document {
			d := base(n)
			d.Sealed = true
			return d
		}},
		{"sealed with note", func(n int) *Document {
			d := base(n)
			d.Sealed, d.Note = true, "此件公开发布"
			return d
		}},
		{"sealed joint", func(n int) *Document {
			d := base(n)
			d.Sealed, d.Issuer = true, "枢纽市人民政府、枢纽军分区、枢纽市财政局"
			return d
		}},
		{"signature seal", func(n int) *Document {
			d := base(n)
			d.Format, d.IssuerMark, d.DocNumber, d.SignerTitle = FormatOrder, "枢纽市人民政府令", "第8号", "市长　王明"
			return d
		}},
	}
}

// firstOverflow finds the shortest body whose block does not fit on page 3
// (after page 2, a full page of text) on the 22-line grid and whose page
// needs, in that pass, more than min lines.
func firstOverflow(t *testing.T, c keepCase, min int) (int, *blockOverflow) {
	t.Helper()
	fs := testRenderer(t).Fonts()
	for n := 30; n < 80; n++ {
		ts := fs.typeset(context.Background(), c.doc(n), Options{}, "", nil)
		if o := ts.overflow; o != nil && o.page == 2 && o.need > min {
			return n, o
		}
	}
	t.Fatal("no body length makes the block overflow")
	return 0, nil
}

// blockPage is the PDF page with the date (the last line of the block) and
// the bottom of the last body line above the block's first line on it.
func blockPage(t *testing.T, pages []bboxPage, date, first string) (int, float64) {
	t.Helper()
	for i, p := range pages {
		for _, l := range lines(p) {
			if strings.Contains(l.Text, date) {
				// The last line starting with it: the 署名, not the 标志.
				top := -1.0
				for _, l := range lines(p) {
					if strings.HasPrefix(l.Text, first) {
						top = l.YMin
					}
				}
				if top < 0 {
					t.Fatalf("no line starting with %q on page %d", first, i+1)
				}
				return i, bodyBottom(p, top)
			}
		}
	}
	t.Fatalf("no page with %q", date)
	return 0, 0
}

// bodyLinesOf are the 正文 lines ("第k段…" and the lines they wrap to are
// not used: every paragraph is one line) of a page, top to bottom.
func bodyLinesOf(p bboxPage) []textLine {
	var out []textLine
	for _, l := range lines(p) {
		if strings.HasPrefix(l.Text, "第") && strings.Contains(l.Text, "段") {
			out = append(out, l)
		}
	}
	return out
}

// blockFirst is the text of the block's first line.
func blockFirst(d *Document) string {
	if d.Format == FormatOrder {
		return "市长"
	}
	return issuers(d.Issuer)[0]
}

// TestBlockKeptTight: when the 署名/成文日期/seal block just overflows the
// page (§7.3.5.5), the page's lines are tightened so that it stays under the
// last body line — measured from the PDF: same page as text, evenly pitched
// at 225/N mm with N within the bound, every line and seal inside the 版心;
// the full page before keeps the 22-line grid.
func TestBlockKeptTight(t *testing.T) {
	for _, c := range keepCases() {
		t.Run(c.name, func(t *testing.T) {
			n, o := firstOverflow(t, c, 0)
			if o.need > maxTightLines {
				t.Fatalf("first overflow needs %d lines, more than the bound %d", o.need, maxTightLines)
			}
			d := c.doc(n)
			typeset, err := testRenderer(t).Pages(d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			pages := extractWords(t, renderPDF(t, d, Options{}))
			bp, above := blockPage(t, pages, d.Date, blockFirst(d))
			if bp != o.page {
				t.Fatalf("block on page %d, want page %d (with the text)", bp+1, o.page+1)
			}
			if above == 0 {
				t.Fatal("no text above the block")
			}
			p := pages[bp]
			if d.Note != "" {
				near(t, "附注 on the line under the date", findLine(t, p, "此件公开发布").YMin-findLine(t, p, d.Date).YMin, BlockHeight/float64(o.need))
			}
			body := bodyLinesOf(p)
			if len(body) < 2 {
				t.Fatalf("%d body lines on the block's page", len(body))
			}
			pitch := body[1].YMin - body[0].YMin
			if pitch > LinePitch-0.2 || pitch < BlockHeight/maxTightLines-0.05 {
				t.Errorf("line pitch %.2f mm, want tighter than %.2f and at least %.2f", pitch, LinePitch, BlockHeight/maxTightLines)
			}
			for i := 1; i < len(body); i++ {
				near(t, "tightened line pitch", body[i].YMin-body[i-1].YMin, pitch)
			}
			near(t, "first line on the tightened grid", body[0].YMin, MarginTop+(pitch-Size3)/2)
			for _, l := range lines(p) {
				if strings.Contains(l.Text, "—") { // the page number, 7 mm below the 版心
					continue
				}
				if l.YMin < MarginTop-0.5 || l.YMax > blockB+0.5 || l.XMin < MarginLeft-0.5 || l.XMax > blockR+0.5 {
					t.Errorf("line %q at (%.1f–%.1f, %.1f–%.1f) mm leaves the 版心", l.Text, l.XMin, l.XMax, l.YMin, l.YMax)
				}
			}
			for _, s := range typeset[bp].Seals {
				if s.Y < MarginTop-0.01 || s.Y+s.H > blockB+0.01 || s.X < MarginLeft-0.01 || s.X+s.W > blockR+0.01 {
					t.Errorf("seal place %+v leaves the 版心", s)
				}
				if s.Y < above {
					t.Errorf("seal place top %.1f mm above the last body line's bottom %.1f mm", s.Y, above)
				}
			}
			// The full page of text before keeps 22 lines of 225/22 mm.
			prev := bodyLinesOf(pages[bp-1])
			if len(prev) != LinesPerPage {
				t.Fatalf("page %d has %d body lines, want %d", bp, len(prev), LinesPerPage)
			}
			for i := 1; i < len(prev); i++ {
				near(t, "line pitch of a full page", prev[i].YMin-prev[i-1].YMin, LinePitch)
			}
		})
	}
}

// TestBlockKeptFallback: when the page would need more lines than the bound,
// it is not tightened; its last two body lines go to the next page with the
// block, which stands on the 22-line grid under them.
func TestBlockKeptFallback(t *testing.T) {
	for _, c := range keepCases() {
		t.Run(c.name, func(t *testing.T) {
			n, o := firstOverflow(t, c, maxTightLines)
			d := c.doc(n)
			pages := extractWords(t, renderPDF(t, d, Options{}))
			bp, above := blockPage(t, pages, d.Date, blockFirst(d))
			if bp != o.page+1 {
				t.Fatalf("block on page %d, want page %d", bp+1, o.page+2)
			}
			if above == 0 {
				t.Fatal("the block stands alone on its page")
			}
			if d.Note != "" {
				near(t, "附注 on the line under the date", findLine(t, pages[bp], "此件公开发布").YMin-findLine(t, pages[bp], d.Date).YMin, LinePitch)
			}
			body := bodyLinesOf(pages[bp])
			if len(body) != carryLines {
				t.Fatalf("%d body lines carried with the block, want %d", len(body), carryLines)
			}
			if !strings.HasPrefix(body[len(body)-1].Text, fmt.Sprintf("第%d段", n)) {
				t.Errorf("last carried line %q, want the last paragraph", body[len(body)-1].Text)
			}
			near(t, "carried line on line 1", body[0].YMin, emTop(0, Size3))
			near(t, "grid pitch under the carried lines", body[1].YMin-body[0].YMin, LinePitch)
			prev := bodyLinesOf(pages[bp-1])
			for i := 1; i < len(prev); i++ {
				near(t, "line pitch of the page before", prev[i].YMin-prev[i-1].YMin, LinePitch)
			}
			if len(prev) == 0 {
				t.Error("no body lines left on the page before the block")
			}
			total := 0
			for _, p := range pages {
				total += len(bodyLinesOf(p))
			}
			if total != n {
				t.Errorf("%d body lines in the PDF, want %d", total, n)
			}
		})
	}
}

// TestBlockKeptPageOne: a short document whose block overflows page 1 is
// tightened there; the 版头's millimetre positions are kept.
func TestBlockKeptPageOne(t *testing.T) {
	fs := testRenderer(t).Fonts()
	for n := 1; n < 22; n++ {
		d := &Document{IssuerMark: "枢纽市人民政府文件", DocNumber: "枢政发〔2024〕5号", Title: "关于做好安全生产工作的通知",
			To: "各区人民政府", Body: bodyLines(n), Issuer: "枢纽市人民政府", Date: "2024年4月12日", Sealed: true}
		o := fs.typeset(context.Background(), d, Options{}, "", nil).overflow
		if o == nil {
			continue
		}
		if o.page != 0 {
			t.Fatalf("overflow on page %d", o.page+1)
		}
		pages := extractWords(t, renderPDF(t, d, Options{}))
		bp, above := blockPage(t, pages, d.Date, "枢纽市人民政府")
		if bp != 0 || above == 0 {
			t.Fatalf("%d body lines: block on page %d, %.1f mm under text; want page 1 under the text", n, bp+1, above)
		}
		mark := findLine(t, pages[0], "枢纽市人民政府文件")
		near(t, "标志 top 35 mm below the 版心 top", mark.YMin, MarginTop+35)
		if l := findLine(t, pages[0], "2024年4月12日"); l.YMax > blockB+0.5 {
			t.Errorf("date bottom %.1f mm below the 版心", l.YMax)
		}
		return
	}
	t.Fatal("no body length makes the block overflow page 1")
}
