package proofread

import (
	"context"
	"strings"
	"unicode/utf8"
)

// checkRunning runs every rule that applies to running text, paragraph by
// paragraph.
func (c *Checker) checkRunning(ctx context.Context, t *text, out *findings) error {
	for _, p := range t.paras {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p.end <= p.start {
			continue
		}
		c.checkTypos(t, p, out)
		c.checkPunctuation(t, p, out)
		c.checkPairs(t, p, out)
		c.checkRepetition(t, p, out)
		c.checkTerms(t, p, out)
		c.checkNumbers(t, p, out)
		c.checkCustom(t, p, out)
	}
	return nil
}

var halfToFull = map[rune]string{',': "，", ';': "；", ':': "：", '?': "？", '!': "！", '(': "（", ')': "）"}

// checkPunctuation: half-width punctuation in Chinese text (P01), doubled
// punctuation (P13), ellipsis and dash forms (P04), spaces between Han
// characters (P12), 顿号 between quoted or booked items (P05).
func (c *Checker) checkPunctuation(t *text, p span, out *findings) {
	add := func(s, e int, sev Severity, rule, msg, sugg string) {
		out.add(Finding{Start: s, End: e, Category: CategoryPunctuation, Severity: sev, Rule: rule, Message: msg, Suggestion: sugg})
	}
	for i := p.start; i < p.end; i++ {
		r := t.r[i]
		prev, next := rune(0), rune(0)
		if i > p.start {
			prev = t.r[i-1]
		}
		if i+1 < p.end {
			next = t.r[i+1]
		}
		switch {
		case r == '.' && next == '.':
			// "..." or ".." → ……
			j := i
			for j < p.end && t.r[j] == '.' {
				j++
			}
			if j-i >= 2 && (isChineseContext(prev) || isChineseContext(t.at(j)) || j-i == 3) {
				add(i, j, SeverityError, "P04", "省略号应为“……”", "……")
			}
			i = j - 1
		case r == '。' && next == '。' && i+2 < p.end && t.r[i+2] == '。':
			j := i
			for j < p.end && t.r[j] == '。' {
				j++
			}
			add(i, j, SeverityError, "P04", "省略号应为“……”", "……")
			i = j - 1
		case r == '…' && next != '…' && prev != '…':
			add(i, i+1, SeverityError, "P04", "省略号应为两个“…”（……）", "……")
		case r == '…' && next == '…' && i+2 < p.end && t.r[i+2] == '…':
			j := i
			for j < p.end && t.r[j] == '…' {
				j++
			}
			if j-i != 4 { // ………… (two ellipses) is allowed for a whole omitted paragraph
				add(i, j, SeverityError, "P04", "省略号应为“……”", "……")
			}
			i = j - 1
		case r == '-' && next == '-' && (isHan(prev) || isHan(t.at(i+2))):
			add(i, i+2, SeverityError, "P04", "破折号应为“——”", "——")
			i++
		case r == '—' && next != '—' && prev != '—' && isHan(prev) && isHan(next):
			add(i, i+1, SeverityWarning, "P04", "破折号应为两个“—”（——）", "——")
		case halfToFull[r] != "" && c.halfWidthInChinese(t, p, i):
			add(i, i+1, SeverityError, "P01", "中文文本中应使用全角标点“"+halfToFull[r]+"”", halfToFull[r])
		case r == '.' && isHan(prev) && (next == 0 || isHan(next) || next == ' '):
			add(i, i+1, SeverityError, "P01", "中文句末应使用句号“。”", "。")
		case r == '"' && (isChineseContext(prev) || isChineseContext(next)):
			add(i, i+1, SeverityError, "P01", "中文文本中应使用中文引号“”", "")
		case (r == ' ' || r == '\u3000') && isHan(prev):
			j := i
			for j < p.end && (t.r[j] == ' ' || t.r[j] == '\u3000') {
				j++
			}
			// A spaced label such as "附  件" at the start of a line is a
			// deliberate layout, not a stray space.
			// 第十七条 变更…: a space after an article number is the layout
			// of laws and rules.
			articleNo := i-p.start >= 3 && (prev == '条' || prev == '章' || prev == '节' || prev == '款') && strings.ContainsRune(string(t.r[max(p.start, i-8):i]), '第')
			if j < p.end && isHan(t.r[j]) && i-p.start > 1 && !articleNo {
				add(i, j, SeverityWarning, "P12", "汉字之间有多余空格", "")
			}
			i = j - 1
		case isDoubleable(r) && next == r:
			add(i, i+2, SeverityError, "P13", "标点符号重复", string(r))
			i++
		case isEndPunct(r) && isEndPunct(next) && !(r == '？' && next == '！') && !(r == '！' && next == '？'):
			add(i, i+2, SeverityError, "P13", "连用两个点号", string(r))
			i++
		case r == '、' && (prev == '》' && next == '《' || prev == '”' && next == '“'):
			add(i, i+1, SeverityWarning, "P05", "并列的书名号或引号之间不用顿号", "")
		}
	}
}

