package layout

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Options are per-rendering choices: the same document may be printed as
// several numbered copies, each watermarked for its viewer.
type Options struct {
	// CopyNumber, when not empty, replaces the document's 份号 for this copy
	// (6 digits; shorter numbers are zero-padded).
	CopyNumber string
	// Watermark, when not empty, is drawn diagonally across every page, e.g.
	// the viewer's name and the time of printing.
	Watermark string
	// Sealer, when set, presses the organs' electronic seals on the PDF or
	// OFD: their images in the seal places and their signatures over the
	// file (see Sealer). The document must use the sealed layout. A DOCX
	// cannot be sealed.
	Sealer Sealer
}

type typesetter struct {
	fs    *Fonts
	doc   *Document
	pages []*Page
	cur   *Page
	line  int // next free grid line of cur
	// toInColophon is set when the 主送 would leave page 1 without body
	// text; GB/T 9704 then moves it to the 版记 as "主送：…".
	toInColophon bool
	// numberBase is the count of pages before the piece being set; an
	// attachment bound separately numbers its pages from 1.
	numberBase int
	// cap is the number of grid lines of cur and pitch their height: 22
	// lines of 225/22 mm, except on the one page of a second pass that
	// keeps the signature block with the text (see keepBlock).
	cap   int
	pitch float64
	// pageLines gives, by page index, the lines of a page set differently
	// from the 22-line grid: more and tighter to pull the signature block
	// up, or fewer to carry the last text lines over with it.
	pageLines map[int]int
	// overflow records the first signature block that did not fit under
	// the text and would have started a page on its own.
	overflow *blockOverflow
	// bodyLines are the page and grid line of the last carryLines+1 lines
	// of 正文 (or a 纪要's attendance) set so far; bodyPage is the page of
	// its first line. They choose the lines to carry with the block.
	bodyLines [][2]int
	bodyPage  int
	// ctx is the caller's; err is set when it ends or the pages pass
	// MaxPages, and stops the typesetting at the next page or paragraph.
	ctx context.Context
	err error
}

// blockOverflow is a signature block (署名, 成文日期, seals, 附注) that did not
// fit on page page: the page would need need grid lines to hold it; carry
// is the grid line from which text goes over with the block when the page
// cannot be tightened enough.
type blockOverflow struct {
	page  int
	need  int
	carry int
}

// The remedy of §7.3.5.5 (调整行距、字距): a page may take at most
// maxTightLines lines (pitch 225/24 ≈ 9.38 mm, about 26.6 pt, against
// 10.23 mm) to keep the signature block with the text. Character spacing is
// left alone: 28 三号 characters already fill the 156 mm line (5.57 mm cells
// for 5.64 mm em boxes), so tighter cells would make glyphs touch. Beyond
// the bound the last carryLines lines of text go to the next page with the
// block instead.
const (
	maxTightLines = LinesPerPage + 2
	carryLines    = 2
)

// bodySpec is the 3号 body grid: 28 cells, paragraphs indented 2 字.
var bodySpec = lineSpec{size: Size3, grid: true, first: 2 * CharPitch, rest: 0, width: BlockWidth, justify: true, alignLeft: MarginLeft}

func (ts *typesetter) newPage() {
	if ts.err == nil {
		if len(ts.pages) >= MaxPages {
			ts.err = fmt.Errorf("%w（%d 页），请精简正文或分册印发", ErrTooManyPages, MaxPages)
		} else if ts.ctx != nil {
			ts.err = ts.ctx.Err()
		}
	}
	if ts.err != nil && ts.cur != nil {
		// Stopped: the page is reused, so nothing more is held while the
		// loops run out (they stop at the next paragraph).
		ts.cur.Texts, ts.line = ts.cur.Texts[:0], 0
		return
	}
	p := &Page{Width: PageWidth, Height: PageHeight, Number: len(ts.pages) + 1 - ts.numberBase, ShowNumber: true}
	ts.pages = append(ts.pages, p)
	ts.cur = p
	ts.line = 0
	ts.cap, ts.pitch = LinesPerPage, LinePitch
	if n, ok := ts.pageLines[len(ts.pages)-1]; ok && n > 0 {
		ts.cap = n
		if n > LinesPerPage {
			ts.pitch = BlockHeight / float64(n)
		}
	}
}

// lineTop is the top of grid line i of the current page.
func (ts *typesetter) lineTop(i int) float64 { return MarginTop + float64(i)*ts.pitch }

// emTop centres an em box of the given size in grid line i of the current page.
func (ts *typesetter) emTop(i int, size float64) float64 {
	return ts.lineTop(i) + (ts.pitch-size)/2
}

// need starts a new page unless n more grid lines fit.
func (ts *typesetter) need(n int) {
	if ts.line+n > ts.cap {
		ts.newPage()
	}
}

// keepBlock is need for the signature block, which GB/T 9704 does not let
// start a page without text above it. When the n lines do not fit, it
// records the overflow (for Typeset's second pass) and starts a new page.
func (ts *typesetter) keepBlock(n int) {
	if ts.line+n <= ts.cap {
		return
	}
	if ts.overflow == nil {
		if c, ok := ts.carryFrom(); ok {
			ts.overflow = &blockOverflow{page: len(ts.pages) - 1, need: ts.line + n, carry: c}
		}
	}
	ts.newPage()
}

