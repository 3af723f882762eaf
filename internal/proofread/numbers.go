package proofread

import (
	"regexp"
	"strings"
)

var (
	// 2021-2025年, 5-10人, 5~10人: a numeric range written with ASCII.
	reASCIIRange = regexp.MustCompile(`(\d+(?:\.\d+)?%?)([-~])(\d+(?:\.\d+)?%?)(年|月|日|个|人|家|次|项|万|亿|元|岁|天|名|户|%|\p{Han})`)
	// 20～30%: a percentage range must repeat the % (GB/T 15835).
	rePercentRange = regexp.MustCompile(`(\d+(?:\.\d+)?)[～~\-—](\d+(?:\.\d+)?)%`)
	// 百分之5: Chinese "per cent" with Arabic digits.
	reMixedPercent = regexp.MustCompile(`百分之[0-9０-９]+`)
	// 约50人左右: 约 and 左右 both mark an approximation.
	reApproxTwice = regexp.MustCompile(`(约|大约|大概)[0-9一二三四五六七八九十百千万两]+[\p{Han}]{0,2}左右`)
	// 二O二四年: a Chinese-numeral year with a letter or digit zero.
	reBadZeroYear = regexp.MustCompile(`[一二三四五六七八九〇零OoΟ0○]{4}年`)
	// 三、四个: an approximate number with a 顿号.
	reApproxComma = regexp.MustCompile(`([一二三四五六七八九])、([一二三四五六七八九])(个|人|次|天|年|名|家|条|项|种|位|月|日|倍|成|十|百|千|万)`)
)

// checkNumbers: number usage per GB/T 15835 and the spec (U01–U06).
func (c *Checker) checkNumbers(t *text, p span, out *findings) {
	add := func(s, e int, sev Severity, rule, msg, sugg string) {
		if s >= p.start && e <= p.end {
			out.add(Finding{Start: s, End: e, Category: CategoryNumber, Severity: sev, Rule: rule, Message: msg, Suggestion: sugg})
		}
	}
	// Full-width digits (U01).
	for i := p.start; i < p.end; i++ {
		if t.r[i] >= '０' && t.r[i] <= '９' {
			j := i
			var b strings.Builder
			for j < p.end && t.r[j] >= '０' && t.r[j] <= '９' {
				b.WriteRune(t.r[j] - '０' + '0')
				j++
			}
			add(i, j, SeverityWarning, "U01", "数字应使用半角阿拉伯数字", b.String())
			i = j - 1
		}
	}
	// Each pattern needs a character that most sentences lack: test for
	// it before running the regexp.
	para := string(t.r[p.start:p.end])
	hasDigit := strings.ContainsAny(para, "0123456789")
	matches := func(re *regexp.Regexp, need string) [][]int {
		if need == "0" && !hasDigit || need != "0" && !strings.Contains(para, need) {
			return nil
		}
		return t.matchesIn(re, p)
	}
	for _, m := range matches(reASCIIRange, "0") {
		// A date such as 2024-1-5 or a phone number (0571-8888) is no range.
		n1, n2 := string(t.r[m[2]:m[3]]), string(t.r[m[6]:m[7]])
		if t.at(m[0]-1) == '-' || t.at(m[0]-1) == '.' || len(n1) > 5 || len(n2) > 5 ||
			len(n1) > 1 && n1[0] == '0' || len(n2) > 1 && n2[0] == '0' {
			continue
		}
		sep := t.r[m[4]]
		unit := string(t.r[m[8]:m[9]])
		sugg, msg := "～", "数值范围应使用浪纹线“～”"
		if unit == "年" || unit == "月" || unit == "日" {
			sugg, msg = "—", "时间范围应使用一字线“—”"
		}
		if sep == '-' || sep == '~' {
			add(m[4], m[5], SeverityWarning, "U02", msg, sugg)
		}
	}
	for _, m := range matches(rePercentRange, "%") {
		if t.r[m[3]-1] != '%' && t.r[m[2]] != '%' {
			// 20～30% → 20%～30%
			add(m[0], m[1], SeverityWarning, "U03", "百分数范围的前一个数也应带“%”",
				string(t.r[m[2]:m[3]])+"%～"+string(t.r[m[4]:m[5]])+"%")
		}
	}
	for _, m := range matches(reMixedPercent, "百分之") {
		add(m[0], m[1], SeverityWarning, "U04", "百分数应写作阿拉伯数字加“%”", string(t.r[m[0]+3:m[1]])+"%")
	}
	for _, m := range matches(reApproxTwice, "左右") {
		add(m[0], m[1], SeverityWarning, "U05", "“约”与“左右”语义重复，保留其一", "")
	}
	for _, m := range matches(reBadZeroYear, "年") {
		seg := t.r[m[0] : m[1]-1]
		bad := false
		hasHan := false
		for _, r := range seg {
			switch r {
			case 'O', 'o', 'Ο', '0', '○':
				bad = true
			case '零':
				bad = true
			default:
				hasHan = true
			}
		}
		if bad && hasHan {
			fixed := strings.NewReplacer("O", "〇", "o", "〇", "Ο", "〇", "0", "〇", "○", "〇", "零", "〇").Replace(string(t.r[m[0]:m[1]]))
			add(m[0], m[1], SeverityError, "U06", "汉字数字年份中的“零”应写作“〇”", fixed)
		}
	}
	for _, m := range matches(reApproxComma, "、") {
		a, b := t.r[m[2]], t.r[m[4]]
		da, _ := chineseDigit(a)
		db, _ := chineseDigit(b)
		if db == da+1 { // 三、四个 is an approximation; 三、五个 may be a list
			out.add(Finding{Start: m[3], End: m[4], Category: CategoryPunctuation, Severity: SeverityWarning, Rule: "P06",
				Message: "相邻数字表示概数，中间不用顿号"})
		}
	}
}

// matchesIn returns the matches of re that lie within paragraph p, in rune
// offsets. The regexp runs on the paragraph alone so that a match never
// spans a line break.
func (t *text) matchesIn(re *regexp.Regexp, p span) [][]int {
	para := string(t.r[p.start:p.end])
	idx := re.FindAllStringSubmatchIndex(para, -1)
	if len(idx) == 0 {
		return nil
	}
	// Map byte offsets of the paragraph to rune offsets of the text.
	b2r := make([]int, len(para)+1)
	ri := 0
	for bi := range para {
		b2r[bi] = ri
		ri++
	}
	b2r[len(para)] = ri
	for bi := len(para) - 1; bi > 0; bi-- {
		if b2r[bi] == 0 && !isRuneBoundary(para, bi) {
			b2r[bi] = b2r[bi+1]
		}
	}
	for _, m := range idx {
		for k := range m {
			if m[k] >= 0 {
				m[k] = p.start + b2r[m[k]]
			}
		}
	}
	return idx
}
