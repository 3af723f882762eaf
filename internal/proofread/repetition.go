package proofread

import (
	"math"
	"slices"
)

// reduplication lists doubled characters and words that are legitimate
// (spec §4.2 seed list, plus common measure-word and adverb forms).
var reduplication = map[string]bool{}

func init() {
	for _, w := range []string{
		"常常", "天天", "人人", "处处", "事事", "时时", "层层", "步步", "个个", "样样", "件件", "种种", "年年", "月月",
		"家家", "户户", "刚刚", "仅仅", "渐渐", "往往", "默默", "纷纷", "明明", "偏偏", "谢谢", "看看", "想想", "试试",
		"星星", "姐姐", "哥哥", "弟弟", "妹妹", "爸爸", "妈妈", "奶奶", "爷爷", "宝宝", "猩猩", "蝈蝈", "蛐蛐", "匆匆",
		"冉冉", "皑皑", "熊熊", "滔滔", "条条", "点点", "滴滴", "片片", "声声", "句句", "字字", "代代", "辈辈", "日日",
		"夜夜", "多多", "好好", "慢慢", "快快", "早早", "久久", "深深", "紧紧", "牢牢", "稳稳", "轻轻", "静静", "暗暗",
		"悄悄", "微微", "稍稍", "略略", "统统", "通通", "一一", "再再", "重重", "累累", "茫茫", "浩浩", "荡荡", "堂堂",
		"区区", "频频", "屡屡", "节节", "头头", "道道", "面面", "环环", "井井", "楚楚", "津津", "欣欣", "勃勃", "济济",
		"孜孜", "切切", "款款", "缓缓", "徐徐", "苍苍", "姗姗", "洋洋", "芸芸", "莘莘", "赫赫", "历历", "栩栩", "彬彬",
		"耿耿", "惶惶", "喋喋", "侃侃", "咄咄", "源源", "滚滚", "绵绵", "沉沉", "平平", "淡淡", "大大", "小小", "高高",
		"低低", "远远", "近近", "满满", "足足", "整整", "白白", "空空", "团团", "嘻嘻", "哈哈", "呵呵", "乎乎", "巴巴",
		"研究研究", "讨论讨论", "学习学习", "商量商量", "考虑考虑", "了解了解", "休息休息", "打听打听",
		"清清楚楚", "明明白白", "认认真真", "实实在在", "扎扎实实", "踏踏实实", "干干净净", "方方面面", "家家户户",
		"兢兢业业", "勤勤恳恳", "轰轰烈烈", "大大小小", "上上下下", "前前后后", "里里外外", "老老少少", "男男女女",
		"反反复复", "仔仔细细", "平平安安", "高高兴兴", "和和美美", "原原本本", "彻彻底底", "密密麻麻", "口口声声",
		"一个个", "一件件", "一项项", "一步步", "一条条", "一次次", "一批批", "一天天", "一年年",
		"太太", "舅舅", "叔叔", "伯伯", "婆婆", "公公", "娃娃", "狒狒", "蝈蝈", "饽饽", "往往", "恰恰", "侃侃", "谆谆",
		"草草", "区区", "人人", "天天", "比比", "茫茫", "悠悠", "熙熙", "攘攘", "翩翩", "依依", "隐隐", "晶晶",
	} {
		reduplication[w] = true
	}
}

// checkRepetition flags doubled characters (P08) and doubled words of two
// to four characters (P09) that are not legitimate reduplication.
func (c *Checker) checkRepetition(t *text, p span, out *findings) {
	for i := p.start; i < p.end; i++ {
		if !isHan(t.r[i]) {
			continue
		}
		// Words first, so that 进一步进一步 is one finding.
		matched := false
		for n := 4; n >= 2; n-- {
			if i+2*n > p.end {
				continue
			}
			a, b := t.r[i:i+n], t.r[i+n:i+2*n]
			if !slices.Equal(a, b) || !allHan(a) {
				continue
			}
			w := string(t.r[i : i+2*n])
			if reduplication[w] || c.isAABB(t, i, p.end) || c.lm.freqWord(w) > 0 || c.lm.idioms[w] {
				continue
			}
			// Only a real word doubled is a slip; 哈哈哈哈 and names are not;
			// and the text must read better without the copy (PPP项目项目经理
			// is 项目 + 项目经理).
			if c.lm.freqRunes(a) <= 0 || !c.dropRangeImproves(t, i+n, i+2*n, p) {
				continue
			}
			out.add(Finding{Start: i + n, End: i + 2*n, Category: CategoryRepetition, Severity: SeverityWarning, Rule: "P09",
				Message: "词语重复：“" + string(a) + "”", Suggestion: ""})
			i += 2*n - 1
			matched = true
			break
		}
		if matched || i+1 >= p.end || t.r[i] != t.r[i+1] {
			continue
		}
		pair := string(t.r[i : i+2])
		if c.isAABB(t, i, p.end) || c.isAABB(t, i-2, p.end) {
			continue
		}
		if reduplication[pair] {
			// 人人, 年年, 环环 are words, but 人人民, 每年年, 环环境 are
			// slips: the trigram model, which knows 人人参与 and 年年有余
			// as phrases, judges them.
			if c.lmDropGain(t, i+1, p) < lmRepMargin {
				continue
			}
			out.add(Finding{Start: i + 1, End: i + 2, Category: CategoryRepetition, Severity: SeverityWarning, Rule: "P08",
				Message: "字重复：“" + string(t.r[i]) + "”", Suggestion: ""})
			i++
			continue
		}
		// 一一, 人人 are in the list; a doubled character that forms a
		// dictionary word (猩猩, 往往), or that begins or ends a dictionary
		// word with its neighbour (研究究竟 is 研究+究竟), is fine.
		if !c.dropImproves(t, i+1, p) {
			continue
		}
		// 关税税则 is 关税 + 税则; 管理科科长 and 姜曹村村民 end a unit's or
		// place's name with the character the next word starts with.
		if c.partOfWord(t, i, p) || unitSuffix[t.r[i]] && c.lm.freqRunes(t.r[i+1:min(p.end, i+3)]) > 0 {
			continue
		}
		if t.r[i] == t.at(i+2) { // 哈哈哈: an interjection
			continue
		}
		out.add(Finding{Start: i + 1, End: i + 2, Category: CategoryRepetition, Severity: SeverityWarning, Rule: "P08",
			Message: "字重复：“" + string(t.r[i]) + "”", Suggestion: ""})
		i++
	}
}