// carryFrom is the grid line of the current page from which text goes
// over with the signature block: the last carryLines lines of 正文 (and the
// 附件说明 after them), but never all of the page's 正文 when it began on
// this page, so that a page of 版头, title and 主送 keeps its first line of
// text. When the 正文 ended on an earlier page, the last carryLines lines of
// text of this page go. ok is false when nothing can go.
func (ts *typesetter) carryFrom() (int, bool) {
	page := len(ts.pages) - 1
	var on []int
	for _, b := range ts.bodyLines {
		if b[0] == page {
			on = append(on, b[1])
		}
	}
	c := 0
	switch {
	case len(on) > carryLines:
		c = on[len(on)-carryLines]
	case len(on) > 0 && (ts.bodyPage == page || on[0] == 0):
		// on holds all the page's 正文: keep its first line here.
		c = on[0] + 1
		if len(on) > 1 {
			c = on[1]
		}
	case len(on) > 0:
		c = on[0]
	default:
		var lines []int
		seen := map[int]bool{}
		for _, t := range ts.cur.Texts {
			l := int((t.Top - MarginTop) / ts.pitch)
			if l >= 0 && l < ts.line && !seen[l] {
				seen[l] = true
				lines = append(lines, l)
			}
		}
		if len(lines) < 2 {
			return 0, false
		}
		slices.Sort(lines)
		c = lines[max(1, len(lines)-carryLines)]
	}
	if c < 1 || c >= ts.line {
		return 0, false
	}
	return c, true
}

// markBody notes the line just set as a line of 正文.
func (ts *typesetter) markBody() {
	if len(ts.bodyLines) == 0 {
		ts.bodyPage = len(ts.pages) - 1
	}
	ts.bodyLines = append(ts.bodyLines, [2]int{len(ts.pages) - 1, ts.line - 1})
	if len(ts.bodyLines) > carryLines+1 {
		ts.bodyLines = ts.bodyLines[1:]
	}
}

// put adds the texts of one line at the current grid line and advances.
func (ts *typesetter) put(texts []Text) {
	ts.need(1)
	for _, t := range texts {
		t.Top = ts.emTop(ts.line, t.Size)
		ts.cur.Texts = append(ts.cur.Texts, t)
	}
	ts.line++
}

// Typeset lays the document out on pages.
func (fs *Fonts) Typeset(doc *Document, opts Options) ([]*Page, error) {
	return fs.TypesetContext(context.Background(), doc, opts)
}

// TypesetContext is Typeset that stops when ctx ends (checked at every page
// and paragraph), and at MaxPages: whatever the input, its time and memory
// are bounded.
func (fs *Fonts) TypesetContext(ctx context.Context, doc *Document, opts Options) ([]*Page, error) {
	if err := doc.Validate(); err != nil {
		return nil, err
	}
	copyNo, err := copyNumber(doc, opts)
	if err != nil {
		return nil, err
	}
	ts := fs.typeset(ctx, doc, opts, copyNo, nil)
	if ts.err != nil {
		return nil, ts.err
	}
	if first := ts.overflow; first != nil {
		// The signature block would start a page alone (§7.3.5.5): set the
		// page it follows again with more, tighter lines so that the block
		// fits under the text. The 版头 is placed in millimetres, so on page
		// 1 it may take a line more at the tighter pitch: try again until the
		// block fits or the bound is passed. Beyond the bound the page ends
		// earlier instead, and its last lines of text go over with the block.
		lines := map[int]int{}
		for n := first.need; n <= maxTightLines; {
			lines[first.page] = n
			ts = fs.typeset(ctx, doc, opts, copyNo, lines)
			if ts.err != nil {
				return nil, ts.err
			}
			o := ts.overflow
			if o == nil || o.page != first.page {
				return fs.checked(ts.pages)
			}
			n = o.need
		}
		lines[first.page] = first.carry
		ts = fs.typeset(ctx, doc, opts, copyNo, lines)
		if ts.err != nil {
			return nil, ts.err
		}
	}
	return fs.checked(ts.pages)
}

// checked returns the pages, or the characters their faces cannot show.
func (fs *Fonts) checked(pages []*Page) ([]*Page, error) {
	if err := fs.checkCoverage(pages); err != nil {
		return nil, err
	}
	return pages, nil
}

// typeset is one pass of Typeset; pageLines sets pages off the 22-line grid.
func (fs *Fonts) typeset(ctx context.Context, doc *Document, opts Options, copyNo string, pageLines map[int]int) *typesetter {
	ts := &typesetter{fs: fs, doc: doc, pageLines: pageLines, ctx: ctx}
	ts.newPage()
	switch doc.Format {
	case FormatLetter:
		ts.letterHead(copyNo)
	default:
		ts.head(copyNo)
	}
	ts.body(doc.Body)
	if ts.err != nil {
		return ts
	}
	ts.attachmentNote()
	switch doc.Format {
	case FormatOrder:
		ts.orderSignature()
	case FormatMinutes:
		ts.attendance()
		ts.signature()
	default:
		ts.signature()
	}
	ts.note()
	// Attachments bound with the body come before the 版记; those bound
	// separately follow it, each as its own piece (§7.4).
	for i, a := range doc.Attachments {
		if ts.err != nil {
			return ts
		}
		if !a.BoundSeparately {
			ts.attachment(i, len(doc.Attachments), a)
		}
	}
	ts.colophon()
	for i, a := range doc.Attachments {
		if a.BoundSeparately {
			ts.separateAttachment(i, len(doc.Attachments), a)
		}
	}
	ts.pageNumbers()
	if opts.Watermark != "" {
		ts.watermark(opts.Watermark)
	}
	return ts
}

