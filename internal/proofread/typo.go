package proofread

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Costs (natural log) a correction pays for each kind of confusion, before
// it must beat the threshold: a same-sound substitution is what a pinyin IME
// produces most, so it is cheapest. Tuned on the dev split (see
// evaluate/), never on single sentences.
var confusionCost = [...]float64{
	confSameSound:          0,
	confSameSoundOtherTone: 1.5,
	confListed:             1.0,
	confNearSound:          2.0,
	confShape:              2.0,
}

const (
	// defaultTypoThreshold is the log-probability margin a corrected reading
	// must win by. High on purpose: a clerk must be able to trust a typo.
	defaultTypoThreshold = 7.0
	// minCandidateFreq keeps rare dictionary entries (names, jargon) from
	// being proposed as corrections.
	minCandidateFreq = 20
	// stealFreq: a correction may not break a word of the original reading
	// this common.
	stealFreq = 300
	// rareWordFreq: a word of the best reading rarer than this (the
	// dictionary has many filler entries of frequency 3) does not protect
	// its characters.
	rareWordFreq = 10
	// charRatio: see the frequent-character test in scoreRun.
	charRatio = 0.1
	// wideCost is the confusion cost of a candidate of the wide look
	// (selectTypos) whose characters are not known to be confusable.
	wideCost = 3.0
	// contextReach is how far (in characters) a change reaches into the
	// scoring of a candidate: the character model's order less one.
	contextReach = 4
)

// checkTypos runs the typo rules on one paragraph.
func (c *Checker) checkTypos(t *text, p span, out *findings) {
	if !c.on(CategoryTypo, "") {
		return
	}
	c.checkKnownMisspellings(t, p, out)
	c.checkContextPairs(t, p, out)
	c.checkDeDiDe(t, p, out)
	if c.on(CategoryTypo, "T03") {
		// Score each run of Han characters on its own: punctuation, digits
		// and Latin break the language model's context. The decision is
		// taken for the paragraph as a whole (see selectTypos).
		var props []proposal
		for i := p.start; i < p.end; {
			if !isHan(t.r[i]) {
				i++
				continue
			}
			j := i
			for j < p.end && isHan(t.r[j]) {
				j++
			}
			if j-i >= 2 {
				props = c.scoreRun(t, i, j, props)
			}
			i = j
		}
		c.selectTypos(t, props, out)
	}
}

// checkKnownMisspellings flags forms that are wrong in any context (T01).
func (c *Checker) checkKnownMisspellings(t *text, p span, out *findings) {
	m := c.lm
	for i := p.start; i < p.end; i++ {
		if r := t.r[i]; r >= 0x10000 || !m.starts[r] {
			continue
		}
		for n := min(6, p.end-i); n >= 2; n-- {
			w := string(t.r[i : i+n])
			if right, ok := m.misspelt[w]; ok {
				out.add(Finding{Start: i, End: i + n, Category: CategoryTypo, Severity: SeverityError, Rule: "T01",
					Message: "错别字：“" + w + "”应为“" + right + "”", Suggestion: right})
				break
			}
		}
	}
}

// checkContextPairs flags word choices whose context makes them wrong (T05).
func (c *Checker) checkContextPairs(t *text, p span, out *findings) {
	para := string(t.r[p.start:p.end])
	for _, cp := range contextPairs {
		from := 0
		for {
			k := strings.Index(para[from:], cp.wrong)
			if k < 0 {
				break
			}
			bi := from + k
			from = bi + len(cp.wrong)
			after, before := para[from:], para[:bi]
			hit := len(cp.after) == 0 && len(cp.before) == 0
			for _, a := range cp.after {
				if strings.HasPrefix(after, a) {
					hit = true
				}
			}
			for _, b := range cp.before {
				if strings.HasSuffix(before, b) {
					hit = true
				}
			}
			for _, b := range cp.notBefore {
				if strings.HasSuffix(before, b) {
					hit = false
				}
			}
			if !hit {
				continue
			}
			start := p.start + len([]rune(before))
			out.add(Finding{Start: start, End: start + len([]rune(cp.wrong)), Category: CategoryTypo, Severity: SeverityWarning,
				Rule: "T05", Message: "用词：" + cp.why + "，此处宜用“" + cp.right + "”", Suggestion: cp.right})
		}
	}
}

// adverbials commonly written before a verb in 公文; followed by 的 and a
// verb they take 地.
var adverbials = map[string]bool{
	"认真": true, "切实": true, "积极": true, "主动": true, "扎实": true, "全面": true, "深入": true, "有效": true,
	"稳步": true, "大力": true, "不断": true, "逐步": true, "坚定": true, "自觉": true, "充分": true, "广泛": true,
	"严格": true, "及时": true, "稳妥": true, "有序": true, "扎扎实实": true, "认认真真": true, "实实在在": true,
	"坚决": true, "牢牢": true, "统筹": true, "持续": true, "科学": true, "依法": true, "妥善": true, "尽快": true,
}

