// Package chart renders the statistics charts as SVG on the server: a bar
// chart (横比, units side by side) and a line chart (纵比, a unit over
// periods). Pure Go, no scripts; every piece of text is XML-escaped, so unit
// names and titles typed by users cannot inject markup.
package chart

import (
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Series is one named set of values, one per label. A NaN value is "no
// data" (e.g. a rate with nothing due): no bar, a gap in the line.
type Series struct {
	Name   string
	Values []float64
}

// Chart is what both renderers draw.
type Chart struct {
	Title  string
	Labels []string // categories (bar) or periods (line), left to right
	Series []Series
	// Percent formats values in [0, 1] as percentages on a 0–100 % axis.
	Percent bool
	// Links, if set, gives each label a URL (click-through to the items).
	Links  []string
	Width  int // default 720
	Height int // default 360
}

// color is series k's colour: the Okabe–Ito palette, safe for colour blindness.
func color(k int) string {
	return [...]string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"}[k%8]
}

const fontFamily = `"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif`

func esc(s string) string {
	var b strings.Builder
	// EscapeText also escapes quotes, so the result is safe in attributes too.
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// geometry of the plot area.
type frame struct {
	w, h                     int
	left, right, top, bottom float64
	max                      float64
	step                     float64
}

func (c *Chart) frame() frame {
	f := frame{w: c.Width, h: c.Height, left: 56, right: 16, top: 44, bottom: 64}
	if f.w <= 0 {
		f.w = 720
	}
	if f.h <= 0 {
		f.h = 360
	}
	if len(c.Series) > 1 {
		f.top += 20 // room for the legend
	}
	// Many categories (49 departments side by side) need room: vertical
	// labels, a column of at least 18 px each, and a bottom margin as deep as
	// the longest label; fewer are slanted, with the margin to match.
	longest := 0
	for _, l := range c.Labels {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	extra := 0.0
	switch {
	case len(c.Labels) > verticalLabels:
		f.w = max(f.w, int(f.left+f.right)+18*len(c.Labels))
		extra = max(0, 20+12.5*float64(longest)-f.bottom)
	case len(c.Labels) > 8:
		extra = max(0, 24+7*float64(longest)-f.bottom)
	}
	f.bottom += extra
	f.h += int(extra)
	hi := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) && v > hi {
				hi = v
			}
		}
	}
	if c.Percent {
		f.max, f.step = 1, 0.2
	} else {
		f.step = niceStep(hi / 5)
		f.max = math.Ceil(hi/f.step) * f.step
		if f.max == 0 {
			f.max = f.step
		}
	}
	return f
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten (at least 1: counts are whole).
func niceStep(x float64) float64 {
	if x <= 1 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

func (f frame) plotW() float64 { return float64(f.w) - f.left - f.right }
func (f frame) plotH() float64 { return float64(f.h) - f.top - f.bottom }

func (f frame) y(v float64) float64 {
	if v < 0 {
		v = 0
	}
	if v > f.max {
		v = f.max
	}
	return f.top + f.plotH()*(1-v/f.max)
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

func (c *Chart) format(v float64) string {
	if c.Percent {
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	}
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func (c *Chart) open(b *strings.Builder, f frame) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" font-family="%s" font-size="12">`,
		f.w, f.h, f.w, f.h, esc(c.Title), esc(fontFamily))
	fmt.Fprintf(b, `<title>%s</title>`, esc(c.Title))
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="#ffffff"/>`, f.w, f.h)
	fmt.Fprintf(b, `<text x="%d" y="22" text-anchor="middle" font-size="15" font-weight="bold">%s</text>`, f.w/2, esc(c.Title))
	// Horizontal grid and the value axis.
	for v := 0.0; v <= f.max+f.step/2; v += f.step {
		y := f.y(v)
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#dddddd"/>`, num(f.left), num(y), num(float64(f.w)-f.right), num(y))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" fill="#555555">%s</text>`, num(f.left-6), num(y+4), esc(c.format(v)))
	}
	if len(c.Series) > 1 {
		x := f.left
		for i, s := range c.Series {
			fmt.Fprintf(b, `<rect x="%s" y="32" width="12" height="12" fill="%s"/>`, num(x), color(i))
			fmt.Fprintf(b, `<text x="%s" y="42">%s</text>`, num(x+16), esc(s.Name))
			x += 16 + float64(len([]rune(s.Name)))*12 + 16
		}
	}
}