// copyNumber is the 份号 to print: the option's, zero-padded to 6 digits,
// or the document's.
func copyNumber(doc *Document, opts Options) (string, error) {
	if opts.CopyNumber == "" {
		return doc.CopyNumber, nil
	}
	c := opts.CopyNumber
	if len(c) < 6 {
		c = strings.Repeat("0", 6-len(c)) + c
	}
	if !copyNoRE.MatchString(c) {
		return "", fmt.Errorf("份号应为6位阿拉伯数字：%q", opts.CopyNumber)
	}
	return c, nil
}

// head sets the 版头 of the 文件, 命令 and 纪要 formats.
func (ts *typesetter) head(copyNo string) {
	d := ts.doc
	// 份号, 密级和保密期限, 紧急程度: top-left, one per line, in that order.
	if copyNo != "" {
		ts.put([]Text{ts.gridRun(FaceFang, MarginLeft, 0, Black, copyNo)})
	}
	if d.Classification != "" {
		ts.put([]Text{ts.gridRun(FaceHei, MarginLeft, 0, Black, d.Classification)})
	}
	if d.Urgency != "" {
		ts.put([]Text{ts.gridRun(FaceHei, MarginLeft, 0, Black, d.Urgency)})
	}
	markTop := MarginTop + 35
	if d.Format == FormatOrder {
		markTop = MarginTop + 20
	}
	markBottom := markTop
	if d.IssuerMark != "" {
		markBottom = ts.issuerMark(d.IssuerMark, markTop)
	}
	// "下空二行": two blank lines, on the grid.
	l := int(math.Ceil((markBottom-MarginTop)/ts.pitch-0.05)) + 2
	if l < ts.line {
		l = ts.line
	}
	ts.line = l
	numberLine := -1
	switch {
	case len(d.Signers) > 0 && d.Format != FormatOrder:
		numberLine = ts.signers()
	case d.DocNumber != "":
		w := ts.gridWidth(FaceFang, d.DocNumber)
		ts.put([]Text{ts.gridRun(FaceFang, MarginLeft+(BlockWidth-w)/2, 0, Black, d.DocNumber)})
		numberLine = ts.line - 1
	}
	if d.Format == FormatOrder {
		// 命令: 正文 two lines below the 令号, no separator, no title.
		ts.line += 2
		ts.to()
		return
	}
	// Red separator 4 mm below the 发文字号, as wide as the 版心.
	ruleLine := numberLine
	if ruleLine < 0 {
		ruleLine = ts.line - 1
	}
	y := ts.emTop(ruleLine, Size3) + Size3 + 4
	ts.cur.Rules = append(ts.cur.Rules, Rule{X1: MarginLeft, Y1: y, X2: blockR, Y2: y, Width: 0.5, Color: Red})
	ts.line = ruleLine + 1 + 2 // the line holding the rule, then 空二行
	ts.title(ts.doc.Title)
	ts.to()
}

// issuerMark sets the red 发文机关标志 centred with its top at top and
// returns its bottom. A joint mark ("甲、乙文件") stacks the organs, lead
// first, spread to one width, with 文件 to their right, centred on them.
func (ts *typesetter) issuerMark(mark string, top float64) float64 {
	const size = 15.0 // about 初号; the standard leaves the size to the organ
	names := issuers(mark)
	if len(names) <= 1 {
		ts.markLine(mark, MarginLeft, BlockWidth, top, size, false)
		return top + size
	}
	suffix := ""
	if last := names[len(names)-1]; strings.HasSuffix(last, "文件") {
		names[len(names)-1] = strings.TrimSuffix(last, "文件")
		suffix = "文件"
	}
	const jsize = 12.0
	pitch := jsize * 1.3
	widest := 0
	for _, n := range names {
		widest = max(widest, len([]rune(n)))
	}
	sw := float64(len([]rune(suffix))) * jsize
	gap := 0.0
	if suffix != "" {
		gap = jsize / 2
	}
	w := math.Min(float64(widest)*jsize, BlockWidth-sw-gap)
	x := MarginLeft + (BlockWidth-w-gap-sw)/2
	for i, n := range names {
		ts.markLine(n, x, w, top+float64(i)*pitch, jsize, true)
	}
	bottom := top + float64(len(names)-1)*pitch + jsize
	if suffix != "" {
		ts.markLine(suffix, x+w+gap, sw, (top+bottom)/2-jsize/2, jsize, false)
	}
	return bottom
}

