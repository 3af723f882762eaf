package document

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Paragraph is one paragraph of the 正文 with its place in the
// 一、（一）1.（1）hierarchy. Level 0 is running text; 1–4 are the heading
// levels. Marker is the numbering as typed; Ordinal its value (一 = 1).
type Paragraph struct {
	Level   int    `json:"level"`
	Marker  string `json:"marker,omitempty"`
	Ordinal int    `json:"ordinal,omitempty"`
	Text    string `json:"text"`
}

// Body is the structured 正文.
type Body struct {
	Paragraphs []Paragraph `json:"paragraphs"`
}

// UnmarshalJSON reads a body as clients send it: a heading's ordinal may be
// left out ({"level":1,"marker":"一、","text":"…"}) and is then read from its
// marker (一、 is 1), or, with no marker either, counted among its siblings
// and given the standard marker. What is given is kept as given, so the
// checks still see a wrong marker or ordinal.
func (b *Body) UnmarshalJSON(data []byte) error {
	type plain Body
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*b = Body(p)
	b.deriveOrdinals()
	return nil
}

func (b *Body) deriveOrdinals() {
	var counter [5]int
	for i := range b.Paragraphs {
		p := &b.Paragraphs[i]
		if p.Level < 1 || p.Level > 4 {
			continue
		}
		if p.Ordinal == 0 {
			switch q := parseLine(p.Marker + "正"); {
			case p.Marker == "":
				p.Ordinal = counter[p.Level] + 1
				p.Marker = StandardMarker(p.Level, p.Ordinal)
			case q.Marker == p.Marker && q.Ordinal > 0:
				p.Ordinal = q.Ordinal
			}
		}
		counter[p.Level] = p.Ordinal
		for deeper := p.Level + 1; deeper < len(counter); deeper++ {
			counter[deeper] = 0
		}
	}
}

// String joins the paragraphs back into lines, markers included.
func (b Body) String() string {
	lines := make([]string, len(b.Paragraphs))
	for i, p := range b.Paragraphs {
		lines[i] = p.Marker + p.Text
	}
	return strings.Join(lines, "\n")
}

// StandardMarker is the correct marker for a level and ordinal (GB/T 9704 §7.3.3).
func StandardMarker(level, ordinal int) string {
	switch level {
	case 1:
		return ChineseNumeral(ordinal) + "、"
	case 2:
		return "（" + ChineseNumeral(ordinal) + "）"
	case 3:
		return strconv.Itoa(ordinal) + "."
	case 4:
		return "（" + strconv.Itoa(ordinal) + "）"
	}
	return ""
}

const cnDigits = "〇一二三四五六七八九"

// ChineseNumeral writes 1–99 as 一 … 九十九 (as used in headings).
func ChineseNumeral(n int) string {
	d := []rune(cnDigits)
	switch {
	case n <= 0 || n > 99:
		return strconv.Itoa(n)
	case n < 10:
		return string(d[n])
	case n == 10:
		return "十"
	case n < 20:
		return "十" + string(d[n-10])
	case n%10 == 0:
		return string(d[n/10]) + "十"
	}
	return string(d[n/10]) + "十" + string(d[n%10])
}

// ParseChineseNumeral reads 一 … 九十九 (also 两, 〇/零 only inside); ok is false otherwise.
func ParseChineseNumeral(s string) (int, bool) {
	val := func(r rune) int {
		switch r {
		case '两':
			return 2
		case '零':
			return 0
		}
		return strings.IndexRune(cnDigits, r) / 3 // cnDigits is 3 bytes a rune
	}
	r := []rune(s)
	switch {
	case len(r) == 1 && r[0] == '十':
		return 10, true
	case len(r) == 1:
		v := val(r[0])
		return v, v > 0
	case len(r) == 2 && r[0] == '十':
		v := val(r[1])
		return 10 + v, v > 0
	case len(r) == 2 && r[1] == '十':
		v := val(r[0])
		return v * 10, v > 1
	case len(r) == 3 && r[1] == '十':
		a, b := val(r[0]), val(r[2])
		return a*10 + b, a > 1 && b > 0
	}
	return 0, false
}