// degree words that follow 得 after a verb or adjective (做得很好).
var degreeWords = []string{"很", "非常", "十分", "更加", "比较", "不够", "不错", "更好", "太"}

// checkDeDiDe flags 的/地/得 where the grammar is clear (T04): an adverbial
// before 的 and a verb after it, or a verb before 的 and a degree word after.
func (c *Checker) checkDeDiDe(t *text, p span, out *findings) {
	m := c.lm
	for i := p.start + 1; i < p.end-1; i++ {
		if t.r[i] != '的' {
			continue
		}
		// adverbial + 的 + verb → 地
		for n := 4; n >= 2; n-- {
			if i-n < p.start {
				continue
			}
			if adverbials[string(t.r[i-n:i])] && c.verbAt(t, i+1, p.end) {
				out.add(Finding{Start: i, End: i + 1, Category: CategoryTypo, Severity: SeverityWarning, Rule: "T04",
					Message: "“的、地、得”误用：状语修饰动词用“地”", Suggestion: "地"})
				break
			}
		}
		// verb + 的 + degree word → 得
		prev := string(t.r[i-1 : i])
		if tag := m.pos[prev]; tag == "v" {
			rest := string(t.r[i+1 : min(p.end, i+3)])
			for _, d := range degreeWords {
				if strings.HasPrefix(rest, d) {
					out.add(Finding{Start: i, End: i + 1, Category: CategoryTypo, Severity: SeverityWarning, Rule: "T04",
						Message: "“的、地、得”误用：动词后接程度补语用“得”", Suggestion: "得"})
					break
				}
			}
		}
	}
}

// verbAt reports whether a verb (tagged v, not a verbal noun) starts at i.
func (c *Checker) verbAt(t *text, i, end int) bool {
	for n := 2; n >= 1; n-- {
		if i+n > end {
			continue
		}
		w := string(t.r[i : i+n])
		if tag, ok := c.lm.pos[w]; ok {
			return tag == "v"
		}
	}
	return false
}

// functionChar are grammatical characters and organ-name suffixes; see
// scoreRun.
var functionChar = map[rune]bool{'并': true, '为': true, '与': true, '之': true, '以': true, '及': true, '其': true,
	'而': true, '或': true, '也': true, '须': true, '无': true, '即': true, '则': true, '但': true, '且': true, '又': true,
	'就': true, '都': true, '将': true, '对': true, '向': true, '从': true, '由': true, '于': true, '被': true, '把': true,
	'局': true, '部': true, '委': true, '办': true, '院': true, '厅': true, '处': true, '署': true, '司': true, '所': true}

// placeSuffix are the last characters of place names.
var placeSuffix = map[rune]bool{'镇': true, '村': true, '乡': true, '县': true, '湖': true, '河': true, '路': true, '街': true,
	'旗': true, '屯': true, '寨': true, '庄': true, '岛': true, '巷': true, '湾': true, '港': true, '桥': true, '峪': true,
	'沟': true, '坪': true, '塘': true, '堡': true, '嘎': true}

// steals reports whether the window [a,b) around k takes a character from
// a common word of the original reading that the window does not contain
// whole: 能源局 → 能源于 would break 能源 to make 源于.
func steals(a, b, k int, inWord []bool, wordFreq []int32, wordSpan []span) bool {
	for j := a; j < b; j++ {
		if j == k || !inWord[j] || wordFreq[j] < stealFreq {
			continue
		}
		if sp := wordSpan[j]; sp.start < a || sp.end > b {
			return true
		}
	}
	return false
}

// proposal is one candidate correction of the language model.
type proposal struct {
	pos   int     // the first changed position
	to    rune    // the replacement there
	cost  float64 // the confusion cost of the changed characters
	gain  float64 // what decides: the unigram margin, or the trigram model's verdict
	ugain float64 // the unigram margin (natural log, after the confusion cost)
	lgain float64 // the trigram model's margin (natural log), when it is loaded
	// cgain is the character model's margin (natural log) and csurprise
	// the text's own characters' mean surprise there, when it is loaded.
	cgain, csurprise float64
	word             string // the word over [start, end) the correction makes
	start            int
	end              int
	hom              bool // a whole-word homophone, not a one-character slip
	// runStart, runEnd bound the Han run the proposal was found in.
	runStart, runEnd int
	// What the ranker weighs besides the margins (see ranker.go): the
	// kind of confusion of the first changed character, the frequency of
	// the word the unigram reading has at pos (0: none), and the bigram
	// evidence for the correction.
	kind  int
	origF int32
	ev    int
	ownEv bool
	// wide marks a candidate of the second, wider look at a sentence
	// that already has a correction (see widen).
	wide bool
	// odd marks a candidate of the wide look whose characters are not
	// known to be confusable.
	odd bool
	// again marks a candidate of the wide look of a kind the first look
	// gathers too.
	again bool
	// wid and origWid are the trigram model's IDs of the word and of the
	// text it replaces (0: unknown).
	wid, origWid wordID
	// rivalGap is the trigram margin over the best other candidate for
	// the same position (30 when there is none); rivals counts them.
	rivalGap float64
	rivals   int
}