// markLine sets one line of the 发文机关标志 in red 小标宋 inside [x, x+width]:
// centred, or spread to the full width; compressed horizontally when too long.
func (ts *typesetter) markLine(s string, x, width, top, size float64, spread bool) {
	rs := []rune(s)
	n := float64(len(rs))
	pitch, hscale := size, 1.0
	if n*size > width {
		pitch = width / n
		hscale = pitch / size
	}
	x += (width - n*pitch) / 2
	if spread && n > 1 && n*pitch < width {
		pitch = size + (width-n*size)/(n-1)
		x = x - (width-n*size)/2
	}
	t := Text{Face: FaceXiaoBiaoSong, Size: size, Top: top, HScale: hscale, Color: Red}
	for _, r := range rs {
		adv := ts.fs.advance(FaceXiaoBiaoSong, r) * size * hscale
		cell := size * hscale
		t.Glyphs = append(t.Glyphs, Glyph{R: r, X: x + (cell-adv)/2})
		x += pitch
	}
	ts.cur.Texts = append(ts.cur.Texts, t)
}

// signers sets the upward 版头: 发文字号 left (1 字 in), 签发人 right (1 字 in),
// two names a line; returns the line of the 发文字号 (the last signer line).
func (ts *typesetter) signers() int {
	d := ts.doc
	label := "签发人："
	lw := ts.gridWidth(FaceFang, label)
	var rows [][]string
	for i := 0; i < len(d.Signers); i += 2 {
		rows = append(rows, d.Signers[i:min(i+2, len(d.Signers))])
	}
	nameW := func(row []string) float64 {
		w := 0.0
		for i, n := range row {
			if i > 0 {
				w += CharPitch
			}
			w += ts.gridWidth(FaceKai, n)
		}
		return w
	}
	// All rows align with the first name of the first row.
	first := nameW(rows[0])
	for _, r := range rows {
		first = math.Max(first, nameW(r))
	}
	nameX := blockR - CharPitch - first
	last := 0
	for i, row := range rows {
		var texts []Text
		if i == 0 {
			texts = append(texts, ts.gridRun(FaceFang, nameX-lw, 0, Black, label))
		}
		x := nameX
		for _, n := range row {
			texts = append(texts, ts.gridRun(FaceKai, x, 0, Black, n))
			x += ts.gridWidth(FaceKai, n) + CharPitch
		}
		if i == len(rows)-1 && d.DocNumber != "" {
			texts = append(texts, ts.gridRun(FaceFang, MarginLeft+CharPitch, 0, Black, d.DocNumber))
		}
		last = ts.line
		ts.put(texts)
	}
	return last
}

// title sets the 2号小标宋 title centred, wrapped into balanced lines.
func (ts *typesetter) title(title string) {
	ls := lineSpec{size: Size2, width: BlockWidth, centre: true, alignLeft: MarginLeft}
	sp := []span{{FaceXiaoBiaoSong, title}}
	us := ts.units(sp, ls)
	lines := breakUnits(us, ls)
	if n := len(lines); n > 1 {
		lines = balanceTitle(us, n)
	}
	ts.need(len(lines))
	for i, l := range lines {
		ts.put(ts.place(l, ls, i == 0, i == len(lines)-1, 0, Black))
	}
}

// to sets the 主送机关 one line below the title, flush left, with a colon.
func (ts *typesetter) to() {
	if ts.doc.To == "" {
		if ts.line > 0 && ts.doc.Format != FormatOrder {
			ts.line++ // keep the blank line under the title
		}
		return
	}
	if ts.line > 0 && ts.doc.Format != FormatOrder {
		ts.line++ // 标题下空一行
	}
	ls := bodySpec
	ls.first = 0
	lines := ts.setLines([]span{{FaceFang, ts.doc.To + "："}}, ls, Black)
	if len(ts.pages) == 1 && ts.line+len(lines) >= ts.cap {
		ts.toInColophon = true
		return
	}
	for _, l := range lines {
		ts.put(l)
	}
}

// headingSpans sets the numbered heading sentence of a level-1 or level-2
// paragraph in 黑体 or 楷体 and the rest in 仿宋.
func headingSpans(p Paragraph) []span {
	f := FaceFang
	switch p.Level {
	case 1:
		f = FaceHei
	case 2:
		f = FaceKai
	}
	if f == FaceFang {
		return []span{{FaceFang, p.Text}}
	}
	if i := strings.Index(p.Text, "。"); i >= 0 && i+len("。") < len(p.Text) {
		return []span{{f, p.Text[:i+len("。")]}, {FaceFang, p.Text[i+len("。"):]}}
	}
	return []span{{f, p.Text}}
}

func (ts *typesetter) body(ps []Paragraph) {
	for _, p := range ps {
		if ts.err != nil {
			return
		}
		if ts.ctx != nil {
			if ts.err = ts.ctx.Err(); ts.err != nil {
				return
			}
		}
		if p.Table != nil {
			ts.table(p.Table)
			continue
		}
		lines := ts.setLines(headingSpans(p), bodySpec, Black)
		if p.Level > 0 && len(lines) == 1 && ts.line == ts.cap-1 {
			ts.newPage() // keep a heading with the text it heads
		}
		for _, l := range lines {
			ts.put(l)
			ts.markBody()
		}
	}
}