const cnNum = `[一二三四五六七八九十两]{1,3}`

// Each level has its standard pattern and tolerated misspellings; a line is
// given the level of the first pattern that matches, and Standard says whether
// its marker is the one GB/T 9704 prescribes.
var markerPatterns = []struct {
	level    int
	standard bool
	re       *regexp.Regexp
}{
	{2, true, regexp.MustCompile(`^（(` + cnNum + `)）`)},
	{2, false, regexp.MustCompile(`^\((` + cnNum + `)\)[、，.．]?`)},
	{4, true, regexp.MustCompile(`^（([0-9]{1,2})）`)},
	{4, false, regexp.MustCompile(`^(?:\(([0-9]{1,2})\)|([0-9]{1,2})\))[、，.．]?`)},
	{1, true, regexp.MustCompile(`^(` + cnNum + `)、`)},
	{1, false, regexp.MustCompile(`^(` + cnNum + `)[.．，,]`)},
	{3, true, regexp.MustCompile(`^([0-9]{1,2})\.`)},
	{3, false, regexp.MustCompile(`^([0-9]{1,2})[、．，]`)},
}

// ParseBody turns plain text into paragraphs: one paragraph a non-empty line,
// leading indentation (half- or full-width spaces) dropped, numbering
// recognised. "1.5亿元" is running text, not a heading.
func ParseBody(text string) Body {
	var b Body
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(strings.Trim(line, " \t\u3000"))
		if line == "" {
			continue
		}
		b.Paragraphs = append(b.Paragraphs, parseLine(line))
	}
	return b
}

func parseLine(line string) Paragraph {
	for _, p := range markerPatterns {
		m := p.re.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		rest := line[len(m[0]):]
		if p.level == 3 && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			continue // a decimal number such as 1.5
		}
		num := m[1]
		if num == "" && len(m) > 2 {
			num = m[2]
		}
		ord, ok := ParseChineseNumeral(num)
		if !ok {
			var err error
			if ord, err = strconv.Atoi(num); err != nil || ord == 0 {
				continue
			}
		}
		return Paragraph{Level: p.level, Marker: m[0], Ordinal: ord, Text: strings.TrimLeft(rest, " \u3000")}
	}
	return Paragraph{Text: line}
}

// CheckNumbering checks the hierarchy (校对 rules N01–N06): standard markers,
// no level skipped (一、 straight to 1. is tolerated), and siblings numbered
// consecutively from 1 under each parent.
func CheckNumbering(b Body) []Finding {
	var out []Finding
	var counter [5]int
	last := 0
	for i, p := range b.Paragraphs {
		if p.Level == 0 {
			continue
		}
		where := fmt.Sprintf("正文第 %d 段", i+1)
		if want := StandardMarker(p.Level, p.Ordinal); p.Marker != want {
			out = append(out, Finding{Rule: "N01", Field: "body", Paragraph: i + 1, Severity: Error,
				Message: fmt.Sprintf("%s的序号“%s”应写作“%s”", where, p.Marker, want)})
		}
		if p.Level > last+1 && !(last == 1 && p.Level == 3) {
			out = append(out, Finding{Rule: "N05", Field: "body", Paragraph: i + 1, Severity: Warning,
				Message: fmt.Sprintf("%s的层级跳过了上一级（结构层次序数依次为一、（一）1.（1））", where)})
		}
		if want := counter[p.Level] + 1; p.Ordinal != want {
			out = append(out, Finding{Rule: "N06", Field: "body", Paragraph: i + 1, Severity: Error,
				Message: fmt.Sprintf("%s的序号应为“%s”，同级序号须连续", where, StandardMarker(p.Level, want))})
		}
		counter[p.Level] = p.Ordinal
		for deeper := p.Level + 1; deeper < len(counter); deeper++ {
			counter[deeper] = 0
		}
		last = p.Level
	}
	return out
}
