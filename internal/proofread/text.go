package proofread

import "unicode"

// text is the checked input as runes, with its paragraphs (lines).
type text struct {
	s     string
	r     []rune
	paras []span // each line, without its line break
}

type span struct{ start, end int }

func newText(s string) *text {
	t := &text{s: s, r: []rune(s)}
	start := 0
	for i, c := range t.r {
		if c == '\n' {
			end := i
			if end > start && t.r[end-1] == '\r' {
				end--
			}
			t.paras = append(t.paras, span{start, end})
			start = i + 1
		}
	}
	end := len(t.r)
	if end > start && t.r[end-1] == '\r' {
		end--
	}
	t.paras = append(t.paras, span{start, end})
	return t
}

// at returns the rune at i, or 0 outside the text.
func (t *text) at(i int) rune {
	if i < 0 || i >= len(t.r) {
		return 0
	}
	return t.r[i]
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isCJKPunct reports full-width punctuation that belongs to Chinese text.
func isCJKPunct(r rune) bool {
	switch r {
	case '，', '。', '、', '；', '：', '？', '！', '“', '”', '‘', '’', '（', '）', '《', '》', '〈', '〉', '【', '】', '〔', '〕', '…', '—', '～', '·':
		return true
	}
	return false
}

// isChineseContext reports a Han character or Chinese punctuation.
func isChineseContext(r rune) bool { return isHan(r) || isCJKPunct(r) }

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func isASCIILetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }

// chineseDigit maps 〇一二…九 (and 零, 两) to their value.
func chineseDigit(r rune) (int, bool) {
	switch r {
	case '〇', '零':
		return 0, true
	case '一':
		return 1, true
	case '二', '两':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	}
	return 0, false
}

// chineseNumber parses 一 … 九十九 (the numbers used in 公文 headings).
func chineseNumber(s []rune) (int, bool) {
	if len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	if len(s) == 1 {
		if s[0] == '十' {
			return 10, true
		}
		d, ok := chineseDigit(s[0])
		if !ok || d == 0 || s[0] == '两' || s[0] == '零' {
			return 0, false
		}
		return d, true
	}
	tens, units := 1, 0
	switch {
	case len(s) == 2 && s[0] == '十':
		d, ok := chineseDigit(s[1])
		if !ok || d == 0 {
			return 0, false
		}
		units = d
	case len(s) == 2 && s[1] == '十':
		d, ok := chineseDigit(s[0])
		if !ok || d < 2 {
			return 0, false
		}
		tens = d
	case len(s) == 3 && s[1] == '十':
		d, ok := chineseDigit(s[0])
		u, ok2 := chineseDigit(s[2])
		if !ok || !ok2 || d < 2 || u == 0 {
			return 0, false
		}
		tens, units = d, u
	default:
		return 0, false
	}
	return tens*10 + units, true
}

// chineseNumeral writes n (1…99) the way headings do.
func chineseNumeral(n int) string {
	digits := []rune("〇一二三四五六七八九")
	switch {
	case n <= 0 || n > 99:
		return ""
	case n < 10:
		return string(digits[n])
	case n == 10:
		return "十"
	case n < 20:
		return "十" + string(digits[n-10])
	case n%10 == 0:
		return string(digits[n/10]) + "十"
	default:
		return string(digits[n/10]) + "十" + string(digits[n%10])
	}
}
