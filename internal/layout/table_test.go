package layout

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func tableDoc(rows int) *Document {
	t := &Table{Title: "考核结果", Columns: []float64{1, 3, 2, 2, 1.5}, Header: []string{"名次", "单位", "收文签收及时率", "办结及时率", "总分"}}
	for i := range rows {
		t.Rows = append(t.Rows, []string{fmt.Sprint(i + 1), fmt.Sprintf("第%d街道办事处", i+1), "95.0%", "80.0%", fmt.Sprintf("%.2f", 99-float64(i)/2)})
	}
	return &Document{IssuerMark: "枢纽区人民政府办公室", Title: "关于2026年度考核结果的通报",
		Body:   []Paragraph{{Text: "现将考核结果通报如下。"}, {Table: t}, {Text: "计分办法：按权重加权平均。"}},
		Issuer: "枢纽区人民政府办公室", Date: "2027年1月5日"}
}

// TestTable sets a table across pages: every cell inside the 版心, the
// header repeated on each page, rows in order, rules on the column edges,
// and the text after the table back on the grid.
func TestTable(t *testing.T) {
	r := testRenderer(t)
	for _, tc := range []struct {
		name  string
		rows  int
		pages int
	}{{"one page", 5, 1}, {"three pages", 45, 3}} {
		t.Run(tc.name, func(t *testing.T) {
			pages, err := r.Fonts().Typeset(tableDoc(tc.rows), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) < tc.pages {
				t.Fatalf("%d pages, want at least %d", len(pages), tc.pages)
			}
			var order []string
			headers := 0
			for _, p := range pages {
				for _, tx := range p.Texts {
					s := tx.String()
					if strings.HasPrefix(s, "—") {
						continue // the page number, below the 版心
					}
					for _, g := range tx.Glyphs {
						if g.X < MarginLeft-0.01 || g.X > blockR+0.01 {
							t.Fatalf("page %d: %q at x %.1f outside the 版心", p.Number, s, g.X)
						}
					}
					if tx.Top < MarginTop-0.01 || tx.Top+tx.Size > blockB+0.01 {
						t.Fatalf("page %d: %q at y %.1f outside the 版心", p.Number, s, tx.Top)
					}
					if s == "名次" {
						headers++
					}
					if strings.HasSuffix(s, "街道办事处") {
						order = append(order, s)
					}
				}
				for _, ru := range p.Rules {
					if ru.X1 < MarginLeft-0.01 || ru.X2 > blockR+0.01 || ru.Y1 < MarginTop-0.01 || ru.Y2 > blockB+0.01 {
						t.Fatalf("page %d: rule %+v outside the 版心", p.Number, ru)
					}
				}
			}
			if len(order) != tc.rows {
				t.Fatalf("%d rows printed, want %d", len(order), tc.rows)
			}
			for i, s := range order {
				if want := fmt.Sprintf("第%d街道办事处", i+1); s != want {
					t.Fatalf("row %d is %q, want %q", i+1, s, want)
				}
			}
			tablePages := 0
			for _, p := range pages {
				if len(p.Rules) > 0 {
					tablePages++
				}
			}
			if headers != tablePages {
				t.Errorf("header printed %d times on %d pages of the table", headers, tablePages)
			}
			// The paragraph after the table sits on a grid line (of the
			// 22-line grid, or of a page tightened to keep the signature).
			for _, p := range pages {
				for _, tx := range p.Texts {
					if !strings.HasPrefix(tx.String(), "计分办法") {
						continue
					}
					on := false
					for n := LinesPerPage; n <= maxTightLines; n++ {
						pitch := BlockHeight / float64(n)
						l := (tx.Top - (pitch-Size3)/2 - MarginTop) / pitch
						if d := l - float64(int(l+0.5)); d < 0.01 && d > -0.01 {
							on = true
						}
					}
					if !on {
						t.Errorf("text after the table off the grid: top %.2f mm", tx.Top)
					}
				}
			}
			var docx bytes.Buffer
			if err := r.Fonts().WriteDOCX(&docx, tableDoc(tc.rows), Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTableValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		tb   Table
		want string
	}{
		{"no columns", Table{}, "列"},
		{"header short", Table{Columns: []float64{1, 1}, Header: []string{"a"}}, "表头"},
		{"row short", Table{Columns: []float64{1, 1}, Header: []string{"a", "b"}, Rows: [][]string{{"x"}}}, "第1行"},
		{"bad width", Table{Columns: []float64{1, 0}, Header: []string{"a", "b"}}, "列宽"},
		{"long cell", Table{Columns: []float64{1}, Header: []string{strings.Repeat("字", 201)}}, "200"},
		{"ok", Table{Columns: []float64{1}, Header: []string{"a"}, Rows: [][]string{{"b"}}}, ""},
	} {
		err := tc.tb.Validate()
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