// addCandidate keeps the best perPos candidates of a position, one per
// replacement character.
func addCandidate(cands []proposal, p proposal, perPos int) []proposal {
	for i := range cands {
		if cands[i].to == p.to {
			if p.gain > cands[i].gain {
				cands[i] = p
			}
			return cands
		}
	}
	if len(cands) < perPos {
		return append(cands, p)
	}
	worst := 0
	for i := range cands {
		if cands[i].gain < cands[worst].gain {
			worst = i
		}
	}
	if p.gain > cands[worst].gain {
		cands[worst] = p
	}
	return cands
}

// scoreRun looks for single-character corrections in the Han run r[a:b]
// (T03). Every segmentation of the run has exactly one word covering a
// position k, so with alpha (best score of the prefix) and beta (of the
// suffix) the best reading with k replaced is a lookup per window around k,
// and the best reading without change is alpha[b].
func (c *Checker) scoreRun(t *text, a, b int, all []proposal) []proposal {
	m := c.lm
	rs := t.r[a:b]
	u := c.reading(rs)
	props := c.charProposals(rs, u, false, nil, nil)
	if m.ngram != nil {
		props = c.homophoneProposals(rs, u.alpha, u.beta, u.wordFreqAt, u.inWord, u.wordFreq, u.wordSpan, props)
	}
	if m.ngram != nil && len(props) > 0 {
		props = c.rescore(rs, props)
	}
	from := len(all)
	for _, p := range props {
		p.pos += a
		p.start += a
		p.end += a
		p.runStart, p.runEnd = a, b
		all = append(all, p)
	}
	if c.trace != nil {
		c.trace(all[from:])
	}
	return all
}

// reading computes the unigram model's best reading of the Han run rs.
func (c *Checker) reading(rs []rune) *unigramReading {
	m := c.lm
	n := len(rs)
	s := string(rs)
	// One allocation for the per-position integers: byte offsets of runes
	// in s, the end of the best word from each position, the start of each
	// position's edges, and the frequency of the best word.
	ints := make([]int32, 4*(n+1))
	off, next, estart, bestF := ints[:n+1], ints[n+1:2*(n+1)], ints[2*(n+1):3*(n+1)], ints[3*(n+1):]
	for i, bi := 0, 0; i < n; i++ {
		off[i] = int32(bi)
		bi += utf8.RuneLen(rs[i])
	}
	off[n] = int32(len(s))

	// Words starting at each position (edges[estart[i]:estart[i+1]]), and
	// the forward/backward best scores.
	type edge struct {
		end int32
		f   int32
		lp  float64
	}
	edges := make([]edge, 0, 2*n)
	for i := 0; i < n; i++ {
		estart[i] = int32(len(edges))
		var key uint64
		for j := i + 1; j <= min(n, i+maxWordRunes); j++ {
			var f int32
			var ok bool
			if r := rs[j-1]; j-i <= 4 && key != packFail && r > 0 && r <= 0xFFFF {
				// Words of up to four runes are looked up packed: the
				// hot loop of the scorer.
				key = key<<16 | uint64(r)
				if j == i+1 {
					f = m.cfreq[r] // the same as freq4 has, from 256 KB (ok is not asked)
				} else if m.freq4F.mayHave(key) {
					f, _, ok = m.freq4.get(key)
				}
			} else {
				key = packFail
				f, ok = m.long[s[off[i]:off[j]]] // what freq4 cannot hold (see setFreq)
			}
			if !ok && j > i+1 {
				break
			}
			// The word's log probability, as model.logProb gives it,
			// without looking the word up again.
			switch {
			case f > 0:
				edges = append(edges, edge{int32(j), f, math.Log(float64(f)) - m.logN})
			case j == i+1:
				edges = append(edges, edge{int32(j), f, -m.logN - 2})
			}
		}
	}
	estart[n] = int32(len(edges))
	scores := make([]float64, 2*(n+1))
	alpha, beta := scores[:n+1], scores[n+1:]
	for i := 1; i <= n; i++ {
		alpha[i] = math.Inf(-1)
	}
	for i := 0; i < n; i++ {
		for _, e := range edges[estart[i]:estart[i+1]] {
			if v := alpha[i] + e.lp; v > alpha[e.end] {
				alpha[e.end] = v
			}
		}
	}
	inWord := make([]bool, n) // position is inside a word of 2+ runes on the best path
	wordFreq := make([]int32, n)
	wordSpan := make([]span, n)
	for i := n - 1; i >= 0; i-- {
		beta[i] = math.Inf(-1)
		for _, e := range edges[estart[i]:estart[i+1]] {
			if v := e.lp + beta[e.end]; v > beta[i] {
				beta[i], next[i], bestF[i] = v, e.end, e.f
			}
		}
	}
	for i := 0; i < n; {
		j := int(next[i])
		if j-i >= 2 {
			f := bestF[i]
			for k := i; k < j; k++ {
				inWord[k] = true
				wordFreq[k] = f
				wordSpan[k] = span{i, j}
			}
		}
		i = j
	}
	wordFreqAt := func(st, end int) int32 {
		for _, e := range edges[estart[st]:estart[st+1]] {
			if int(e.end) == end && e.f > 0 {
				return e.f
			}
		}
		return 0
	}
	return &unigramReading{alpha: alpha, beta: beta, inWord: inWord, wordFreq: wordFreq, wordSpan: wordSpan, wordFreqAt: wordFreqAt}
}