func isDoubleable(r rune) bool {
	switch r {
	case '，', '、', '；', '：', '。':
		return true
	}
	return false
}

func isEndPunct(r rune) bool {
	switch r {
	case '，', '、', '；', '：', '。':
		return true
	}
	return false
}

// halfWidthInChinese reports whether the ASCII punctuation at i sits in
// Chinese text, and is not part of a number, time, list marker, URL or a
// run of Latin text.
func (c *Checker) halfWidthInChinese(t *text, p span, i int) bool {
	r := t.r[i]
	prev, next := t.at(i-1), t.at(i+1)
	if i == p.start {
		prev = 0
	}
	if i+1 >= p.end {
		next = 0
	}
	switch r {
	case ':':
		if isASCIIDigit(prev) && isASCIIDigit(next) { // 9:30
			return false
		}
		if next == '/' { // URLs
			return false
		}
	case ',':
		if isASCIIDigit(prev) && isASCIIDigit(next) { // 10,000
			return false
		}
	case '(', ')':
		// (1) as a list marker is a numbering finding, not this one; a
		// bracket around Latin text is fine.
		inner := next
		if r == ')' {
			inner = prev
		}
		if isASCIILetter(inner) || isASCIIDigit(inner) {
			return false
		}
	}
	// Latin runs keep ASCII punctuation.
	if isASCIILetter(prev) || isASCIILetter(next) {
		return false
	}
	return isChineseContext(prev) || isChineseContext(next)
}

type pairKind struct {
	open, close rune
	name        string
}

var pairs = []pairKind{{'“', '”', "引号"}, {'‘', '’', "单引号"}, {'（', '）', "括号"}, {'《', '》', "书名号"}, {'〈', '〉', "书名号"}, {'【', '】', "方头括号"}, {'〔', '〕', "六角括号"}}

