package layout

import (
	"strings"
	"unicode"
)

// Chinese line-breaking rules (禁则): these may not start a line…
const noLineStart = "，。、；：？！）》」』”’〕】〗〉｝］…—·．％‰,.;:?!)]}%"

// …and these may not end one.
const noLineEnd = "（《「『“‘〔【〖〈｛［([{"

// span is a piece of a paragraph in one face.
type span struct {
	face Face
	text string
}

// unit is what the breaker never splits: one CJK character, or a run of
// ASCII letters and digits, or a run of the same dash or ellipsis.
type unit struct {
	face  Face
	runes []rune
	width float64 // mm
	grid  bool    // occupies one character cell of the grid
}

type lineSpec struct {
	size      float64
	grid      bool    // full-width characters take CharPitch cells (body text)
	first     float64 // indent of the first line, mm
	rest      float64 // indent of the following lines, mm
	width     float64 // available width, mm
	justify   bool    // spread non-final lines to the full width
	centre    bool    // centre every line
	alignLeft float64 // left edge of the text block
}

func isWordRune(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("%.-/:_", r))
}

func (ts *typesetter) units(spans []span, ls lineSpec) []unit {
	var us []unit
	for _, sp := range spans {
		rs := []rune(sp.text)
		for i := 0; i < len(rs); {
			r := rs[i]
			j := i + 1
			switch {
			case isWordRune(r):
				for j < len(rs) && isWordRune(rs[j]) {
					j++
				}
			case r == '—' || r == '…':
				for j < len(rs) && rs[j] == r {
					j++
				}
			}
			u := unit{face: sp.face, runes: rs[i:j]}
			for _, c := range u.runes {
				adv := ts.fs.advance(sp.face, c)
				if ls.grid && adv > 0.9 {
					u.width += CharPitch
					u.grid = true
				} else {
					u.width += adv * ls.size
				}
			}
			us = append(us, u)
			i = j
		}
	}
	return us
}

// breakUnits splits units into lines, keeping the 禁则.
func breakUnits(us []unit, ls lineSpec) [][]unit {
	var lines [][]unit
	const eps = 0.01
	for i := 0; i < len(us); {
		avail := ls.width - ls.rest
		if len(lines) == 0 {
			avail = ls.width - ls.first
		}
		j, w := i, 0.0
		for j < len(us) && w+us[j].width <= avail+eps {
			w += us[j].width
			j++
		}
		if j == len(us) {
			lines = append(lines, us[i:j])
			break
		}
		if j == i {
			j = i + 1 // a unit wider than the line stands alone
		}
		k := j
		for k > i+1 && (strings.ContainsRune(noLineStart, us[k].runes[0]) || strings.ContainsRune(noLineEnd, us[k-1].runes[len(us[k-1].runes)-1])) {
			k--
		}
		if k == i+1 && j > i+1 {
			k = j
		}
		lines = append(lines, us[i:k])
		i = k
	}
	return lines
}

// place turns one broken line into text runs with glyph positions.
func (ts *typesetter) place(line []unit, ls lineSpec, first, last bool, top float64, color Color) []Text {
	indent := ls.rest
	if first {
		indent = ls.first
	}
	avail := ls.width - indent
	natural := 0.0
	for _, u := range line {
		natural += u.width
	}
	gap := 0.0
	x := ls.alignLeft + indent
	switch {
	case ls.centre:
		x = ls.alignLeft + (ls.width-natural)/2
	case ls.justify && !last && len(line) > 1 && natural < avail-0.01:
		gap = (avail - natural) / float64(len(line)-1)
	}
	var out []Text
	for _, u := range line {
		if len(out) == 0 || out[len(out)-1].Face != u.face {
			out = append(out, Text{Face: u.face, Size: ls.size, Top: top, Color: color})
		}
		t := &out[len(out)-1]
		for _, r := range u.runes {
			adv := ts.fs.advance(u.face, r) * ls.size
			if u.grid && adv > 0.9*ls.size {
				t.Glyphs = append(t.Glyphs, Glyph{R: r, X: x + (CharPitch-adv)/2})
				x += CharPitch
			} else {
				t.Glyphs = append(t.Glyphs, Glyph{R: r, X: x})
				x += adv
			}
		}
		x += gap
	}
	return out
}

// setLines breaks spans and returns the texts of each line.
func (ts *typesetter) setLines(spans []span, ls lineSpec, color Color) [][]Text {
	us := ts.units(spans, ls)
	lines := breakUnits(us, ls)
	out := make([][]Text, len(lines))
	for i, l := range lines {
		out[i] = ts.place(l, ls, i == 0, i == len(lines)-1, 0, color)
	}
	return out
}

// textWidth measures a string set without the grid.
func (ts *typesetter) textWidth(f Face, size float64, s string) float64 {
	w := 0.0
	for _, r := range s {
		w += ts.fs.advance(f, r) * size
	}
	return w
}

// run places s at x with natural advances.
func (ts *typesetter) run(f Face, size, x, top float64, color Color, s string) Text {
	t := Text{Face: f, Size: size, Top: top, Color: color}
	for _, r := range s {
		t.Glyphs = append(t.Glyphs, Glyph{R: r, X: x})
		x += ts.fs.advance(f, r) * size
	}
	return t
}

// gridRun places s on the body grid at x: full-width characters in CharPitch cells.
func (ts *typesetter) gridRun(f Face, x, top float64, color Color, s string) Text {
	t := Text{Face: f, Size: Size3, Top: top, Color: color}
	for _, r := range s {
		adv := ts.fs.advance(f, r) * Size3
		if adv > 0.9*Size3 {
			t.Glyphs = append(t.Glyphs, Glyph{R: r, X: x + (CharPitch-adv)/2})
			x += CharPitch
		} else {
			t.Glyphs = append(t.Glyphs, Glyph{R: r, X: x})
			x += adv
		}
	}
	return t
}

func (ts *typesetter) gridWidth(f Face, s string) float64 {
	w := 0.0
	for _, r := range s {
		adv := ts.fs.advance(f, r) * Size3
		if adv > 0.9*Size3 {
			w += CharPitch
		} else {
			w += adv
		}
	}
	return w
}