// unigramReading is the best reading of a Han run by the unigram model:
// alpha (best score of each prefix), beta (of each suffix), which
// positions lie inside a word of two or more runes, that word's frequency
// and span, and the frequency of any dictionary word over [st, end).
type unigramReading struct {
	alpha, beta []float64
	inWord      []bool
	wordFreq    []int32
	wordSpan    []span
	wordFreqAt  func(st, end int) int32
}

// charProposals gathers the one-character candidates of the run rs. wide
// is the second look at a sentence that already has a correction (see
// selectTypos): there a slip is likely, so characters inside a word of the
// reading are questioned too, and any character that makes a dictionary
// word is a candidate, confusable or not (玉有资产 → 国有, 去院 → 法院).
// skip, when set, names positions whose candidates would all be dropped
// (widen's unsuspected characters): they are not gathered at all.
func (c *Checker) charProposals(rs []rune, u *unigramReading, wide bool, skip func(k int) bool, props []proposal) []proposal {
	m := c.lm
	n := len(rs)
	alpha, beta, inWord, wordFreq, wordSpan := u.alpha, u.beta, u.inWord, u.wordFreq, u.wordSpan
	best := beta[0]
	threshold := c.cfg.TypoThreshold
	if threshold == 0 {
		threshold = defaultTypoThreshold
	}
	// With the trigram model, the unigram margin only gathers candidates
	// and the trigram model decides; without it, the margin decides.
	low, perPos := threshold, 1
	if m.ngram != nil {
		low, perPos = c.lmParams().Low, c.lmParams().PerPos
	}

	for k := 0; k < n; k++ {
		if skip != nil && skip(k) {
			continue
		}
		var cands []proposal
		orig := rs[k]
		origFreq := m.charFreq(orig)
		// Function characters and the last characters of organ names are
		// questioned only for their listed confusions (在/再, 的/地/得):
		// they stand alone in correct text all the time, and organ names
		// (科工局) are mostly unknown to the dictionary.
		guarded := functionChar[orig]
		// A character the best reading already places in a word of two or
		// more is left alone: questioning it cost precision on the dev
		// split and gained nothing, and skipping it is most of the speed.
		if !wide && inWord[k] && wordFreq[k] >= rareWordFreq {
			continue
		}
		// A character just before a place-name suffix (芹泉镇, 梅梁湖) is
		// most likely part of a name the dictionary does not know.
		if !inWord[k] && (k+1 < n && placeSuffix[rs[k+1]] || k+2 < n && placeSuffix[rs[k+2]]) {
			continue
		}
		for wl := 2; wl <= 4; wl++ {
			for st := max(0, k-wl+1); st <= k && st+wl <= n; st++ {
				key, ok := makeWildKey(rs[st:st+wl], k-st)
				if !ok || !m.wildF.mayHave(uint64(key)) {
					continue
				}
				lo, hi, _ := m.wildT.get(uint64(key))
				wcs := m.wildC[lo:hi]
				var buf [4]rune
				copy(buf[:], rs[st:st+wl])
				var wb [16]byte // the candidate word in UTF-8, for an allocation-free lookup
				base := alpha[st] + beta[st+wl] - best
				for _, wc := range wcs {
					// The lists are sorted by frequency: once a word cannot
					// win even at no cost, no later one can.
					if base+float64(wc.lp) <= low {
						break
					}
					if wl == 2 && float64(wc.f) < charRatio*float64(origFreq) {
						// A frequent character (并, 为, 一) is rarely a slip
						// for a rarer two-character word's character: such a
						// word must be reasonably common next to the
						// character it replaces. Longer words seldom match by
						// chance.
						break
					}
					cand := wc.r
					if cand == orig {
						continue
					}
					kind := m.confusion(orig, cand)
					cost, odd := confusionCost[kind], false
					// The first look gathers it too (widen asks whether the
					// text has changed near it since).
					again := wide && kind != confNone && !(inWord[k] && wordFreq[k] >= rareWordFreq)
					switch {
					case guarded && kind != confListed:
						continue
					case kind == confNone && !wide:
						continue
					case kind == confNone && inWord[k] && wordFreq[k] >= rareWordFreq:
						// Breaking a word of the reading for a character
						// not known to be confusable with it was wrong more
						// often than right on the odw dev half (车桩 → 车辆).
						continue
					case kind == confNone:
						// Read by the ranker as a look-alike, the nearest
						// kind it has learnt, at a higher cost.
						kind, cost, odd = confShape, wideCost, true
					}
					buf[k-st] = cand
					if m.freqRunes(buf[:wl]) <= 0 {
						continue // a known misspelling, removed from the dictionary
					}
					nb := 0
					for _, r := range buf[:wl] {
						nb += utf8.EncodeRune(wb[nb:], r)
					}
					if steals(st, st+wl, k, inWord, wordFreq, wordSpan) {
						continue
					}
					gain := base + float64(wc.lp) - cost
					if gain > low {
						cands = addCandidate(cands, proposal{pos: k, to: cand, gain: gain, ugain: gain, cost: cost,
							word: string(wb[:nb]), start: st, end: st + wl, kind: kind, origF: wordFreq[k], wide: wide, odd: odd, again: again}, perPos)
					}
				}
			}
		}
		props = append(props, cands...)
	}
	return props
}

