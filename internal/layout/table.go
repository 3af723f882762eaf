package layout

import (
	"fmt"
	"math"
	"strings"
)

// Table is a table in the 正文, set across the 版心 (GB/T 9704 §10: a table
// in a 公文 keeps the 版心 of the text): an optional title centred above it
// in 黑体, a header row in 黑体 repeated at the top of every page the table
// runs onto, and rows of cells in 仿宋, every cell centred, all ruled. Rows
// take whole lines of the 22-line grid, so the text after the table keeps
// to the grid.
type Table struct {
	Title   string    // 表题, e.g. "2026年度镇街考核结果"; may be empty
	Columns []float64 // relative column widths; their count is the table's
	Header  []string  // one per column
	Rows    [][]string
}

// Table typography: 小四 (12 pt) cells with 1.3 lines between their text
// lines and 1.5 mm of padding; a row is at least one grid line high.
const (
	tableSize   = 12 * ptMM
	tablePitch  = tableSize * 1.3
	tablePad    = 1.5
	tableRuleW  = 0.3
	tableFrameW = 0.5
	maxTableCol = 30
	maxCellText = 200
)

// Validate checks that every row has one cell per column and that each cell
// is short enough to fit a row on a page.
func (t *Table) Validate() error {
	n := len(t.Columns)
	if n == 0 || n > maxTableCol {
		return fmt.Errorf("表格须有 1–%d 列", maxTableCol)
	}
	for _, w := range t.Columns {
		if !(w > 0) || math.IsInf(w, 0) {
			return fmt.Errorf("表格的列宽须为正数")
		}
	}
	if len(t.Header) != n {
		return fmt.Errorf("表头有%d格，应为%d格", len(t.Header), n)
	}
	for i, r := range t.Rows {
		if len(r) != n {
			return fmt.Errorf("表格第%d行有%d格，应为%d格", i+1, len(r), n)
		}
	}
	var long error
	t.eachText(func(s string) {
		if long == nil && len([]rune(s)) > maxCellText {
			long = fmt.Errorf("表格的单元格不能超过%d字", maxCellText)
		}
	})
	return long
}

// eachText calls f with every text of the table; a nil table has none.
func (t *Table) eachText(f func(string)) {
	if t == nil {
		return
	}
	f(t.Title)
	for _, s := range t.Header {
		f(s)
	}
	for _, r := range t.Rows {
		for _, s := range r {
			f(s)
		}
	}
}

// tableRow is one row set into lines: the lines of each cell and the grid
// lines the row takes.
type tableRow struct {
	cells [][][]Text
	lines int
}

// setRow breaks the cells of one row into their column widths.
func (ts *typesetter) setRow(cells []string, xs []float64, face Face) tableRow {
	var tr tableRow
	most := 1
	for c, s := range cells {
		w := xs[c+1] - xs[c] - 2*tablePad
		ls := lineSpec{size: tableSize, width: w, centre: true, alignLeft: xs[c] + tablePad}
		var lines [][]Text
		if strings.TrimSpace(s) != "" {
			lines = ts.setLines([]span{{face, s}}, ls, Black)
		}
		tr.cells = append(tr.cells, lines)
		most = max(most, len(lines))
	}
	tr.lines = max(1, int(math.Ceil((float64(most)*tablePitch+2*tablePad)/ts.pitch-0.001)))
	return tr
}

// placeRow puts a set row at the current grid line, its cells' text
// centred in the row's height, and advances.
func (ts *typesetter) placeRow(tr tableRow) {
	top := ts.lineTop(ts.line)
	h := float64(tr.lines) * ts.pitch
	for _, lines := range tr.cells {
		y := top + (h-float64(len(lines))*tablePitch)/2
		for k, l := range lines {
			for _, t := range l {
				t.Top = y + float64(k)*tablePitch + (tablePitch-tableSize)/2
				ts.cur.Texts = append(ts.cur.Texts, t)
			}
		}
	}
	ts.line += tr.lines
}

