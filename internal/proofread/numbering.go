package proofread

import (
	"strconv"
	"unicode"
)

// numItem is one paragraph whose start may carry a heading number.
type numItem struct {
	t   *text
	p   span
	out *findings
}

// checkNumbering checks the heading numbers of the paragraphs of t.
func (c *Checker) checkNumbering(t *text, out *findings, _ []int) {
	items := make([]numItem, 0, len(t.paras))
	for _, p := range t.paras {
		items = append(items, numItem{t: t, p: p, out: out})
	}
	c.numberingOver(items, true)
}

// heading is a numbering marker found at a paragraph start.
type heading struct {
	level      int // 1 一、 2 （一） 3 1. 4 （1）
	n          int
	start, end int // the marker, including its bracket or separator
	numStart   int
}

// parseHeading reads the numbering marker at the start of paragraph p and
// reports form errors in it (N01–N04).
func (c *Checker) parseHeading(t *text, p span, out *findings) (heading, bool) {
	i := p.start
	for i < p.end && (t.r[i] == ' ' || t.r[i] == '\u3000' || t.r[i] == '\t') {
		i++
	}
	if i >= p.end {
		return heading{}, false
	}
	add := func(s, e int, rule, msg, sugg string) {
		out.add(formatFinding(s, e, SeverityError, rule, msg, sugg))
	}
	r := t.r
	switch {
	case r[i] == '（' || r[i] == '(':
		j := i + 1
		level := 0
		var n int
		if j < p.end && isASCIIDigit(r[j]) {
			k := j
			for k < p.end && isASCIIDigit(r[k]) {
				k++
			}
			n, _ = strconv.Atoi(string(r[j:k]))
			level, j = 4, k
		} else {
			k := j
			for k < p.end && k-j < 3 && isChineseNumeralRune(r[k]) {
				k++
			}
			v, ok := chineseNumber(r[j:k])
			if !ok {
				return heading{}, false
			}
			n, level, j = v, 2, k
		}
		if j >= p.end || (r[j] != '）' && r[j] != ')') {
			return heading{}, false
		}
		h := heading{level: level, n: n, start: i, end: j + 1, numStart: i + 1}
		want := "（" + string(r[i+1:j]) + "）"
		if r[i] != '（' || r[j] != '）' {
			rule := "N02"
			if level == 4 {
				rule = "N04"
			}
			add(i, j+1, rule, "序号应使用全角括号，如“"+want+"”", want)
		}
		if j+1 < p.end && (r[j+1] == '、' || r[j+1] == '.' || r[j+1] == '，' || r[j+1] == '．') {
			rule := "N02"
			if level == 4 {
				rule = "N04"
			}
			add(j+1, j+2, rule, "带括号的序号后不再加标点", "")
			h.end = j + 2
		}
		return h, true
	case isChineseNumeralRune(r[i]):
		k := i
		for k < p.end && k-i < 3 && isChineseNumeralRune(r[k]) {
			k++
		}
		n, ok := chineseNumber(r[i:k])
		if !ok || k >= p.end {
			return heading{}, false
		}
		switch r[k] {
		case '、':
			return heading{level: 1, n: n, start: i, end: k + 1, numStart: i}, true
		case '.', '．', '，', ',':
			// 一．总则 is a wrong form; 一，… in running text is not a heading.
			if r[k] == '，' || r[k] == ',' {
				if k+1 < p.end && !isHan(r[k+1]) {
					return heading{}, false
				}
				// Only a short line reads as a heading.
				if p.end-p.start > 30 {
					return heading{}, false
				}
			}
			add(k, k+1, "N01", "一级标题序号后应使用顿号“、”", "、")
			return heading{level: 1, n: n, start: i, end: k + 1, numStart: i}, true
		}
		return heading{}, false
	case isASCIIDigit(r[i]):
		k := i
		for k < p.end && isASCIIDigit(r[k]) {
			k++
		}
		if k-i > 2 || k >= p.end {
			return heading{}, false
		}
		n, _ := strconv.Atoi(string(r[i:k]))
		switch r[k] {
		case '.':
			if k+1 < p.end && (isASCIIDigit(r[k+1]) || r[k+1] == '%') {
				return heading{}, false // 1.5亿元
			}
			return heading{level: 3, n: n, start: i, end: k + 1, numStart: i}, true
		case '、', '．', '，':
			if k+1 < p.end && isASCIIDigit(r[k+1]) {
				return heading{}, false
			}
			add(k, k+1, "N03", "三级标题序号后应使用“.”", ".")
			return heading{level: 3, n: n, start: i, end: k + 1, numStart: i}, true
		case ')', '）':
			add(i, k+1, "N04", "四级标题序号应写作“（"+string(r[i:k])+"）”", "（"+string(r[i:k])+"）")
			return heading{level: 4, n: n, start: i, end: k + 1, numStart: i}, true
		}
	}
	return heading{}, false
}