// selectTypos turns a paragraph's scored proposals into findings: the
// strongest first, none overlapping another. With the trigram model the
// first correction of a paragraph needs a large margin; once one is made,
// further ones need less (errors come in clusters: a sentence typed in a
// hurry has several), and they are judged again with the corrections made
// so far in their context.
func (c *Checker) selectTypos(t *text, props []proposal, out *findings) {
	if len(props) == 0 {
		return
	}
	byGain := func(x, y proposal) int {
		switch {
		case x.gain > y.gain:
			return -1
		case x.gain < y.gain:
			return 1
		}
		return x.pos - y.pos
	}
	slices.SortFunc(props, byGain)
	var taken []proposal
	clashes := func(pr proposal) bool {
		for _, q := range taken {
			if pr.start < q.end && q.start < pr.end {
				return true
			}
		}
		return false
	}
	if c.lm.ngram == nil {
		for _, pr := range props {
			if !clashes(pr) {
				taken = append(taken, pr)
			}
		}
	} else {
		lp := c.lmParams()
		if props[0].gain < lp.First {
			return
		}
		var rest []proposal
		for _, pr := range props {
			switch {
			case clashes(pr):
			case pr.gain >= lp.First:
				taken = append(taken, pr)
			default:
				rest = append(rest, pr)
			}
		}
		// The remaining candidates, judged with the corrections made.
		if len(rest) > 0 {
			// Only the paragraph's runs are copied: a long text has many
			// paragraphs.
			lo, hi := rest[0].runStart, rest[0].runEnd
			for _, q := range append(taken, rest...) {
				lo, hi = min(lo, q.runStart), max(hi, q.runEnd)
			}
			fixed := slices.Clone(t.r[lo:hi])
			for _, q := range taken {
				copy(fixed[q.start-lo:q.end-lo], []rune(q.word))
			}
			rest = c.rescoreIn(fixed, lo, rest)
		}
		slices.SortFunc(rest, byGain)
		for _, pr := range rest {
			if pr.gain >= lp.More && !clashes(pr) {
				taken = append(taken, pr)
			}
		}
		if lp.Wide < noCandidates && lp.WideRank != nil {
			wide := c.widen(t, taken)
			slices.SortFunc(wide, byGain)
			for _, pr := range wide {
				if !clashes(pr) {
					taken = append(taken, pr)
				}
			}
		}
	}
	m := c.lm
	for _, pr := range taken {
		wr := []rune(pr.word)
		first, last := -1, -1
		for i := range wr {
			if wr[i] != t.r[pr.start+i] {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first < 0 {
			continue
		}
		if c.protectedAt(t, pr.start+first, pr.start+last+1) {
			continue
		}
		from, to := string(t.r[pr.start+first:pr.start+last+1]), string(wr[first:last+1])
		msg := "疑似错别字：“" + from + "”可能应为“" + to + "”（" + pr.word + "）"
		if m.idioms[pr.word] {
			msg = "疑似错别字：成语“" + pr.word + "”"
		}
		out.add(Finding{Start: pr.start + first, End: pr.start + last + 1, Category: CategoryTypo, Severity: SeverityWarning,
			Rule: "T03", Message: msg, Suggestion: to})
	}
}

// widen takes a second, wider look at each sentence where corrections
// were made, with them made: a sentence typed in a hurry has several slips,
// and on the odw dev half most sentences flagged but not detected exactly
// had a second slip the first look does not question — a character inside
// a word of the reading (查出 for 查处, 减持 for 坚持) or one neither
// listed nor of the same sound (玉有 for 国有). Its candidates
// (charProposals with wide set) are scored like the others, with the
// corrections in their context; selectTypos keeps those that reach
// lmParams.Wide.
// A candidate of a kind the first look also gathers is looked at again
// only near a correction, where the text has changed since the first look
// (党祖素记: 素记 → 书记 once 党祖 → 党组).
func (c *Checker) widen(t *text, taken []proposal) []proposal {
	lp := c.lmParams()
	var sents []span
	for _, q := range taken {
		s, e := q.start, q.end
		for s > 0 && !sentenceEnd(t.r[s-1]) {
			s--
		}
		for e < len(t.r) && !sentenceEnd(t.r[e]) {
			e++
		}
		if !slices.Contains(sents, span{s, e}) {
			sents = append(sents, span{s, e})
		}
	}
	lo, hi := sents[0].start, sents[0].end
	for _, sp := range sents {
		lo, hi = min(lo, sp.start), max(hi, sp.end)
	}
	fixed := slices.Clone(t.r[lo:hi])
	for _, q := range taken {
		copy(fixed[q.start-lo:q.end-lo], []rune(q.word))
	}
	// Only characters the character model finds unlikely where they stand
	// (surprise, −log10 p, cached per position) are questioned, as a slip
	// is: on the odw dev half this skipped a third of the look's work and
	// no correction.
	var norm []rune
	var surprise []float32
	if c.lm.char != nil {
		norm = normRunes(fixed, nil)
		surprise = make([]float32, len(norm))
		for k := range surprise {
			surprise[k] = float32(nan)
		}
	}
	suspect := func(k int) bool {
		if norm == nil {
			return true
		}
		if v := surprise[k]; v != v {
			surprise[k] = -c.lm.charLogProb(c.local, norm[max(0, k-(c.lm.char.Order()-1)):k], norm[k])
		}
		return float64(surprise[k]) >= lp.Suspect
	}
	var props []proposal
	for _, sp := range sents {
		for i := sp.start; i < sp.end; {
			if !isHan(fixed[i-lo]) {
				i++
				continue
			}
			j := i
			for j < sp.end && isHan(fixed[j-lo]) {
				j++
			}
			if j-i >= 2 {
				rs := fixed[i-lo : j-lo]
				// A candidate at a character the model does not find
				// unlikely is dropped below whatever it is: not gathered.
				unsuspected := func(k int) bool { return !suspect(k + i - lo) }
				for _, p := range c.charProposals(rs, c.reading(rs), true, unsuspected, nil) {
					if p.again && !slices.ContainsFunc(taken, func(q proposal) bool {
						return q.start-i < p.end+contextReach && p.start < q.end-i+contextReach
					}) || !suspect(p.pos+i-lo) {
						continue
					}
					p.pos += i
					p.start += i
					p.end += i
					p.runStart, p.runEnd = i, j
					props = append(props, p)
				}
			}
			i = j
		}
	}
	if len(props) == 0 {
		return nil
	}
	props = c.rescoreIn(fixed, lo, props)
	// The wide ranker decides, from what the first-look ranker said and
	// what only this look knows (see ranker.go, fFirstScore …): it was
	// learnt on the wide look's own candidates, out of fold (TestTrainRanker).
	xs := make([][nFeatures]float64, len(props))
	for i := range props {
		p := &props[i]
		q := p.from(lo)
		x := &xs[i]
		*x = c.lm.features(fixed, &q)
		x[fFirstScore] = clip(p.gain, -20, 20)
		if p.odd {
			x[fOdd] = 1
		}
		if p.again {
			x[fAgain] = 1
		}
		if surprise != nil {
			x[fSuspect] = clip(float64(surprise[p.pos-lo]), 0, 30)
		}
		rival := math.Inf(-1)
		for j, r := range props {
			if j != i && r.pos == p.pos && r.to != p.to {
				rival = max(rival, r.cgain)
			}
		}
		x[fCRivalGap] = clip(p.cgain-rival, -30, 30)
		near, nearScore, fixes := 30, 0.0, 0
		for _, q := range taken {
			d := max(q.start-p.end, p.start-q.end, 0)
			if d < near {
				near, nearScore = d, q.gain
			}
			if d < 30 {
				fixes++
			}
		}
		x[fNearFix] = float64(near)
		x[fFixes] = float64(min(fixes, 5))
		x[fFixScore] = clip(nearScore, -20, 20)
		p.gain = lp.WideRank.score(x)
	}
	if c.traceWide != nil {
		c.traceWide(props, xs)
	}
	var out []proposal
	for _, p := range props {
		if p.gain >= lp.Wide {
			out = append(out, p)
		}
	}
	return out
}

// sentenceEnd reports whether r ends a sentence or a paragraph.
func sentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '\n', '!', '?', ';':
		return true
	}
	return false
}

