package search

import (
	"strconv"
	"strings"
	"unicode"
)

// DocNumber is a 发文字号 read in any of its common forms:
// 清政办发〔2026〕5号, 清政办发[2026]5号, 清政办发（2026）5号, 清政办发2026年5号,
// or without the organ code, 〔2026〕5号 and 2026年5号.
type DocNumber struct {
	Code string // 机关代字, empty when not given
	Year int
	Seq  int
}

// ParseDocNumber reads s as a 发文字号; ok is false when it is not one.
func ParseDocNumber(s string) (DocNumber, bool) {
	s = strings.TrimSpace(FoldString(s))
	s = strings.TrimSuffix(s, "号")
	var n DocNumber
	// The year: four digits, bracketed or followed by 年.
	open := strings.IndexAny(s, "〔[(（【")
	var code, rest string
	switch {
	case open >= 0:
		code, rest = s[:open], s[open:]
		_, w := firstRune(rest)
		rest = rest[w:]
		closeAt := strings.IndexAny(rest, "〕])）】")
		if closeAt < 0 {
			return n, false
		}
		year, after := rest[:closeAt], rest[closeAt:]
		_, w = firstRune(after)
		y, ok := year4(year)
		if !ok {
			return n, false
		}
		n.Year, rest = y, after[w:]
	default:
		i := strings.Index(s, "年")
		if i < 4 {
			return n, false
		}
		y, ok := year4(s[i-4 : i])
		if !ok {
			return n, false
		}
		code, n.Year, rest = s[:i-4], y, s[i+len("年"):]
	}
	seq, err := strconv.Atoi(strings.TrimSpace(rest))
	if err != nil || seq <= 0 || seq > 1_000_000 {
		return n, false
	}
	n.Seq = seq
	n.Code = strings.TrimSpace(code)
	for _, r := range n.Code {
		if !unicode.Is(unicode.Han, r) && !unicode.IsLetter(r) {
			return n, false
		}
	}
	return n, true
}

func year4(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(s)
	return y, err == nil && y >= 1949 && y <= 2999
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// Marks are the number tokens the index holds for a 发文字号: one with the
// organ code and one without, so that 2026年5号 finds every organ's 5th of
// 2026 and 清政办发〔2026〕5号 only its own. They are words of letters and
// digits, so every tokenizer keeps them whole.
func (n DocNumber) Marks() []string {
	m := []string{"nx" + strconv.Itoa(n.Year) + "n" + strconv.Itoa(n.Seq)}
	if n.Code != "" {
		m = append(m, n.Mark())
	}
	return m
}

// Mark is the one token a query for n asks for.
func (n DocNumber) Mark() string {
	if n.Code == "" {
		return "nx" + strconv.Itoa(n.Year) + "n" + strconv.Itoa(n.Seq)
	}
	return "nw" + n.Code + strconv.Itoa(n.Year) + "n" + strconv.Itoa(n.Seq)
}

// NumberMarks are the marks of every 文号 in the given strings (a document
// has its own number and, received, the sender's).
func NumberMarks(numbers ...string) []string {
	var out []string
	for _, s := range numbers {
		if n, ok := ParseDocNumber(s); ok {
			out = append(out, n.Marks()...)
		}
	}
	return out
}