// table sets a Table: its title, then its header and rows, breaking between
// rows and repeating the header on each new page; the rules are drawn for
// each page's part of the table when it is complete.
func (ts *typesetter) table(t *Table) {
	sum := 0.0
	for _, w := range t.Columns {
		sum += w
	}
	xs := make([]float64, len(t.Columns)+1)
	xs[0] = MarginLeft
	for i, w := range t.Columns {
		xs[i+1] = xs[i] + BlockWidth*w/sum
	}
	xs[len(xs)-1] = blockR
	if t.Title != "" {
		ls := lineSpec{size: Size3, grid: true, width: BlockWidth, centre: true, alignLeft: MarginLeft}
		lines := ts.setLines([]span{{FaceHei, t.Title}}, ls, Black)
		ts.need(len(lines) + 2)
		for _, l := range lines {
			ts.put(l)
		}
	}
	// One part of the table per page: its grid lines from first to ts.line,
	// and the row boundaries inside it.
	var first int
	var bounds []int
	closePart := func() {
		if ts.err != nil || ts.line <= first {
			return
		}
		y0, y1 := ts.lineTop(first), ts.lineTop(ts.line)
		p := ts.cur
		for i, x := range xs {
			w := tableRuleW
			if i == 0 || i == len(xs)-1 {
				w = tableFrameW
			}
			p.Rules = append(p.Rules, Rule{X1: x, Y1: y0, X2: x, Y2: y1, Width: w, Color: Black})
		}
		p.Rules = append(p.Rules, Rule{X1: xs[0], Y1: y0, X2: blockR, Y2: y0, Width: tableFrameW, Color: Black})
		for _, b := range bounds {
			y := ts.lineTop(b)
			p.Rules = append(p.Rules, Rule{X1: xs[0], Y1: y, X2: blockR, Y2: y, Width: tableRuleW, Color: Black})
		}
		p.Rules = append(p.Rules, Rule{X1: xs[0], Y1: y1, X2: blockR, Y2: y1, Width: tableFrameW, Color: Black})
	}
	header := ts.setRow(t.Header, xs, FaceHei)
	startPart := func() {
		first, bounds = ts.line, nil
		ts.placeRow(header)
	}
	firstRow := 0
	if len(t.Rows) > 0 {
		firstRow = ts.setRow(t.Rows[0], xs, FaceFang).lines
	}
	ts.need(header.lines + firstRow)
	startPart()
	for i, cells := range t.Rows {
		if ts.err != nil {
			return
		}
		if i%50 == 0 && ts.ctx != nil {
			if ts.err = ts.ctx.Err(); ts.err != nil {
				return
			}
		}
		tr := ts.setRow(cells, xs, FaceFang)
		if ts.line+tr.lines > ts.cap {
			closePart()
			ts.newPage()
			startPart()
		}
		bounds = append(bounds, ts.line)
		ts.placeRow(tr)
	}
	closePart()
}

// table writes a Table as a DOCX table across the text width, the header
// row repeated on each page.
func (d *docx) table(t *Table) {
	b := &d.b
	if t.Title != "" {
		d.para(dPara{align: "center", runs: []dRun{{text: t.Title, font: docxHei}}})
	}
	sum := 0.0
	for _, w := range t.Columns {
		sum += w
	}
	total := twips(BlockWidth)
	b.WriteString(`<w:tbl><w:tblPr>`)
	fmt.Fprintf(b, `<w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>`, total)
	b.WriteString(`<w:tblBorders><w:top w:val="single" w:sz="8"/><w:left w:val="single" w:sz="8"/><w:bottom w:val="single" w:sz="8"/><w:right w:val="single" w:sz="8"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders>`)
	b.WriteString(`</w:tblPr><w:tblGrid>`)
	widths := make([]int, len(t.Columns))
	for i, w := range t.Columns {
		widths[i] = int(float64(total) * w / sum)
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, widths[i])
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, head bool) {
		b.WriteString(`<w:tr>`)
		if head {
			b.WriteString(`<w:trPr><w:tblHeader/></w:trPr>`)
		}
		for i, s := range cells {
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`, widths[i])
			r := dRun{text: s, size: 24}
			if head {
				r.font = docxHei
			}
			d.para(dPara{align: "center", runs: []dRun{r}})
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	row(t.Header, true)
	for _, r := range t.Rows {
		row(r, false)
	}
	b.WriteString(`</w:tbl>`)
}
