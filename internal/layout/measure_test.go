package layout

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestMeasuredLayout renders the sample 通知 and measures the PDF the way a
// reviewer with a ruler would, to ±0.5 mm (GB/T 9704 §5–§7).
func TestMeasuredLayout(t *testing.T) {
	pdf := renderPDF(t, loadSource(t, "notice.txt"), Options{})
	pages := extractWords(t, pdf)
	strokes := pageStrokes(t, pdf)
	if len(pages) < 4 {
		t.Fatalf("got %d pages, want at least 4", len(pages))
	}
	if len(strokes) != len(pages) {
		t.Fatalf("strokes for %d pages, pdftotext saw %d", len(strokes), len(pages))
	}

	t.Run("paper and margins", func(t *testing.T) {
		for i, p := range pages {
			near(t, "page width", p.Width, 210)
			near(t, "page height", p.Height, 297)
			for _, l := range lines(p) {
				if l.YMin > blockB { // page number, below the 版心
					continue
				}
				if l.XMin < MarginLeft-0.5 || l.XMax > blockR+0.5 || l.YMin < MarginTop-0.5 {
					t.Errorf("page %d: %q at x %.2f–%.2f y %.2f lies outside the 版心 (28–184 mm, from 37 mm)", i+1, l.Text, l.XMin, l.XMax, l.YMin)
				}
			}
		}
	})

	t.Run("版头", func(t *testing.T) {
		p := pages[0]
		copyNo := findLine(t, p, "000123")
		near(t, "份号 left", copyNo.XMin, MarginLeft)
		near(t, "份号 top (line 1)", copyNo.YMin, emTop(0, Size3))
		cls := findLine(t, p, "秘密★1年")
		near(t, "密级 top (line 2)", cls.YMin, emTop(1, Size3))
		mark := findLine(t, p, "枢纽市人民政府文件")
		near(t, "发文机关标志 top, 35 mm below the 版心 top", mark.YMin, MarginTop+35)
		near(t, "发文机关标志 centre", (mark.XMin+mark.XMax)/2, MarginLeft+BlockWidth/2)
		num := findLine(t, p, "枢政发〔2024〕5号")
		near(t, "发文字号 centre", (num.XMin+num.XMax)/2, MarginLeft+BlockWidth/2)
		var red []stroke
		for _, s := range strokes[0] {
			if s.R == 1 && s.G == 0 && s.B == 0 {
				red = append(red, s)
			}
		}
		if len(red) != 1 {
			t.Fatalf("page 1 has %d red lines, want the one separator", len(red))
		}
		sep := red[0]
		near(t, "separator left", sep.X1, MarginLeft)
		near(t, "separator right", sep.X2, blockR)
		near(t, "separator 4 mm below the 发文字号", sep.Y1, num.YMax+4)
		title := findLine(t, p, "枢纽市人民政府关于")
		near(t, "title centre", (title.XMin+title.XMax)/2, MarginLeft+BlockWidth/2)
		if title.YMin < sep.Y1+2*LinePitch-1 {
			t.Errorf("title at %.2f mm is not two lines below the separator at %.2f mm", title.YMin, sep.Y1)
		}
		to := findLine(t, p, "各区人民政府")
		near(t, "主送 flush left", to.XMin, MarginLeft)
		if !strings.HasSuffix(to.Text, "：") {
			t.Errorf("主送 %q should end with a full-width colon", to.Text)
		}
	})

	t.Run("body grid: 22 lines of 28 characters", func(t *testing.T) {
		p := pages[1] // a page of body text only
		ls := lines(p)
		var body []textLine
		for _, l := range ls {
			if l.YMin < blockB {
				body = append(body, l)
			}
		}
		if len(body) != LinesPerPage {
			t.Fatalf("page 2 has %d body lines, want %d", len(body), LinesPerPage)
		}
		near(t, "first line top", body[0].YMin, emTop(0, Size3))
		near(t, "last line bottom", body[len(body)-1].YMax, emTop(LinesPerPage-1, Size3)+Size3)
		for i := 1; i < len(body); i++ {
			near(t, "line pitch", body[i].YMin-body[i-1].YMin, LinePitch)
		}
		full := 0
		for _, l := range body {
			if l.XMax < blockR-0.5 || strings.ContainsFunc(l.Text, func(r rune) bool { return r < 0x80 }) {
				continue // a paragraph's last line, or one with half-width characters
			}
			full++
			cells := int(math.Round((l.XMin-MarginLeft)/CharPitch)) + utf8.RuneCountInString(l.Text)
			// 28 cells, or 27 spread over the full width when a character
			// was carried to the next line by the 禁则.
			if cells != CharsPerLine && cells != CharsPerLine-1 {
				t.Errorf("line %q fills %d cells, want %d", l.Text, cells, CharsPerLine)
			}
			near(t, "full line right", l.XMax, blockR)
		}
		if full < 5 {
			t.Errorf("only %d full lines on page 2", full)
		}
	})

	t.Run("line-breaking rules", func(t *testing.T) {
		for i, p := range pages {
			for _, l := range lines(p) {
				r, _ := utf8.DecodeRuneInString(l.Text)
				last, _ := utf8.DecodeLastRuneInString(l.Text)
				if strings.ContainsRune(noLineStart, r) && r != '—' {
					t.Errorf("page %d: line starts with closing punctuation: %q", i+1, l.Text)
				}
				if strings.ContainsRune(noLineEnd, last) {
					t.Errorf("page %d: line ends with opening punctuation: %q", i+1, l.Text)
				}
			}
		}
	})

	t.Run("page numbers", func(t *testing.T) {
		for i, p := range pages[:len(pages)-1] {
			n := i + 1
			var pn *textLine
			for _, l := range lines(p) {
				if l.YMin > blockB {
					pn = &l
				}
			}
			if pn == nil {
				t.Errorf("page %d has no page number", n)
				continue
			}
			if !strings.Contains(pn.Text, "—") || !strings.Contains(pn.Text, string(rune('0'+n))) {
				t.Errorf("page %d number reads %q", n, pn.Text)
			}
			near(t, "page number 7 mm below the 版心", pn.YMin, blockB+7)
			if n%2 == 1 {
				near(t, "odd page number right edge (1 字 in)", pn.XMax, blockR-Size4)
			} else {
				near(t, "even page number left edge (1 字 in)", pn.XMin, MarginLeft+Size4)
			}
		}
	})

	t.Run("版记 on the last even page", func(t *testing.T) {
		if len(pages)%2 != 0 {
			t.Fatalf("%d pages: the 版记 page must be even", len(pages))
		}
		p := pages[len(pages)-1]
		issue := findLine(t, p, "枢纽市人民政府办公室")
		near(t, "印发机关 left (1 字 in)", issue.XMin, MarginLeft+Size4)
		near(t, "印发日期 right (1 字 in)", issue.XMax, blockR-Size4)
		near(t, "印发 row on the last line", issue.YMin, emTop(LinesPerPage-1, Size4))
		if !strings.HasSuffix(issue.Text, "2024年1月6日印发") {
			t.Errorf("印发 row reads %q", issue.Text)
		}
		cc := findLine(t, p, "抄送：")
		near(t, "抄送 left (1 字 in)", cc.XMin, MarginLeft+Size4)
		ss := strokes[len(strokes)-1]
		if len(ss) != 3 {
			t.Fatalf("版记 has %d rules, want 3 (thick, thin, thick)", len(ss))
		}
		last := ss[len(ss)-1]
		near(t, "last 版记 rule on the bottom edge of the 版心", last.Y1, blockB)
		near(t, "版记 rule width", last.X2-last.X1, BlockWidth)
		if !(ss[0].Width > ss[1].Width && last.Width > ss[1].Width) {
			t.Errorf("版记 rules should be thick, thin, thick; got widths %.2f %.2f %.2f", ss[0].Width, ss[1].Width, last.Width)
		}
		if ss[0].Y1 > cc.YMin {
			t.Errorf("first 版记 rule at %.2f mm is below the 抄送 line at %.2f mm", ss[0].Y1, cc.YMin)
		}
	})
}

// TestGridFill fills pages with plain text: every line of the body must hold
// exactly 28 characters and every page exactly 22 lines.
func TestGridFill(t *testing.T) {
	text := strings.Repeat("国家标准规定公文版心每面排二十二行每行排二十八个字", 60)
	d := &Document{Title: "版心测试", Body: []Paragraph{{Text: text}}}
	pages := extractWords(t, renderPDF(t, d, Options{}))
	if len(pages) < 3 {
		t.Fatalf("%d pages", len(pages))
	}
	p := pages[1]
	var body []textLine
	for _, l := range lines(p) {
		if l.YMin < blockB {
			body = append(body, l)
		}
	}
	if len(body) != LinesPerPage {
		t.Fatalf("page 2 has %d lines, want %d", len(body), LinesPerPage)
	}
	for i, l := range body {
		if n := utf8.RuneCountInString(l.Text); n != CharsPerLine {
			t.Errorf("line %d has %d characters, want %d", i+1, n, CharsPerLine)
		}
		near(t, "left", l.XMin, MarginLeft)
		near(t, "right", l.XMax, blockR)
		near(t, "top", l.YMin, emTop(i, Size3))
	}
}