func isChineseNumeralRune(r rune) bool {
	if r == '十' {
		return true
	}
	_, ok := chineseDigit(r)
	return ok && r != '〇' && r != '零' && r != '两'
}

// numberingOver checks the order of heading numbers across paragraphs (N05
// skipped level, N06 skipped, repeated or restarted numbers).
//
// A plain text may be an excerpt: there the first heading of a level whose
// parent is not in the text may start at any number (十九、…).
func (c *Checker) numberingOver(items []numItem, excerpt bool) {
	var last [5]int // last number seen at each level under the current parent
	deepest := 0    // deepest level seen so far, to tell a skipped level
	levelsUsed := [5]bool{}
	for _, it := range items {
		if !unicode.IsPrint(it.t.at(it.p.start)) && it.p.end == it.p.start {
			continue
		}
		h, ok := c.parseHeading(it.t, it.p, it.out)
		if !ok {
			continue
		}
		add := func(rule, msg, sugg string) {
			it.out.add(formatFinding(h.start, h.end, SeverityWarning, rule, msg, sugg))
		}
		// A deeper level may follow its parent, or skip one level when the
		// document uses only 一、 then 1. (a common two-level practice).
		if h.level > deepest+1 && deepest > 0 && !(deepest == 1 && h.level == 3 && !levelsUsed[2]) {
			add("N05", "标题层级跳级：“"+levelName(h.level)+"”不应直接出现在“"+levelName(deepest)+"”之下", "")
		}
		want := last[h.level] + 1
		parentSeen := false
		for l := 1; l < h.level; l++ {
			parentSeen = parentSeen || levelsUsed[l]
		}
		switch {
		case h.n == want:
		case excerpt && last[h.level] == 0 && !parentSeen:
		case h.n == last[h.level] && h.n > 0:
			add("N06", "序号重复："+strconv.Itoa(h.n), "")
		case h.n > want:
			add("N06", "序号不连续：此处应为"+formatNumber(h.level, want), formatNumber(h.level, want))
		default:
			add("N06", "序号顺序错误：此处应为"+formatNumber(h.level, want), formatNumber(h.level, want))
		}
		last[h.level] = h.n
		for l := h.level + 1; l <= 4; l++ {
			last[l] = 0
		}
		if h.level == 1 {
			levelsUsed = [5]bool{} // each part may choose its own depth
		}
		levelsUsed[h.level] = true
		deepest = h.level
	}
}

func levelName(l int) string {
	return [...]string{"", "一、", "（一）", "1.", "（1）"}[l]
}

func formatNumber(level, n int) string {
	switch level {
	case 1:
		return chineseNumeral(n) + "、"
	case 2:
		return "（" + chineseNumeral(n) + "）"
	case 3:
		return strconv.Itoa(n) + "."
	default:
		return "（" + strconv.Itoa(n) + "）"
	}
}
