package layout

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// A printed form is data: a title, a few text lines, and a grid of rows whose
// cells hold a fixed label or a field filled from a map. The processing
// sheets of the other modules (发文稿纸, 收文处理单, 督办单, 催办单, meeting
// notices) are all FormSpecs laid out by the same code.

// FormCell is one cell of a form row: a fixed Label, or the value of Field.
type FormCell struct {
	Label string
	Field string
	Span  int // columns spanned; 0 means 1
}

// FormRow is one row of the grid. Height is its minimum height in mm; the
// row grows when a value needs more lines.
type FormRow struct {
	Cells  []FormCell
	Height float64
}

// FormLine is a line of text outside the grid; "{字段}" is replaced by the
// field's value. Align is "left", "right" or "center".
type FormLine struct {
	Text  string
	Align string
}

// FormSpec describes a printed form.
type FormSpec struct {
	Name    string     // identifier, e.g. "outgoing-draft"
	Title   string     // printed title; "{字段}" placeholders allowed
	Red     bool       // red title, as for sheets carrying the issuer's name
	Above   []FormLine // lines between the title and the grid
	Columns []float64  // relative column widths
	Rows    []FormRow
	Below   []FormLine // lines under the grid
}

// Fields lists the fields the form reads, sorted.
func (s *FormSpec) Fields() []string {
	seen := map[string]bool{}
	add := func(text string) {
		for {
			i := strings.Index(text, "{")
			if i < 0 {
				return
			}
			j := strings.Index(text[i:], "}")
			if j < 0 {
				return
			}
			seen[text[i+1:i+j]] = true
			text = text[i+j+1:]
		}
	}
	add(s.Title)
	for _, l := range append(append([]FormLine(nil), s.Above...), s.Below...) {
		add(l.Text)
	}
	for _, r := range s.Rows {
		for _, c := range r.Cells {
			if c.Field != "" {
				seen[c.Field] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func fill(text string, values map[string]string) string {
	for k, v := range values {
		text = strings.ReplaceAll(text, "{"+k+"}", v)
	}
	// Unfilled placeholders print as blanks to be written in by hand.
	for {
		i := strings.Index(text, "{")
		j := strings.Index(text, "}")
		if i < 0 || j < i {
			return text
		}
		text = text[:i] + "\u3000\u3000\u3000\u3000" + text[j+1:]
	}
}

// Form cell typography: 4号 text, 7 mm line pitch, 2 mm padding.
const (
	formSize    = Size4
	formPitch   = 7.0
	formPad     = 2.0
	formRuleW   = 0.3
	formMinRowH = 12.0
)

// Validate checks that every row's spans add up to the column count.
func (s *FormSpec) Validate() error {
	if len(s.Columns) == 0 {
		return fmt.Errorf("表单“%s”没有列", s.Name)
	}
	for i, r := range s.Rows {
		n := 0
		for _, c := range r.Cells {
			n += max(c.Span, 1)
		}
		if n != len(s.Columns) {
			return fmt.Errorf("表单“%s”第%d行占%d列，应为%d列", s.Name, i+1, n, len(s.Columns))
		}
	}
	return nil
}

// TypesetForm lays a form out on A4 pages within the GB/T 9704 版心. The
// options' Watermark is drawn as on documents; forms carry no 份号, so
// CopyNumber does not apply.
func (fs *Fonts) TypesetForm(spec *FormSpec, values map[string]string, opts Options) ([]*Page, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	ts := &typesetter{fs: fs, doc: &Document{}}
	ts.newPage()
	p := ts.cur
	y := MarginTop
	// Title: 2号小标宋, centred.
	title := fill(spec.Title, values)
	color := Black
	if spec.Red {
		color = Red
	}
	ls := lineSpec{size: Size2, width: BlockWidth, centre: true, alignLeft: MarginLeft}
	for _, l := range ts.setLines([]span{{FaceXiaoBiaoSong, title}}, ls, color) {
		for _, t := range l {
			t.Top = y
			p.Texts = append(p.Texts, t)
		}
		y += Size2 * 1.5
	}
	y += 3
	textLine := func(l FormLine) {
		s := fill(l.Text, values)
		w := ts.textWidth(FaceFang, formSize, s)
		x := MarginLeft
		switch l.Align {
		case "right":
			x = blockR - w
		case "center":
			x = MarginLeft + (BlockWidth-w)/2
		}
		ts.cur.Texts = append(ts.cur.Texts, ts.run(FaceFang, formSize, x, y, Black, s))
		y += formPitch + 1
	}
	for _, l := range spec.Above {
		textLine(l)
	}

	total := 0.0
	for _, c := range spec.Columns {
		total += c
	}
	colX := make([]float64, len(spec.Columns)+1)
	colX[0] = MarginLeft
	for i, c := range spec.Columns {
		colX[i+1] = colX[i] + c/total*BlockWidth
	}
	hrule := func(y float64) {
		ts.cur.Rules = append(ts.cur.Rules, Rule{X1: MarginLeft, Y1: y, X2: blockR, Y2: y, Width: formRuleW, Color: Black})
	}
	vrule := func(x, y1, y2 float64) {
		ts.cur.Rules = append(ts.cur.Rules, Rule{X1: x, Y1: y1, X2: x, Y2: y2, Width: formRuleW, Color: Black})
	}
	hrule(y)
	type placed struct {
		lines  [][]Text
		x0, x1 float64
		label  bool
	}
	// drawRow draws one segment of a row; a row taller than what is left of
	// the page is split, its field text continuing on the next page.
	drawRow := func(cells []placed, height float64) {
		for _, c := range cells {
			top := y + formPad
			if c.label { // labels are centred vertically
				top = y + (height-float64(len(c.lines))*formPitch)/2
			}
			for i, l := range c.lines {
				for _, t := range l {
					t.Top = top + float64(i)*formPitch + (formPitch-formSize)/2
					ts.cur.Texts = append(ts.cur.Texts, t)
				}
			}
			vrule(c.x0, y, y+height)
		}
		vrule(blockR, y, y+height)
		y += height
		hrule(y)
	}
	for _, row := range spec.Rows {
		var cells []placed
		col := 0
		minH := math.Max(row.Height, formMinRowH)
		for _, c := range row.Cells {
			n := max(c.Span, 1)
			x0, x1 := colX[col], colX[col+n]
			col += n
			text, face := c.Label, FaceHei
			if c.Label == "" {
				text, face = strings.TrimSpace(values[c.Field]), FaceFang
			}
			cls := lineSpec{size: formSize, width: x1 - x0 - 2*formPad, justify: c.Label == "", centre: c.Label != "", alignLeft: x0 + formPad}
			var lines [][]Text
			if text != "" {
				for _, para := range strings.Split(text, "\n") {
					if para == "" {
						lines = append(lines, nil)
						continue
					}
					lines = append(lines, ts.setLines([]span{{face, para}}, cls, Black)...)
				}
			}
			cells = append(cells, placed{lines, x0, x1, c.Label != ""})
		}
		for {
			need := minH
			for _, c := range cells {
				need = math.Max(need, float64(len(c.lines))*formPitch+2*formPad)
			}
			if y+need <= blockB {
				drawRow(cells, need)
				break
			}
			fit := int((blockB - y - 2*formPad) / formPitch)
			if fit < 2 || need <= BlockHeight {
				ts.newPage()
				y = MarginTop
				hrule(y)
				continue
			}
			head := make([]placed, len(cells))
			for i, c := range cells {
				head[i] = c
				if !c.label && len(c.lines) > fit {
					head[i].lines = c.lines[:fit]
					cells[i].lines = c.lines[fit:]
				} else if !c.label {
					cells[i].lines = nil
				}
			}
			drawRow(head, blockB-y)
			ts.newPage()
			y = MarginTop
			hrule(y)
		}
	}
	y += 3
	for _, l := range spec.Below {
		textLine(l)
	}
	if ts.err != nil {
		return nil, ts.err
	}
	for _, pg := range ts.pages {
		pg.ShowNumber = len(ts.pages) > 1
	}
	ts.pageNumbers()
	if opts.Watermark != "" {
		ts.watermark(opts.Watermark)
	}
	if err := fs.checkCoverage(ts.pages); err != nil {
		return nil, err
	}
	return ts.pages, nil
}

// RenderForm writes a filled form as PDF or OFD, watermarked when the
// options say so (e.g. the viewer's name and time on a classified sheet).
func (r *Renderer) RenderForm(ctx context.Context, w io.Writer, out Output, spec *FormSpec, values map[string]string, opts Options) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	pages, err := r.fonts.TypesetForm(spec, values, opts)
	if err != nil {
		return err
	}
	title := fill(spec.Title, values)
	switch out {
	case PDF:
		return r.fonts.WritePDF(w, pages, title)
	case OFD:
		return r.fonts.WriteOFD(w, pages, title)
	}
	return fmt.Errorf("表单不支持输出格式 %q（可用 pdf、ofd）", out)
}

func lbl(s string) FormCell           { return FormCell{Label: s} }
func fld(s string, span int) FormCell { return FormCell{Field: s, Span: span} }

// BuiltinForms returns the office's standard sheets, keyed by name. Each call
// returns fresh values, so callers may adapt them.
func BuiltinForms() map[string]*FormSpec {
	return map[string]*FormSpec{
		"outgoing-draft": {
			Name: "outgoing-draft", Title: "{机关名称}发文稿纸", Red: true,
			Above:   []FormLine{{Text: "稿纸编号：{稿纸编号}", Align: "right"}},
			Columns: []float64{1, 2, 1, 2},
			Rows: []FormRow{
				{Cells: []FormCell{lbl("签发"), fld("签发", 3)}, Height: 32},
				{Cells: []FormCell{lbl("会签"), fld("会签", 3)}, Height: 22},
				{Cells: []FormCell{lbl("核稿"), fld("核稿", 3)}, Height: 18},
				{Cells: []FormCell{lbl("拟稿单位"), fld("拟稿单位", 1), lbl("拟稿人"), fld("拟稿人", 1)}},
				{Cells: []FormCell{lbl("发文字号"), fld("发文字号", 1), lbl("密级"), fld("密级", 1)}},
				{Cells: []FormCell{lbl("紧急程度"), fld("紧急程度", 1), lbl("印发份数"), fld("印发份数", 1)}},
				{Cells: []FormCell{lbl("标题"), fld("标题", 3)}, Height: 18},
				{Cells: []FormCell{lbl("主送"), fld("主送", 3)}},
				{Cells: []FormCell{lbl("抄送"), fld("抄送", 3)}},
				{Cells: []FormCell{lbl("附件"), fld("附件", 3)}},
				{Cells: []FormCell{lbl("校对"), fld("校对", 1), lbl("印制"), fld("印制", 1)}},
			},
		},
		"incoming-sheet": {
			Name: "incoming-sheet", Title: "{机关名称}收文处理单", Red: true,
			Above:   []FormLine{{Text: "收文编号：{收文编号}", Align: "right"}},
			Columns: []float64{1, 2, 1, 2},
			Rows: []FormRow{
				{Cells: []FormCell{lbl("来文单位"), fld("来文单位", 1), lbl("收文日期"), fld("收文日期", 1)}},
				{Cells: []FormCell{lbl("来文字号"), fld("来文字号", 1), lbl("份数"), fld("份数", 1)}},
				{Cells: []FormCell{lbl("密级"), fld("密级", 1), lbl("紧急程度"), fld("紧急程度", 1)}},
				{Cells: []FormCell{lbl("标题"), fld("标题", 3)}, Height: 18},
				{Cells: []FormCell{lbl("拟办意见"), fld("拟办意见", 3)}, Height: 36},
				{Cells: []FormCell{lbl("领导批示"), fld("领导批示", 3)}, Height: 46},
				{Cells: []FormCell{lbl("办理结果"), fld("办理结果", 3)}, Height: 36},
				{Cells: []FormCell{lbl("备注"), fld("备注", 3)}},
			},
		},
		"supervision-sheet": {
			Name: "supervision-sheet", Title: "{机关名称}督办单",
			Above:   []FormLine{{Text: "督办编号：{督办编号}", Align: "right"}},
			Columns: []float64{1, 2, 1, 2},
			Rows: []FormRow{
				{Cells: []FormCell{lbl("督办事项"), fld("督办事项", 3)}, Height: 24},
				{Cells: []FormCell{lbl("事项来源"), fld("事项来源", 1), lbl("交办领导"), fld("交办领导", 1)}},
				{Cells: []FormCell{lbl("牵头单位"), fld("牵头单位", 1), lbl("配合单位"), fld("配合单位", 1)}},
				{Cells: []FormCell{lbl("交办日期"), fld("交办日期", 1), lbl("办结时限"), fld("办结时限", 1)}},
				{Cells: []FormCell{lbl("督办要求"), fld("督办要求", 3)}, Height: 40},
				{Cells: []FormCell{lbl("办理情况"), fld("办理情况", 3)}, Height: 50},
				{Cells: []FormCell{lbl("督办人"), fld("督办人", 1), lbl("联系电话"), fld("联系电话", 1)}},
			},
			Below: []FormLine{{Text: "请于办结时限前将办理情况书面反馈督查部门。"}},
		},
		"urge-sheet": {
			Name: "urge-sheet", Title: "{机关名称}催办单",
			Above:   []FormLine{{Text: "催办编号：{催办编号}", Align: "right"}},
			Columns: []float64{1, 2, 1, 2},
			Rows: []FormRow{
				{Cells: []FormCell{lbl("事项"), fld("事项", 3)}, Height: 24},
				{Cells: []FormCell{lbl("承办单位"), fld("承办单位", 1), lbl("原定时限"), fld("原定时限", 1)}},
				{Cells: []FormCell{lbl("催办次数"), fld("催办次数", 1), lbl("催办日期"), fld("催办日期", 1)}},
				{Cells: []FormCell{lbl("催办意见"), fld("催办意见", 3)}, Height: 40},
				{Cells: []FormCell{lbl("承办单位反馈"), fld("承办单位反馈", 3)}, Height: 50},
				{Cells: []FormCell{lbl("催办人"), fld("催办人", 1), lbl("联系电话"), fld("联系电话", 1)}},
			},
		},
		"meeting-notice": {
			Name: "meeting-notice", Title: "会议通知",
			Above:   []FormLine{{Text: "{发文单位}　　{通知日期}", Align: "right"}},
			Columns: []float64{1, 2, 1, 2},
			Rows: []FormRow{
				{Cells: []FormCell{lbl("会议名称"), fld("会议名称", 3)}, Height: 16},
				{Cells: []FormCell{lbl("会议时间"), fld("会议时间", 1), lbl("会议地点"), fld("会议地点", 1)}},
				{Cells: []FormCell{lbl("主持人"), fld("主持人", 1), lbl("会议类型"), fld("会议类型", 1)}},
				{Cells: []FormCell{lbl("参会人员"), fld("参会人员", 3)}, Height: 30},
				{Cells: []FormCell{lbl("会议议程"), fld("会议议程", 3)}, Height: 40},
				{Cells: []FormCell{lbl("有关要求"), fld("有关要求", 3)}, Height: 24},
				{Cells: []FormCell{lbl("联系人"), fld("联系人", 1), lbl("联系电话"), fld("联系电话", 1)}},
			},
			Below: []FormLine{{Text: "请于会前一个工作日将参会回执报会议组织单位。"}},
		},
	}
}
