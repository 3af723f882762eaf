package layout

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestBuiltinFormsValidate(t *testing.T) {
	for name, f := range BuiltinForms() {
		if err := f.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if f.Name != name || len(f.Fields()) < 5 {
			t.Errorf("%s: name %q, fields %v", name, f.Name, f.Fields())
		}
	}
	bad := &FormSpec{Name: "x", Columns: []float64{1, 1}, Rows: []FormRow{{Cells: []FormCell{lbl("a")}}}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "第1行占1列") {
		t.Errorf("span mismatch not reported: %v", err)
	}
}

// TestFormsRender fills every built-in form and reads the values back from the PDF.
func TestFormsRender(t *testing.T) {
	r := testRenderer(t)
	values := map[string]string{
		"机关名称": "枢纽市人民政府办公室", "标题": "关于做好春节期间安全生产工作的通知", "拟稿人": "刘洋",
		"督办事项": "推进老旧小区改造", "牵头单位": "市住房城乡建设局", "领导批示": "请市住建局牵头办理，按期报结果。\n王明　1月8日",
		"会议名称": "全市安全生产工作会议", "事项": "老旧小区改造进度", "催办次数": "2",
	}
	for name, f := range BuiltinForms() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := r.RenderForm(context.Background(), &b, PDF, f, values, Options{}); err != nil {
				t.Fatal(err)
			}
			pages := extractWords(t, b.Bytes())
			if len(pages) != 1 {
				t.Fatalf("%d pages, want 1", len(pages))
			}
			var all strings.Builder
			for _, l := range lines(pages[0]) {
				all.WriteString(l.Text)
				if l.XMin < MarginLeft-0.5 || l.XMax > blockR+0.5 {
					t.Errorf("%q outside the 版心", l.Text)
				}
			}
			for _, field := range f.Fields() {
				if v, ok := values[field]; ok {
					printed := strings.NewReplacer(" ", "", "\u3000", "").Replace(all.String())
					for _, part := range strings.Split(strings.ReplaceAll(v, "\u3000", ""), "\n") {
						if !strings.Contains(printed, string([]rune(part)[:min(4, len([]rune(part)))])) {
							t.Errorf("value of %s (%q) not printed", field, part)
						}
					}
				}
			}
			if strokes := pageStrokes(t, b.Bytes())[0]; len(strokes) < 10 {
				t.Errorf("only %d grid lines", len(strokes))
			}
			var o bytes.Buffer
			if err := r.RenderForm(context.Background(), &o, OFD, f, values, Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestFormGrowsAndPaginates(t *testing.T) {
	r := testRenderer(t)
	f := BuiltinForms()["incoming-sheet"]
	long := strings.Repeat("请各有关单位认真研究办理并及时反馈办理结果。", 80)
	pages, err := r.Fonts().TypesetForm(f, map[string]string{"拟办意见": long, "领导批示": long}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 2 {
		t.Fatalf("a form with long values should run onto a second page, got %d", len(pages))
	}
	for _, p := range pages {
		for _, tx := range p.Texts {
			if tx.Top+tx.Size > PageHeight-10 && tx.Face != FaceSong {
				t.Errorf("text %q runs off the page at %.1f mm", tx.String(), tx.Top)
			}
		}
	}
}

// TestFormWatermark: a form printed with a watermark carries it on every
// page, drawn exactly as on documents (same text, face, angle, places).
func TestFormWatermark(t *testing.T) {
	r := testRenderer(t)
	const wm = "王五 2024-02-01 08:00"
	long := strings.Repeat("请各有关单位认真研究办理并及时反馈办理结果。", 80)
	var b bytes.Buffer
	if err := r.RenderForm(context.Background(), &b, PDF, BuiltinForms()["incoming-sheet"], map[string]string{"拟办意见": long}, Options{Watermark: wm}); err != nil {
		t.Fatal(err)
	}
	pages := extractWords(t, b.Bytes())
	if len(pages) < 2 {
		t.Fatalf("%d pages, want a form running onto a second page", len(pages))
	}
	for i, p := range pages {
		// pdftotext may split the rotated runs where they cross the grid's
		// text, so count the viewer's name character by character.
		n := 0
		for _, w := range p.Words {
			n += strings.Count(w.Text, "王")
		}
		if n != 10 {
			t.Errorf("page %d: watermark seen %d times, want 10", i+1, n)
		}
	}
	marks := func(ps []*Page) []Text {
		var out []Text
		for _, tx := range ps[0].Texts {
			if tx.Rotate != 0 {
				out = append(out, tx)
			}
		}
		return out
	}
	form, err := r.Fonts().TypesetForm(BuiltinForms()["urge-sheet"], nil, Options{Watermark: wm})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := r.Pages(&Document{Title: "通知"}, Options{Watermark: wm})
	if err != nil {
		t.Fatal(err)
	}
	fm, dm := marks(form), marks(doc)
	if len(fm) != 10 || len(fm) != len(dm) {
		t.Fatalf("form has %d watermark runs, document %d", len(fm), len(dm))
	}
	for i := range fm {
		if fm[i].String() != wm || fm[i].Top != dm[i].Top || fm[i].Glyphs[0].X != dm[i].Glyphs[0].X || fm[i].Alpha != dm[i].Alpha || fm[i].Face != dm[i].Face {
			t.Errorf("form watermark %d differs from the document's: %+v vs %+v", i, fm[i], dm[i])
		}
	}
	plain, err := r.Fonts().TypesetForm(BuiltinForms()["urge-sheet"], nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(marks(plain)) != 0 {
		t.Error("a form without the option is watermarked")
	}
}