// protectedAt reports whether [s, e) lies in a word the checker must not
// question: one of the project's contemporary 公文 terms (which the
// trigram model, trained on older general text, may not know: 抗疫,
// 施策), a person's name (personNameAt), or the deployment's own organ
// names, leaders' names and titles.
func (c *Checker) protectedAt(t *text, s, e int) bool {
	m := c.lm
	for a := max(0, s-maxTermRunes+1); a < e; a++ {
		for b := max(e, a+2); b <= min(len(t.r), a+maxTermRunes); b++ {
			if m.terms[string(t.r[a:b])] {
				return true
			}
		}
	}
	if personNameAt(t.r, s, e) || c.placeNameAt(t.r, s, e) || c.localKnows(t.r, s, e) || countrySideAt(t.r, s, e) {
		return true
	}
	if c.custom == nil {
		return false
	}
	// Any occurrence of a protected word that overlaps [s, e): only the
	// words starting with the character at each place are compared.
	x := c.custom.protIdx
	for st := max(0, s-c.custom.maxProt+1); st < e; st++ {
		for _, k := range x.byFirst[t.r[st]] {
			w := x.phrases[k]
			if st+len(w) > s && st+len(w) <= len(t.r) && slices.Equal(t.r[st:st+len(w)], w) {
				return true
			}
		}
	}
	return false
}