// checkPairs finds unmatched and mis-nested paired punctuation in a
// paragraph (P02, P03). A paragraph may open a quotation that a later
// paragraph closes, so an opening quote left open at the end of a paragraph
// is only flagged when the next paragraph does not start with one.
func (c *Checker) checkPairs(t *text, p span, out *findings) {
	type open struct {
		pos  int
		kind int
	}
	var stack []open
	kindOf := func(r rune) (int, bool, bool) {
		for k, pk := range pairs {
			if r == pk.open {
				return k, true, true
			}
			if r == pk.close {
				return k, false, true
			}
		}
		return 0, false, false
	}
	for i := p.start; i < p.end; i++ {
		k, isOpen, ok := kindOf(t.r[i])
		if !ok {
			continue
		}
		if isOpen {
			// “…“…” : a second double quote inside an open one is the
			// classic typo for a closing quote, or should be ‘’.
			if k == 0 && len(stack) > 0 && stack[len(stack)-1].kind == 0 {
				out.add(Finding{Start: i, End: i + 1, Category: CategoryPunctuation, Severity: SeverityError, Rule: "P03",
					Message: "引号错误：此处应为后引号“””，或双引号内的引语应使用单引号‘’", Suggestion: ""})
				// Read it as the closing quote it most likely is, so that
				// the one slip yields one finding.
				stack = stack[:len(stack)-1]
				continue
			}
			stack = append(stack, open{i, k})
			continue
		}
		// closing
		if len(stack) > 0 && stack[len(stack)-1].kind == k {
			stack = stack[:len(stack)-1]
			continue
		}
		found := -1
		for s := len(stack) - 1; s >= 0; s-- {
			if stack[s].kind == k {
				found = s
				break
			}
		}
		if found >= 0 {
			// The pairs opened after the match are left open: mis-nested.
			for _, o := range stack[found+1:] {
				out.add(Finding{Start: o.pos, End: o.pos + 1, Category: CategoryPunctuation, Severity: SeverityError, Rule: "P02",
					Message: pairs[o.kind].name + "不配对或嵌套错误"})
			}
			stack = stack[:found]
			continue
		}
		out.add(Finding{Start: i, End: i + 1, Category: CategoryPunctuation, Severity: SeverityError, Rule: "P02",
			Message: pairs[k].name + "缺少前半部分"})
	}
	for _, o := range stack {
		if o.kind == 0 || o.kind == 1 {
			// Continued quotation: the next paragraph starts with a quote.
			nextStart := p.end + 1
			if nextStart < len(t.r) && (t.r[nextStart] == pairs[o.kind].open) {
				continue
			}
		}
		out.add(Finding{Start: o.pos, End: o.pos + 1, Category: CategoryPunctuation, Severity: SeverityError, Rule: "P02",
			Message: pairs[o.kind].name + "缺少后半部分"})
	}
}

// checkTerms flags terms that current norms write otherwise (W01, W04,
// W05) and 异形词 variants (W03).
func (c *Checker) checkTerms(t *text, p span, out *findings) {
	para := string(t.r[p.start:p.end])
	for _, tp := range terms {
		c.eachIndex(para, tp.wrong, p.start, func(s, e int) {
			// 环境保护部门 is "environmental protection departments".
			if tp.rule == "W05" && t.at(e) == '门' && e < p.end {
				return
			}
			msg := tp.why
			if tp.right != "" {
				msg = "规范用语：" + tp.why
			}
			out.add(Finding{Start: s, End: e, Category: CategoryTerm, Severity: tp.sev, Rule: tp.rule, Message: msg, Suggestion: tp.right})
		})
	}
	for i := p.start; i < p.end-1; i++ {
		if r := t.r[i]; r >= 0x10000 || !c.lm.starts[r] {
			continue
		}
		for n := 3; n >= 2; n-- {
			if i+n > p.end {
				continue
			}
			w := string(t.r[i : i+n])
			if right, ok := c.lm.variants[w]; ok && !variantExempt[w] {
				out.add(Finding{Start: i, End: i + n, Category: CategoryTerm, Severity: SeverityHint, Rule: "W03",
					Message: "异形词：推荐使用“" + right + "”", Suggestion: right})
				break
			}
		}
	}
}

// variantExempt are pairs of the 异形词 list that are both valid words in
// 公文 with different meanings.
var variantExempt = map[string]bool{"标识": true}

// eachIndex calls fn with the rune range of every occurrence of sub in para,
// para starting at rune offset base.
func (c *Checker) eachIndex(para, sub string, base int, fn func(s, e int)) {
	from, runes := 0, 0
	n := utf8.RuneCountInString(sub)
	for {
		k := strings.Index(para[from:], sub)
		if k < 0 {
			return
		}
		runes += utf8.RuneCountInString(para[from : from+k])
		fn(base+runes, base+runes+n)
		runes += n
		from += k + len(sub)
	}
}
