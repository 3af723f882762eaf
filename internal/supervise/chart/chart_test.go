package chart

import (
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"
)

// parse decodes the SVG as XML and counts elements by name and class, and
// collects all character data.
func parse(t *testing.T, svg string) (map[string]int, string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	counts := map[string]int{}
	var text strings.Builder
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 && (el.Name.Local != "svg" || el.Name.Space != "http://www.w3.org/2000/svg") {
				t.Fatalf("root element %v", el.Name)
			}
			depth++
			counts[el.Name.Local]++
			for _, a := range el.Attr {
				if a.Name.Local == "class" {
					counts["."+a.Value]++
				}
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Fatalf("event handler attribute %s", a.Name.Local)
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			text.Write(el)
		}
	}
	if depth != 0 {
		t.Fatal("unbalanced elements")
	}
	return counts, text.String()
}

const nasty = `城关镇</text><script>alert("x")</script>&amp;`

func TestBarChart(t *testing.T) {
	c := Chart{
		Title:   "各镇按期办结率 <2026年3月>",
		Labels:  []string{"城关镇", nasty, "东山镇"},
		Series:  []Series{{Name: "按期办结率", Values: []float64{0.5, 1, math.NaN()}}},
		Percent: true,
		Links:   []string{"/supervise/items?unit=town1&m=due", "", `javascript:"alert(1)"`},
	}
	svg := c.Bar()
	counts, text := parse(t, svg)
	if counts[".bar"] != 2 {
		t.Fatalf("%d bars, want 2 (NaN is no bar)", counts[".bar"])
	}
	if counts["script"] != 0 || !strings.Contains(text, nasty) {
		t.Fatalf("label not escaped as text: script elements %d", counts["script"])
	}
	if !strings.Contains(text, "各镇按期办结率 <2026年3月>") || !strings.Contains(text, "50.0%") || !strings.Contains(text, "100.0%") {
		t.Fatalf("text %q", text)
	}
	if counts["a"] != 2 {
		t.Fatalf("%d links", counts["a"])
	}
	if !strings.Contains(svg, `href="/supervise/items?unit=town1&amp;m=due"`) {
		t.Fatalf("link not escaped: %s", svg)
	}
}

func TestLineChartGaps(t *testing.T) {
	c := Chart{
		Title:  "城关镇逐月情况",
		Labels: []string{"1月", "2月", "3月", "4月", "5月"},
		Series: []Series{
			{Name: "办结", Values: []float64{1, 2, math.NaN(), 4, 5}},
			{Name: "逾期", Values: []float64{0, 0, 1, 0, 0}},
		},
	}
	counts, text := parse(t, c.Line())
	// The first series breaks at March: two segments; the second is one.
	if counts[".line"] != 3 || counts[".point"] != 9 {
		t.Fatalf("lines %d points %d", counts[".line"], counts[".point"])
	}
	if !strings.Contains(text, "办结") || !strings.Contains(text, "逾期") {
		t.Fatal("legend missing")
	}
}

func TestEmptyAndOddCharts(t *testing.T) {
	for _, c := range []Chart{
		{},
		{Title: "空", Labels: []string{"a"}},
		{Title: "大数", Labels: []string{"a", "b"}, Series: []Series{{Name: "x", Values: []float64{1e9, math.Inf(1)}}}},
		{Title: "负数", Labels: []string{"a"}, Series: []Series{{Name: "x", Values: []float64{-3}}}},
		{Title: "短", Labels: []string{"a", "b", "c"}, Series: []Series{{Name: "x", Values: []float64{1}}}},
		{Title: "多", Labels: strings.Split("一二三四五六七八九十", ""), Series: []Series{{Name: "x", Values: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}}},
	} {
		parse(t, c.Bar())
		parse(t, c.Line())
	}
}

func TestNiceStep(t *testing.T) {
	for in, want := range map[float64]float64{0: 1, 0.3: 1, 1.5: 2, 3: 5, 7: 10, 12: 20, 480: 500, 2001: 5000} {
		if got := niceStep(in); got != want {
			t.Errorf("niceStep(%v) = %v, want %v", in, got, want)
		}
	}
}

func FuzzChartText(f *testing.F) {
	f.Add("城关镇", "标题", 0.5)
	f.Add("<a>&\"'", "]]><!--", -1.0)
	f.Fuzz(func(t *testing.T, label, title string, v float64) {
		c := Chart{Title: title, Labels: []string{label, "x"}, Series: []Series{{Name: label, Values: []float64{v, 1}}}, Links: []string{label}}
		for _, svg := range []string{c.Bar(), c.Line()} {
			d := xml.NewDecoder(strings.NewReader(svg))
			for {
				_, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("not XML for %q/%q: %v", label, title, err)
				}
			}
		}
	})
}