// attachmentNote sets 附件说明 one blank line below the body.
func (ts *typesetter) attachmentNote() {
	names := ts.doc.AttachmentNote
	if len(names) == 0 {
		return
	}
	ts.line++
	label := "附件："
	x0 := MarginLeft + 2*CharPitch
	lw := ts.gridWidth(FaceFang, label)
	for i, n := range names {
		num := ""
		if len(names) > 1 {
			num = fmt.Sprintf("%d.", i+1)
		}
		nw := ts.gridWidth(FaceFang, num)
		ls := lineSpec{size: Size3, grid: true, first: x0 + lw + nw - MarginLeft, rest: x0 + lw + nw - MarginLeft, width: BlockWidth, justify: true, alignLeft: MarginLeft}
		lines := ts.setLines([]span{{FaceFang, strings.TrimRight(n, "。；;，,")}}, ls, Black)
		for j, l := range lines {
			if j == 0 {
				if i == 0 {
					l = append(l, ts.gridRun(FaceFang, x0, 0, Black, label))
				}
				if num != "" {
					l = append(l, ts.gridRun(FaceFang, x0+lw, 0, Black, num))
				}
			}
			ts.put(l)
		}
	}
}

// issuers splits a joint 署名 ("甲、乙") into its organs, lead first.
func issuers(s string) []string {
	var out []string
	for _, n := range strings.Split(s, "、") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// The seal's place (§7.3.5.1): an organ's seal is taken as about four lines
// across (real ones are 40–45 mm); its centre is a quarter line below the top
// of the 署名's line, so that 署名 and date sit just below the centre
// ("居印章中心偏下") and the seal's top comes within one line of the text
// above; seals in a row keep at least sealGap between them.
const (
	sealSize   = 4 * LinePitch
	sealCentre = LinePitch / 4
	sealGap    = 2.0
	// sealRowLines is the pitch of rows of seals in a joint document: four
	// lines of seal and one line between rows, so that rows never touch.
	sealRowLines = 5
)

// signature sets 署名 and 成文日期 in the sealed or unsealed layout (§7.3.5).
// Unsealed joint documents list the organs one per line, lead first,
// aligned; sealed joint documents arrange them in rows, one seal each.
func (ts *typesetter) signature() {
	d := ts.doc
	names := issuers(d.Issuer)
	if len(names) == 0 && d.Date == "" {
		return
	}
	iw := 0.0
	for _, n := range names {
		iw = math.Max(iw, ts.gridWidth(FaceFang, n))
	}
	dw := ts.gridWidth(FaceFang, d.Date)
	if d.Sealed {
		ts.sealedSignature(names, iw, dw)
		return
	}
	// Unsealed: 署名 2 字 from the right, the date 2 字 further right; a
	// longer date is set 2 字 from the right and pushes the 署名 left.
	ts.keepBlock(2 + len(names) + len(ts.noteLines()))
	ts.line++
	issuerX := blockR - 2*CharPitch - iw
	dateX := issuerX + 2*CharPitch
	if dateX+dw > blockR-2*CharPitch {
		dateX = blockR - 2*CharPitch - dw
		issuerX = dateX - 2*CharPitch
	}
	for _, n := range names {
		ts.put([]Text{ts.gridRun(FaceFang, issuerX, 0, Black, n)})
	}
	if d.Date != "" {
		ts.put([]Text{ts.gridRun(FaceFang, dateX, 0, Black, d.Date)})
	}
}

// sealedSignature sets the sealed layout: the date 4 字 from the right, the
// last 署名 centred over it; a joint document's 署名 in issuer order, left to
// right and top to bottom, in evenly spaced columns whose last one is the
// date's, each with its seal's place centred on it; the seals of a row
// aligned and apart, no row wider than the 版心, the first row's top within
// one line of the text above. Rows are balanced (5 organs: 3 and 2) and a
// short last row keeps to the right, so the last seal covers the date.
func (ts *typesetter) sealedSignature(names []string, iw, dw float64) {
	d := ts.doc
	dateX := blockR - 4*CharPitch - dw
	mid := dateX + dw/2
	perRow, rows, colX := sealColumns(len(names), iw, mid)
	// Two blank lines, the first row of 署名, and the seal reaching about
	// two lines below it (the date and any 附注 may take more); each
	// further row takes sealRowLines.
	ts.keepBlock(min(2+(rows-1)*sealRowLines+1+max(2, 1+len(ts.noteLines())), ts.cap))
	ts.line += 2
	place := func(cx, nameTop float64) {
		cy := nameTop + sealCentre
		ts.cur.Seals = append(ts.cur.Seals, SealPlace{X: cx - sealSize/2, Y: cy - sealSize/2, W: sealSize, H: sealSize})
	}
	if len(names) == 0 {
		place(mid, ts.lineTop(ts.line))
		ts.put([]Text{ts.gridRun(FaceFang, dateX, 0, Black, d.Date)})
		return
	}
	for r := 0; r < rows; r++ {
		row := names[r*perRow : min((r+1)*perRow, len(names))]
		if r > 0 {
			ts.line += sealRowLines - 1
			if ts.line+3 > ts.cap { // more rows than a page holds
				ts.newPage()
				ts.line = 2
			}
		}
		top := ts.lineTop(ts.line)
		var texts []Text
		for i, n := range row {
			cx := colX(perRow - len(row) + i)
			texts = append(texts, ts.gridRun(FaceFang, cx-ts.gridWidth(FaceFang, n)/2, 0, Black, n))
			place(cx, top)
		}
		ts.put(texts)
	}
	if d.Date != "" {
		ts.put([]Text{ts.gridRun(FaceFang, dateX, 0, Black, d.Date)})
	}
}

// sealColumns arranges n sealed 署名 (the widest iw wide) in rows of
// evenly spaced columns whose last is centred at mid, the date's centre:
// k slots spread over the 版心 from its left edge, as many as fit seals and
// names without touching, rows balanced. colX is the centre of column c.
func sealColumns(n int, iw, mid float64) (perRow, rows int, colX func(c int) float64) {
	perRow = 1
	for k := 2; k <= n; k++ {
		slot := (mid - MarginLeft) / (float64(k) - 0.5)
		if slot < sealSize+sealGap || slot < iw+CharPitch {
			break
		}
		perRow = k
	}
	rows = max(1, (n+perRow-1)/perRow)
	perRow = max(1, (n+rows-1)/rows)
	slot := 0.0
	if perRow > 1 {
		slot = (mid - MarginLeft) / (float64(perRow) - 0.5)
	}
	return perRow, rows, func(c int) float64 { return mid - float64(perRow-1-c)*slot }
}

// orderSignature sets the 命令's signer beside the signature seal (§7.3.5.3):
// seal 4 字 from the right, title 2 字 left of it, date one blank line below.
// Joint orders ("甲职务　姓名、乙职务　姓名") put one signer a row, lead first,
// aligned on their seals, a blank line between rows so the seals stay apart.
func (ts *typesetter) orderSignature() {
	d := ts.doc
	signer := d.SignerTitle
	if signer == "" {
		signer = d.Issuer
	}
	signers := issuers(signer)
	if len(signers) == 0 && d.Date == "" {
		return
	}
	const sealChars = 4
	sealX := blockR - (4+sealChars)*CharPitch
	ts.keepBlock(2*len(signers) + 3 + len(ts.noteLines()))
	ts.line += 2
	for i, s := range signers {
		if i > 0 {
			ts.line++
		}
		w := ts.gridWidth(FaceFang, s)
		ts.cur.Seals = append(ts.cur.Seals, SealPlace{X: sealX, Y: ts.lineTop(ts.line), W: sealChars * CharPitch, H: ts.pitch})
		ts.put([]Text{ts.gridRun(FaceFang, sealX-2*CharPitch-w, 0, Black, s)})
	}
	if d.Date != "" {
		ts.line++
		w := ts.gridWidth(FaceFang, d.Date)
		ts.put([]Text{ts.gridRun(FaceFang, blockR-4*CharPitch-w, 0, Black, d.Date)})
	}
}

// attendance sets the 纪要's 出席/请假/列席 lines: label in 黑体, names in 仿宋,
// wrapped lines aligned after the colon.
func (ts *typesetter) attendance() {
	if len(ts.doc.Attendance) == 0 {
		return
	}
	ts.line++
	for _, a := range ts.doc.Attendance {
		label := a.Label + "："
		lw := ts.gridWidth(FaceHei, label)
		ind := 2*CharPitch + lw
		ls := lineSpec{size: Size3, grid: true, first: ind, rest: ind, width: BlockWidth, justify: true, alignLeft: MarginLeft}
		for j, l := range ts.setLines([]span{{FaceFang, a.Names}}, ls, Black) {
			if j == 0 {
				l = append(l, ts.gridRun(FaceHei, MarginLeft+2*CharPitch, 0, Black, label))
			}
			ts.put(l)
			ts.markBody()
		}
	}
}

// note sets 附注 below the date, indented 2 字, in round brackets.
func (ts *typesetter) note() {
	for _, l := range ts.noteLines() {
		ts.put(l)
	}
}

// noteLines are the lines of the 附注; it goes on the line under the date
// (§7.3.6), so the signature block makes room for it.
func (ts *typesetter) noteLines() [][]Text {
	n := strings.TrimSpace(ts.doc.Note)
	if n == "" {
		return nil
	}
	if !strings.HasPrefix(n, "（") {
		n = "（" + strings.Trim(n, "()") + "）"
	}
	return ts.setLines([]span{{FaceFang, n}}, bodySpec, Black)
}

// attachmentLabel is "附件", or "附件N" when there are several.
func attachmentLabel(i, n int) string {
	if n > 1 {
		return fmt.Sprintf("附件%d", i+1)
	}
	return "附件"
}

// attachment starts an attachment on a new page: "附件N" in 黑体 on line 1,
// the title centred on line 3, the body as the main text.
func (ts *typesetter) attachment(i, n int, a Attachment) {
	ts.newPage()
	ts.put([]Text{ts.gridRun(FaceHei, MarginLeft, 0, Black, attachmentLabel(i, n))})
	ts.attachmentBody(a)
}

// separateAttachment sets an attachment that is bound separately (§7.4): on
// a new sheet (a blank back page is added when needed) with its own page
// numbers from 1; line 1 holds, flush left, the document's 发文字号 in 仿宋
// followed by "附件N" in 黑体.
func (ts *typesetter) separateAttachment(i, n int, a Attachment) {
	if len(ts.pages)%2 == 1 {
		ts.newPage()
		ts.cur.ShowNumber = false
	}
	ts.numberBase = len(ts.pages)
	ts.newPage()
	x := MarginLeft
	var first []Text
	if dn := ts.doc.DocNumber; dn != "" {
		first = append(first, ts.gridRun(FaceFang, x, 0, Black, dn))
		x += ts.gridWidth(FaceFang, dn)
	}
	first = append(first, ts.gridRun(FaceHei, x, 0, Black, attachmentLabel(i, n)))
	ts.put(first)
	ts.attachmentBody(a)
}

// attachmentBody sets an attachment's title centred on line 3 and its body.
func (ts *typesetter) attachmentBody(a Attachment) {
	ts.line = 2
	ts.title(a.Title)
	ts.line++
	ts.body(a.Body)
}

// colophon sets the 版记 on the last even page: 抄送 and 印发 rows in 4号仿宋
// between thick first and last rules, a thin rule between the rows; the
// last rule on the bottom edge of the 版心. Letters have no 印发 row and no rules.
func (ts *typesetter) colophon() {
	d := ts.doc
	letter := d.Format == FormatLetter
	hasPrint := !letter && (d.PrintIssuer != "" || d.PrintDate != "")
	if d.Cc == "" && !hasPrint && !ts.toInColophon {
		return
	}
	// 主送 (when moved here) and 抄送: 4号仿宋, 1 字 in from each side,
	// wrapped lines aligned after the colon, a full stop after the last name.
	var ccLines [][]Text
	addList := func(label, names string) {
		lw := ts.textWidth(FaceFang, Size4, label)
		ls := lineSpec{size: Size4, first: lw, rest: lw, width: BlockWidth - 2*Size4, justify: true, alignLeft: MarginLeft + Size4}
		ls2 := ts.setLines([]span{{FaceFang, names + "。"}}, ls, Black)
		ls2[0] = append(ls2[0], ts.run(FaceFang, Size4, MarginLeft+Size4, 0, Black, label))
		ccLines = append(ccLines, ls2...)
	}
	if ts.toInColophon {
		addList("主送：", d.To)
	}
	if d.Cc != "" {
		addList("抄送：", d.Cc)
	}
	rows := len(ccLines)
	if hasPrint {
		rows++
	}
	last := len(ts.pages)
	switch {
	case last%2 == 1:
		ts.newPage()
	case ts.line > ts.cap-rows:
		ts.newPage()
		ts.cur.ShowNumber = false
		ts.newPage()
		ts.cur.ShowNumber = false
	}
	p := ts.cur
	first := ts.cap - rows
	for i, l := range ccLines {
		for _, t := range l {
			t.Top = ts.emTop(first+i, Size4)
			p.Texts = append(p.Texts, t)
		}
	}
	if hasPrint {
		top := ts.emTop(ts.cap-1, Size4)
		if d.PrintIssuer != "" {
			p.Texts = append(p.Texts, ts.run(FaceFang, Size4, MarginLeft+Size4, top, Black, d.PrintIssuer))
		}
		if d.PrintDate != "" {
			s := d.PrintDate + "印发"
			w := ts.textWidth(FaceFang, Size4, s)
			p.Texts = append(p.Texts, ts.run(FaceFang, Size4, blockR-Size4-w, top, Black, s))
		}
	}
	if letter {
		return
	}
	rule := func(y, w float64) {
		p.Rules = append(p.Rules, Rule{X1: MarginLeft, Y1: y, X2: blockR, Y2: y, Width: w, Color: Black})
	}
	rule(ts.lineTop(first), 0.35)
	if len(ccLines) > 0 && hasPrint {
		rule(ts.lineTop(ts.cap-1), 0.25)
	}
	rule(blockB, 0.35)
}

// pageNumbers prints "— n —" in 4号宋体 7 mm below the 版心: odd pages
// right-aligned, even pages left-aligned, each 1 字 in.
func (ts *typesetter) pageNumbers() {
	for i, p := range ts.pages {
		if !p.ShowNumber || (i == 0 && ts.doc.Format == FormatLetter) {
			p.ShowNumber = false
			continue
		}
		s := fmt.Sprintf("— %d —", p.Number)
		w := ts.textWidth(FaceSong, Size4, s)
		x := MarginLeft + Size4
		if p.Number%2 == 1 {
			x = blockR - Size4 - w
		}
		p.Texts = append(p.Texts, ts.run(FaceSong, Size4, x, blockB+7, Black, s))
	}
}

// watermark repeats s diagonally across each page, light and translucent.
func (ts *typesetter) watermark(s string) {
	const size = 6.0
	for _, p := range ts.pages {
		for row := 0; row < 5; row++ {
			for col := 0; col < 2; col++ {
				x := 25 + float64(col)*95 + float64(row%2)*20
				y := 70 + float64(row)*55
				t := ts.run(FaceHei, size, x, y, Grey, s)
				t.Rotate = 30
				t.Alpha = 0.25
				p.Texts = append(p.Texts, t)
			}
		}
	}
}

// checkCoverage reports every character that its face cannot show.
func (fs *Fonts) checkCoverage(pages []*Page) error {
	var e *MissingGlyphsError
	seen := map[Face]map[rune]bool{}
	for _, p := range pages {
		for _, t := range p.Texts {
			fn := fs.font(t.Face)
			for _, g := range t.Glyphs {
				if g.R == ' ' {
					continue
				}
				if _, ok := fn.GlyphIndex(g.R); ok {
					continue
				}
				if seen[t.Face] == nil {
					seen[t.Face] = map[rune]bool{}
				}
				if seen[t.Face][g.R] {
					continue
				}
				seen[t.Face][g.R] = true
				if e == nil {
					e = &MissingGlyphsError{Missing: map[Face][]rune{}, Paths: map[Face]string{}}
				}
				e.Missing[t.Face] = append(e.Missing[t.Face], g.R)
				e.Paths[t.Face] = fs.paths[t.Face]
			}
		}
	}
	if e != nil {
		return e
	}
	return nil
}

// letterHead sets the 信函格式 head (§10.1): the 标志 30 mm from the top edge
// of the paper, red double rules (thick over thin) 4 mm below it and (thin
// over thick) 20 mm above the bottom edge, both 170 mm long; 份号/密级/紧急程度
// flush left and the 发文字号 flush right below the first rules, 7/8 of a
// 3号 character below them.
func (ts *typesetter) letterHead(copyNo string) {
	d := ts.doc
	markBottom := 30.0
	if d.IssuerMark != "" {
		markBottom = ts.issuerMark(d.IssuerMark, 30)
	}
	x1, x2 := (PageWidth-170)/2, (PageWidth+170)/2
	y := markBottom + 4
	bottom := PageHeight - 20
	p := ts.cur
	p.Rules = append(p.Rules,
		Rule{X1: x1, Y1: y, X2: x2, Y2: y, Width: 1.0, Color: Red},
		Rule{X1: x1, Y1: y + 1.2, X2: x2, Y2: y + 1.2, Width: 0.3, Color: Red},
		Rule{X1: x1, Y1: bottom - 1.2, X2: x2, Y2: bottom - 1.2, Width: 0.3, Color: Red},
		Rule{X1: x1, Y1: bottom, X2: x2, Y2: bottom, Width: 1.0, Color: Red})
	top := y + 1.2 + Size3*7/8
	rows := 0
	for _, e := range []struct {
		s string
		f Face
	}{{copyNo, FaceFang}, {d.Classification, FaceHei}, {d.Urgency, FaceHei}} {
		if e.s != "" {
			p.Texts = append(p.Texts, ts.gridRun(e.f, MarginLeft, top+float64(rows)*LinePitch, Black, e.s))
			rows++
		}
	}
	if d.DocNumber != "" {
		w := ts.gridWidth(FaceFang, d.DocNumber)
		p.Texts = append(p.Texts, ts.gridRun(FaceFang, blockR-w, top, Black, d.DocNumber))
		rows = max(rows, 1)
	}
	last := y + 1.2
	if rows > 0 {
		last = top + float64(rows-1)*LinePitch + Size3
	}
	ts.line = int(math.Ceil((last-MarginTop)/ts.pitch-0.05)) + 2
	ts.title(ts.doc.Title)
	ts.to()
}

// balanceTitle splits a title into n lines of similar length (梯形/菱形 rather
// than a long line and a stub), choosing breaks where words are likely to
// end: around 关于, after 的, after an organ's name, after 、 and ，. There is
// no dictionary, so other breaks between two characters cost more.
func balanceTitle(us []unit, n int) [][]unit {
	total := 0.0
	for _, u := range us {
		total += u.width
	}
	target := total / float64(n)
	text := make([]string, len(us)+1) // text[i]: the title up to unit i
	var b strings.Builder
	for i, u := range us {
		text[i] = b.String()
		b.WriteString(string(u.runes))
	}
	text[len(us)] = b.String()
	full := text[len(us)]
	penalty := func(i int) float64 {
		before, after := text[i], full[len(text[i]):]
		first := us[i].runes[0]
		prev := us[i-1].runes[len(us[i-1].runes)-1]
		switch {
		case strings.ContainsRune(noLineStart, first) || strings.ContainsRune(noLineEnd, prev):
			return math.Inf(1)
		case strings.HasPrefix(after, "关于") || strings.HasSuffix(before, "关于"):
			return 0
		case strings.HasSuffix(before, "的") || strings.HasSuffix(before, "、") || strings.HasSuffix(before, "，"):
			return 1
		case strings.HasPrefix(after, "的"):
			return 40
		}
		for _, suf := range []string{"政府", "办公室", "办公厅", "委员会", "党委", "局", "厅", "院", "部"} {
			if strings.HasSuffix(before, suf) {
				return 2
			}
		}
		return 12
	}
	// cost[k][i]: best cost of setting units[:i] in k lines.
	inf := math.Inf(1)
	cost := make([][]float64, n+1)
	from := make([][]int, n+1)
	for k := range cost {
		cost[k] = make([]float64, len(us)+1)
		from[k] = make([]int, len(us)+1)
		for i := range cost[k] {
			cost[k][i] = inf
		}
	}
	cost[0][0] = 0
	for k := 1; k <= n; k++ {
		for i := 1; i <= len(us); i++ {
			w := 0.0
			for j := i - 1; j >= 0; j-- {
				w += us[j].width
				if w > BlockWidth+0.01 {
					break
				}
				if math.IsInf(cost[k-1][j], 1) {
					continue
				}
				p := 0.0
				if j > 0 {
					p = penalty(j)
				}
				c := cost[k-1][j] + math.Abs(w-target)/Size2 + p
				if c < cost[k][i] {
					cost[k][i], from[k][i] = c, j
				}
			}
		}
	}
	if math.IsInf(cost[n][len(us)], 1) {
		return breakUnits(us, lineSpec{size: Size2, width: BlockWidth})
	}
	lines := make([][]unit, n)
	for k, i := n, len(us); k > 0; k-- {
		j := from[k][i]
		lines[k-1] = us[j:i]
		i = j
	}
	return lines
}