// verticalLabels is how many categories a chart takes before its labels stand upright.
const verticalLabels = 16

// label writes a category label under the axis, linked if the chart has links.
func (c *Chart) label(b *strings.Builder, f frame, i int, x float64) {
	rotate := len(c.Labels) > 8
	text := c.Labels[i]
	y := float64(f.h) - f.bottom + 16
	var t string
	if len(c.Labels) > verticalLabels {
		t = fmt.Sprintf(`<text x="%s" y="%s" text-anchor="end" transform="rotate(-90 %s %s)">%s</text>`, num(x+4), num(y-6), num(x+4), num(y-6), esc(text))
	} else if rotate {
		t = fmt.Sprintf(`<text x="%s" y="%s" text-anchor="end" transform="rotate(-35 %s %s)">%s</text>`, num(x), num(y), num(x), num(y), esc(text))
	} else {
		t = fmt.Sprintf(`<text x="%s" y="%s" text-anchor="middle">%s</text>`, num(x), num(y), esc(text))
	}
	if i < len(c.Links) && c.Links[i] != "" {
		t = fmt.Sprintf(`<a href="%s">%s</a>`, esc(c.Links[i]), t)
	}
	b.WriteString(t)
}

// Bar renders a grouped bar chart.
func (c *Chart) Bar() string {
	f := c.frame()
	var b strings.Builder
	c.open(&b, f)
	n := len(c.Labels)
	if n > 0 && len(c.Series) > 0 {
		slot := f.plotW() / float64(n)
		bw := slot * 0.7 / float64(len(c.Series))
		for i := range c.Labels {
			x0 := f.left + slot*float64(i) + slot*0.15
			for k, s := range c.Series {
				if i >= len(s.Values) || math.IsNaN(s.Values[i]) {
					// Say so rather than draw nothing, which would read as zero.
					fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#888888">无数据</text>`,
						num(x0+bw*(float64(k)+0.5)), num(f.top+f.plotH()-3))
					continue
				}
				v := s.Values[i]
				y := f.y(v)
				fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
					num(x0+bw*float64(k)), num(y), num(bw), num(f.top+f.plotH()-y), color(k),
					esc(c.Labels[i]+" "+s.Name+"："+c.format(v)))
				fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#333333">%s</text>`,
					num(x0+bw*(float64(k)+0.5)), num(y-3), esc(c.format(v)))
			}
			c.label(&b, f, i, f.left+slot*(float64(i)+0.5))
		}
	}
	axis(&b, f)
	b.WriteString(`</svg>`)
	return b.String()
}

// Line renders one line per series, with a gap where a value is missing.
func (c *Chart) Line() string {
	f := c.frame()
	var b strings.Builder
	c.open(&b, f)
	n := len(c.Labels)
	if n > 0 {
		step := f.plotW() / float64(max(n, 1))
		x := func(i int) float64 { return f.left + step*(float64(i)+0.5) }
		for k, s := range c.Series {
			color := color(k)
			var pts []string
			flush := func() {
				if len(pts) > 1 {
					fmt.Fprintf(&b, `<polyline class="line" fill="none" stroke="%s" stroke-width="2" points="%s"/>`, color, strings.Join(pts, " "))
				}
				pts = pts[:0]
			}
			for i := 0; i < n; i++ {
				if i >= len(s.Values) || math.IsNaN(s.Values[i]) {
					flush()
					continue
				}
				v := s.Values[i]
				pts = append(pts, num(x(i))+","+num(f.y(v)))
				fmt.Fprintf(&b, `<circle class="point" cx="%s" cy="%s" r="3" fill="%s"><title>%s</title></circle>`,
					num(x(i)), num(f.y(v)), color, esc(c.Labels[i]+" "+s.Name+"："+c.format(v)))
			}
			flush()
		}
		for i := range c.Labels {
			c.label(&b, f, i, x(i))
		}
	}
	axis(&b, f)
	b.WriteString(`</svg>`)
	return b.String()
}

func axis(b *strings.Builder, f frame) {
	y := f.top + f.plotH()
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333333"/>`, num(f.left), num(y), num(float64(f.w)-f.right), num(y))
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333333"/>`, num(f.left), num(f.top), num(f.left), num(y))
}