// isAABB reports an AABB form starting at i (清清楚楚), which is
// reduplication of a word AB.
func (c *Checker) isAABB(t *text, i, end int) bool {
	if i < 0 || i+4 > end {
		return false
	}
	r := t.r[i : i+4]
	if r[0] != r[1] || r[2] != r[3] || r[0] == r[2] {
		return false
	}
	return c.lm.freqRunes([]rune{r[0], r[2]}) > 0
}

// unitSuffix are last characters of the names of places and units.
var unitSuffix = map[rune]bool{'村': true, '镇': true, '乡': true, '县': true, '区': true, '市': true, '省': true, '州': true,
	'科': true, '处': true, '局': true, '部': true, '队': true, '组': true, '室': true, '股': true, '办': true, '委': true,
	'会': true, '院': true, '所': true, '站': true, '厅': true, '司': true, '团': true, '班': true, '厂': true, '店': true,
	'馆': true, '社': true, '校': true, '庭': true, '湖': true, '河': true, '路': true, '街': true}

// repMargin is how much (natural log) the best reading must improve when
// one of two equal characters is dropped for the pair to count as a slip.
const repMargin = 5.0

// dropImproves reports whether the text reads clearly better without the
// character at k: 到到会场 does, 猩猩 and 研究究竟 (研究 + 究竟) do not.
func (c *Checker) dropImproves(t *text, k int, p span) bool { return c.dropRangeImproves(t, k, k+1, p) }

// dropRangeImproves is dropImproves for the runes [k, e).
func (c *Checker) dropRangeImproves(t *text, k, e int, p span) bool {
	a, b := k, e
	for a > p.start && k-a < 8 && isHan(t.r[a-1]) {
		a--
	}
	for b < p.end && b-e < 8 && isHan(t.r[b]) {
		b++
	}
	with := c.lm.bestScore(t.r[a:b])
	without := c.lm.bestScore(slices.Concat(t.r[a:k], t.r[e:b]))
	return without-with >= repMargin
}

// lmRepMargin is how much (natural log) the trigram model's reading must
// improve when one character of a reduplication (人人) is dropped for it
// to count as a slip. Tuned on the odw dev split's injected doublings and
// its clean sentences.
const lmRepMargin = 8.0

// lmDropGain is how much better (natural log) the trigram model reads the
// Han run around k without the character at k; 0 without the model.
func (c *Checker) lmDropGain(t *text, k int, p span) float64 {
	g := c.lm.ngram
	if g == nil {
		return 0
	}
	a, b := k, k+1
	for a > p.start && k-a < 6 && isHan(t.r[a-1]) {
		a--
	}
	for b < p.end && b-k < 6 && isHan(t.r[b]) {
		b++
	}
	buf := g.buffers.Get().(*lmBuffers)
	defer g.buffers.Put(buf)
	g.search(t.r[a:b], &buf.orig, buf)
	with := buf.orig.best(b - a)
	g.search(slices.Concat(t.r[a:k], t.r[k+1:b]), &buf.tmp, buf)
	without := buf.tmp.best(b - a - 1)
	if with == float32Inf || without == float32Inf {
		return 0
	}
	return float64(without-with) * ln10
}

// bestScore is the log probability of the best segmentation of rs.
func (m *model) bestScore(rs []rune) float64 {
	n := len(rs)
	best := make([]float64, n+1)
	for i := 1; i <= n; i++ {
		best[i] = math.Inf(-1)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j <= min(n, i+maxWordRunes); j++ {
			w := string(rs[i:j])
			f, ok := m.freqOf(w)
			if !ok && j > i+1 {
				break
			}
			if lp, ok := m.logProb(w, j-i); ok && (f > 0 || j == i+1) {
				best[j] = max(best[j], best[i]+lp)
			}
		}
	}
	return best[n]
}

// partOfWord reports whether the doubled characters at i, i+1 split into
// two dictionary words with their neighbours: X+AA+Y read as XA + AY.
func (c *Checker) partOfWord(t *text, i int, p span) bool {
	left := false
	for n := 2; n <= 4 && i+1-n >= p.start; n++ {
		if c.lm.freqRunes(t.r[i+1-n:i+1]) > 0 {
			left = true
			break
		}
	}
	right := false
	for n := 2; n <= 4 && i+1+n <= p.end; n++ {
		if c.lm.freqRunes(t.r[i+1:i+1+n]) > 0 {
			right = true
			break
		}
	}
	return left && right
}