// homophoneProposals adds, for every span of 2–3 characters, the common
// words of the same toneless pinyin: the slip of a pinyin IME that put
// another word of the same sound (部署 → 不熟, 投诉 → 投宿). Only the
// trigram model can judge these, so they are gathered only when it is
// loaded, and only when the unigram model does not find them much worse.
func (c *Checker) homophoneProposals(rs []rune, alpha, beta []float64, wordFreqAt func(st, end int) int32, inWord []bool, wordFreq []int32, wordSpan []span, props []proposal) []proposal {
	m := c.lm
	lp := c.lmParams()
	n := len(rs)
	best := beta[0]
	for wl := 2; wl <= 3; wl++ {
		for st := 0; st+wl <= n; st++ {
			// Only spans the best reading does not cut through: the slip
			// made a word, or characters the reading leaves alone.
			if lp.Aligned && (inWord[st] && wordSpan[st].start < st || st+wl < n && inWord[st+wl] && wordSpan[st+wl].start < st+wl) {
				continue
			}
			if stealsSpan(st, st+wl, inWord, wordFreq, wordSpan) {
				continue
			}
			f := wordFreqAt(st, st+wl)
			origWord := f > 0
			low := lp.LowHom
			if origWord {
				low = lp.LowReal
				// A common word is never questioned as a whole: on the
				// dev split no slip had made one as common as this.
				if lp.MaxReal > 0 && f >= lp.MaxReal {
					continue
				}
			}
			// Nor is a common word that fits its context (seen next to a
			// neighbour): on the dev split such a word was almost never a
			// slip, and there are many. Asked only once a candidate comes.
			fits := 0 // unknown; 1 fits, -1 does not
			if !origWord || lp.FitsFreq <= 0 || f < lp.FitsFreq {
				fits = -1
			}
			if low >= noCandidates {
				continue
			}
			src := rs[st : st+wl]
			base := alpha[st] + beta[st+wl] - best
			var keys [8]uint64
			nk := m.homKeys(src, keys[:], lp.Readings)
			var seen [8]string
			ns, taken := 0, 0
			for _, k := range keys[:nk] {
				lo, hi, _ := m.homT.get(k)
				list := m.homC[lo:hi]
				for _, hc := range list {
					if base+float64(hc.lp) <= low || lp.HomPerSpan > 0 && taken >= lp.HomPerSpan {
						break
					}
					dup := false
					for _, w := range seen[:ns] {
						dup = dup || w == hc.word
					}
					if dup {
						continue
					}
					if ns < len(seen) {
						seen[ns] = hc.word
						ns++
					}
					cost, first, ok, fkind := 0.0, -1, true, confNone
					var to rune
					i := 0
					for _, r := range hc.word {
						if r != src[i] {
							if first < 0 {
								to = r
							}
							kind := m.confusion(src[i], r)
							if kind == confNone || functionChar[src[i]] && kind != confListed && kind != confSameSound {
								ok = false
								break
							}
							cost += confusionCost[kind]
							if first < 0 {
								first, fkind = i, kind
							}
						}
						i++
					}
					gain := base + float64(hc.lp) - cost
					if !ok || first < 0 || gain <= low || m.freqWord(hc.word) <= 0 {
						continue
					}
					if fits == 0 {
						fits = -1
						if w := m.ngram.wordAt(rs, st, st+wl, 1); w != 0 && m.ngram.wordAt(rs, st, st+wl, -1) == w &&
							m.ngram.evidence(rs, 0, n, st, st+wl, w) > 0 {
							fits = 1
						}
					}
					if fits > 0 {
						break
					}
					taken++
					props = append(props, proposal{pos: st + first, to: to, gain: gain, ugain: gain,
						cost: cost, word: hc.word, start: st, end: st + wl, hom: true, kind: fkind, origF: f})
				}
			}
		}
	}
	return props
}

// noCandidates as a minimum margin switches a kind of candidate off.
const noCandidates = 1000

// stealsSpan reports whether replacing [a,b) would cut a common word of the
// original reading that reaches outside it.
func stealsSpan(a, b int, inWord []bool, wordFreq []int32, wordSpan []span) bool {
	for j := a; j < b; j++ {
		if !inWord[j] || wordFreq[j] < stealFreq {
			continue
		}
		if sp := wordSpan[j]; sp.start < a || sp.end > b {
			return true
		}
	}
	return false
}

// surnames are common Chinese surnames of one character, for
// personNameAt, without those that mostly begin words said of groups
// before 同志 (单位同志, 有关同志, 党员同志, 全体同志).
var surnames = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝" {
		m[r] = true
	}
	return m
}()

// personNameAt reports whether [s, e) lies in a person's name: two or
// three characters, the first a common surname, where 公文 names people —
// before 同志, 先生 or 女士 (史达福同志 is not 士大夫同志), before or after a
// title (褚福伟书记, 农丽副区长, 区长黎健明), before what a meeting's report
// says a leader did (秦琳主持, 师福强指出). The deployment's roster and
// directory (Config.Leaders, Config.Names) protect its own people's names
// anywhere.
func personNameAt(rs []rune, s, e int) bool {
	for l := 2; l <= 3; l++ {
		// A name at [st, st+l) overlapping [s, e).
		for st := max(0, e-l); st <= s && st+l <= len(rs); st++ {
			if !surnames[rs[st]] {
				continue
			}
			end := st + l
			if end+2 <= len(rs) {
				after := string(rs[end : end+2])
				if nameAfter[after] || titles[after] {
					return true
				}
				if rs[end] == '副' && end+3 <= len(rs) && titles[string(rs[end+1:end+3])] {
					return true
				}
			}
			if st >= 2 && titles[string(rs[st-2:st])] {
				return true
			}
		}
	}
	return false
}

// titles are the titles 公文 put right before or after a person's name.
var titles = map[string]bool{"书记": true, "主任": true, "主席": true, "委员": true, "常委": true, "省长": true, "市长": true, "县长": true,
	"区长": true, "镇长": true, "乡长": true, "局长": true, "部长": true, "厅长": true, "处长": true, "科长": true, "院长": true, "校长": true,
	"所长": true, "秘书": true, "同志": true}

// nameAfter are the words that follow a person's name in 公文: the forms of
// address and what a meeting's report says a leader did.
var nameAfter = map[string]bool{"同志": true, "先生": true, "女士": true, "主持": true, "指出": true, "强调": true, "出席": true}

// countryAbbrev are the one-character short names of countries that 外事
// texts put before 方 (中方, 美方, 希方 for Greece, 哈方 for Kazakhstan).
var countryAbbrev = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "中美俄英法德日韩朝越老柬泰缅印巴伊沙埃希哈吉乌塔土蒙意葡荷比瑞挪芬丹奥匈捷波罗保塞克斯阿新澳加墨古委秘智菲孟尼肯南" {
		m[r] = true
	}
	return m
}()

// countrySideAt reports whether [s, e) is a country's short name before 方
// (希方 is Greece's side, not 西方).
func countrySideAt(rs []rune, s, e int) bool {
	return e == s+1 && e < len(rs) && rs[e] == '方' && countryAbbrev[rs[s]]
}
