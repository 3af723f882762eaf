package proofread

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"

	"github.com/shuniu-oa/shuniu/internal/mapfile"
)

// ngramPaths are where Debian's libime-data-language-model puts fcitx5's
// word trigram model (zh_CN.lm, KenLM binary format, LGPL-2.1+). It is read
// from the system at start-up, never shipped: see docs/proofread.md.
var ngramPaths = []string{
	"/usr/lib/x86_64-linux-gnu/libime/zh_CN.lm",
	"/usr/lib/aarch64-linux-gnu/libime/zh_CN.lm",
	"/usr/lib/i386-linux-gnu/libime/zh_CN.lm",
	"/usr/lib/libime/zh_CN.lm",
}

// NgramModelNone in Config.NgramModel switches the word trigram model off.
const NgramModelNone = "none"

// ngramModel is a word n-gram model with its vocabulary, as the lattice
// search uses it; read-only and safe for concurrent use.
type ngramModel struct {
	path string
	lm   *kenlmTrie
	// keys holds the words of up to maxLMWordRunes BMP runes, packed
	// (packWord), and marks their prefixes with lmPrefixBit.
	keys flatTable // the word ID (with lmPrefixBit) in a
	// unk is the log10 probability of a character the model does not know.
	unk float32
	// buffers holds the scratch space of the search, with its probability
	// cache (n-gram probabilities never change, so the cache is kept).
	buffers sync.Pool
}

func newNgramModel(path string, lm *kenlmTrie, keys flatTable, unk float32) *ngramModel {
	m := &ngramModel{path: path, lm: lm, keys: keys, unk: unk}
	m.buffers.New = func() any { return &lmBuffers{cache: make([]lmCacheSlot, lmCacheSize)} }
	return m
}

// logProb is log10 p(w | ctx); an unknown word (0) gets the unknown
// character's probability.
func (m *ngramModel) logProb(ctx []wordID, w wordID) float32 {
	if w == 0 {
		return m.unk
	}
	return m.lm.logProb(ctx, w)
}

// wordAt returns the longest word of the model in rs[i:j] that ends at j
// (dir < 0) or starts at i (dir > 0), 0 if none.
func (m *ngramModel) wordAt(rs []rune, i, j, dir int) wordID {
	for l := min(maxLMWordRunes, j-i); l >= 1; l-- {
		a, b := i, i+l
		if dir < 0 {
			a, b = j-l, j
		}
		var k uint64
		ok := true
		for _, r := range rs[a:b] {
			if r <= 0 || r > 0xFFFF {
				ok = false
				break
			}
			k = k<<16 | uint64(r)
		}
		if !ok {
			continue
		}
		if id := m.key(k) &^ lmPrefixBit; id != 0 {
			return id
		}
	}
	return 0
}

// evidence counts the neighbours of [s, e) in rs[lo:hi] that the model has
// seen next to the word w: 0, 1 or 2. With w the text's own word, it says
// whether the text fits its context; with a correction's, whether the
// correction does.
func (m *ngramModel) evidence(rs []rune, lo, hi, s, e int, w wordID) int {
	if w == 0 {
		return 0
	}
	n := 0
	if l := m.wordAt(rs, lo, s, -1); l != 0 && m.lm.bigram(l, w) {
		n++
	}
	if r := m.wordAt(rs, e, hi, 1); r != 0 && m.lm.bigram(w, r) {
		n++
	}
	return n
}

// lookup returns a word's ID, 0 if the model does not know it.
func (m *ngramModel) lookup(w string) wordID {
	k, ok := packWord([]byte(w))
	if !ok {
		return 0
	}
	return m.key(k) &^ lmPrefixBit
}

// key is the packed word k's entry (ID and lmPrefixBit), 0 if none.
func (m *ngramModel) key(k uint64) uint32 {
	v, _, _ := m.keys.get(k)
	return uint32(v)
}

// loadNgramModel reads a KenLM binary model. An absent file is reported
// with an error wrapping fs.ErrNotExist, so the caller can fall back.
func loadNgramModel(path string) (*ngramModel, error) {
	data, err := mapfile.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lm, keys, err := parseKenLM(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return newNgramModel(path, lm, keys, lm.logProb(nil, 0)-unkPenalty), nil
}

// findNgramModel loads the configured trigram model, or the first one found
// in the usual places. A missing model is not an error: the checker then
// works with its embedded unigram model alone.
func findNgramModel(path string) (*ngramModel, error) {
	if path == "" {
		path = os.Getenv("SHUNIU_PROOFREAD_LM")
	}
	if path == NgramModelNone {
		return nil, nil
	}
	if path != "" {
		return loadNgramModel(path)
	}
	for _, p := range ngramPaths {
		m, err := loadNgramModel(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		return m, err
	}
	return nil, nil
}

// maxLMWordRunes bounds the words looked up in the trigram model's
// vocabulary: four runes packed in 64 bits; longer entries are rare.
const maxLMWordRunes = 4

// lmPrefixBit in a keys value marks a prefix of a longer word; the other
// bits are the word's ID, 0 if the prefix is not itself a word.
const lmPrefixBit = 1 << 31

// unkPenalty (log10) is taken off the model's probability of an unknown
// word for a character it does not know, so that an unknown character
// never looks better than a known one.
const unkPenalty = 1.0

// The trigram model scores a run of Han characters by its best
// segmentation into the model's words: a Viterbi search over the word
// lattice whose state is the last word, the word before it taken from the
// best path into that state. The first word of a run is scored without
// context. A candidate correction is scored by redoing the search only
// from the first word it touches to a few characters past it, on top of
// the run's own search: everything before is unchanged.

// lmEdge is one word of the lattice and the best path that ends with it.
type lmEdge struct {
	start, end int32
	w          wordID
	prevW      wordID // the word before on the best path
	hasPrev    bool
	score      float32 // log10; float32Inf while unreached
}

// float32Inf marks an edge not reached yet (scores are log10, never this
// large).
const float32Inf = float32(1e30)

// lattice is the searched lattice of one run (or of a candidate's part).
type lattice struct {
	edges []lmEdge
	ends  [][]int32 // edge indices by end position
}

func (l *lattice) reset(n int) {
	l.edges = l.edges[:0]
	if cap(l.ends) < n+1 {
		l.ends = make([][]int32, n+1)
	}
	l.ends = l.ends[:n+1]
	for i := range l.ends {
		l.ends[i] = l.ends[i][:0]
	}
}

func (l *lattice) best(at int) float32 {
	best := float32Inf
	for _, ei := range l.ends[at] {
		if v := l.edges[ei].score; v != float32Inf && (best == float32Inf || v > best) {
			best = v
		}
	}
	return best
}

// addEdges appends the words of the model that start at i in the text
// at(0..n-1), ending at most at limit, and keep(end) says which to keep;
// an unknown character gets a one-character <unk> edge.
func (m *ngramModel) addEdges(l *lattice, at func(int) rune, i, limit int, keep func(end int) bool) {
	single := false
	var k uint64
	for j := i; j < min(limit, i+maxLMWordRunes); j++ {
		r := at(j)
		if r <= 0 || r > 0xFFFF {
			break
		}
		k = k<<16 | uint64(r)
		a, _, ok := m.keys.get(k)
		if !ok {
			break
		}
		v := uint32(a)
		if id := v &^ lmPrefixBit; id != 0 {
			single = single || j == i
			if keep(j + 1) {
				l.edges = append(l.edges, lmEdge{start: int32(i), end: int32(j + 1), w: id, score: float32Inf})
			}
		}
		if v&lmPrefixBit == 0 {
			break
		}
	}
	if !single && keep(i+1) {
		l.edges = append(l.edges, lmEdge{start: int32(i), end: int32(i + 1), w: 0, score: float32Inf})
	}
}

// relax scores edge e from the edges of preds ending at its start (or from
// nothing at the run's start) and files it under its end.
func (m *ngramModel) relax(l *lattice, ei int, preds *lattice, buf *lmBuffers) {
	e := &l.edges[ei]
	pen := float32(0)
	if e.start == 0 {
		e.score = buf.cachedLogProb(m, nil, e.w) + pen
	} else {
		for _, pi := range preds.ends[e.start] {
			p := &preds.edges[pi]
			if p.score == float32Inf {
				continue
			}
			var ctx [2]wordID
			c := ctx[:0]
			if p.hasPrev {
				c = append(c, p.prevW)
			}
			c = append(c, p.w)
			if v := p.score + buf.cachedLogProb(m, c, e.w) + pen; e.score == float32Inf || v > e.score {
				e.score, e.prevW, e.hasPrev = v, p.w, true
			}
		}
	}
	l.ends[e.end] = append(l.ends[e.end], int32(ei))
}

// search fills l with the searched lattice of rs.
func (m *ngramModel) search(rs []rune, l *lattice, buf *lmBuffers) {
	n := len(rs)
	l.reset(n)
	at := func(i int) rune { return rs[i] }
	all := func(int) bool { return true }
	for i := 0; i < n; i++ {
		from := len(l.edges)
		m.addEdges(l, at, i, n, all)
		for ei := from; ei < len(l.edges); ei++ {
			m.relax(l, ei, l, buf)
		}
	}
}

// changeGain is the log10 score difference at position b between the run
// rs (searched in orig) and the run with [s, s+len(word)) replaced by word.
func (m *ngramModel) changeGain(rs []rune, orig *lattice, s int, word []rune, b int, tmp *lattice, buf *lmBuffers) float32 {
	e := s + len(word)
	at := func(i int) rune {
		if i >= s && i < e {
			return word[i-s]
		}
		return rs[i]
	}
	tmp.reset(b)
	for i := max(0, s-(maxLMWordRunes-1)); i < b; i++ {
		from := len(tmp.edges)
		if i < s {
			// Only the words that reach into the change are new.
			m.addEdges(tmp, at, i, b, func(end int) bool { return end > s })
		} else {
			m.addEdges(tmp, at, i, b, func(int) bool { return true })
		}
		preds := tmp
		if i <= s {
			preds = orig
		}
		for ei := from; ei < len(tmp.edges); ei++ {
			m.relax(tmp, ei, preds, buf)
		}
	}
	nb, ob := tmp.best(b), orig.best(b)
	if nb == float32Inf || ob == float32Inf {
		return 0
	}
	return nb - ob
}

// lmBuffers are the scratch space of the trigram search, reused through
// ngramModel.buffers.
type lmBuffers struct {
	orig, tmp  lattice
	words      []rune
	norm, cbuf []rune    // the text for the character model, and its scratch
	normLP     []float32 // the character model's log10 probability of each character of norm; NaN: not yet asked
	cache      []lmCacheSlot
}

// lmParams are the decision rule's settings when the trigram model is
// loaded; tuned on the dev split (see evaluate/).
type lmParams struct {
	Low      float64 // unigram margin a one-character candidate needs to be considered
	LowHom   float64 // the same for a whole-word homophone of text that is no word
	LowReal  float64 // … and of text that is a word (most candidates are these)
	Aligned  bool    // homophones only for spans the unigram reading does not cut
	Readings int     // readings of each character of the text used for homophones (0: all)
	PerPos   int     // one-character candidates kept per position
	Window   int     // characters of context after a candidate
	Left     int     // characters of context before a run's first candidate (0: from the run's start)
	Min      float64 // score a candidate needs to be kept at all
	First    float64 // score the strongest correction of a paragraph needs
	More     float64 // score further corrections of the paragraph need
	Wide     float64 // WideRank's score a candidate of the wider look at a corrected sentence needs (widen; noCandidates: no such look)
	// WideRank scores the wider look's candidates (log-odds, from their
	// features and the wide ones: fFirstScore …); nil: no such look.
	WideRank ranker
	// OddMinC is the character model's margin (natural log) a candidate
	// of the wider look whose characters are not known to be confusable
	// needs to be searched by the trigram model at all (most are hopeless
	// and the search is the cost).
	OddMinC float64
	// Suspect is the surprise (−log10 p by the character model) a
	// character needs to be questioned by the wider look.
	Suspect     float64
	Evidence    bool  // weigh the bigram evidence (see rescoreIn)
	HomEvidence bool  // a whole-word homophone needs evidence
	MaxReal     int32 // a text word this frequent is not questioned as a whole (0: no limit)
	// Rank scores a candidate (log-odds that it is right) from its
	// features; Min, First and More are log-odds.
	Rank ranker
	// KeepOwn keeps a candidate whose text already fits its context (the
	// text's own word has been seen next to a neighbour) for the ranker to
	// weigh, instead of dropping it.
	KeepOwn bool
	// FitsFreq: a text word this frequent that fits its context (seen
	// next to a neighbour) gets no whole-word homophones (0: no limit).
	FitsFreq int32
	// HomPerSpan caps the whole-word homophones gathered for one span, the
	// most frequent first (0: no cap).
	HomPerSpan int
	// Pre, when set, judges a candidate before its trigram search
	// (preFeatures); below PreMin it is dropped unsearched.
	Pre    ranker
	PreMin float64
}

// The candidates are gathered widely (whole-word homophones of common
// words too, and text that already fits its context) and the learnt ranker
// decides. First, More and Wide are log-odds chosen by the four-fold
// cross-validation over the dev halves of odw, law and med
// (TestTrainRanker) with the shipped character model loaded: First 1.0,
// More −0.5 and Wide −1 gave the best odw correction F1 there with no false
// alarm on odw (0.722, det P 0.903 with the wide ranker learnt also from
// synthetic slips; the level 标准 of Sensitivity); see
// docs/perf.md.
var defaultLMParams = lmParams{Low: 0, LowHom: 0, LowReal: -3, MaxReal: 0, Aligned: true, Readings: 1, PerPos: 8, HomPerSpan: 4, FitsFreq: 1000,
	Window: 3, Left: 4, Min: -0.5, First: 1, More: -0.5, Wide: -1, WideRank: &rankerWide, OddMinC: 8, Suspect: 2, Evidence: true,
	KeepOwn: true, Rank: &rankerModel, Pre: &rankerPre, PreMin: rankerPreMin}

func (c *Checker) lmParams() *lmParams {
	if c.lmp != nil {
		return c.lmp
	}
	return &defaultLMParams
}

const ln10 = 2.302585092994046

// rescore judges the unigram model's candidates in one run with the trigram
// model: the best reading of a window around the candidate with and
// without the change. Kept are the candidates whose score reaches lp.Min.
func (c *Checker) rescore(rs []rune, props []proposal) []proposal {
	lp := c.lmParams()
	out := props[:0]
	for _, p := range c.rescoreIn(rs, 0, props) {
		if p.gain >= lp.Min {
			out = append(out, p)
		}
	}
	return out
}

// rescoreIn scores the proposals against the text rs, which starts at
// position base of the checked text (a run, or the paragraph with some
// corrections made), each within its run.
//
// Besides the trigram margin, it notes the bigram evidence, which on the
// dev split separated right from wrong corrections better than any margin:
// whether the text's own word there has been seen next to one of its
// neighbours (the text fits its context: 投宿 is no slip after 游客), and
// next to how many of them the corrected word has been seen. The ranker
// (see rank) then weighs it all; the pre-ranker drops the hopeless
// candidates before their trigram search.
func (c *Checker) rescoreIn(rs []rune, base int, props []proposal) []proposal {
	g := c.lm.ngram
	lp := c.lmParams()
	buf := g.buffers.Get().(*lmBuffers)
	defer g.buffers.Put(buf)
	// The proposals come run by run; each run is searched once, from a few
	// characters before its first candidate to a few after its last: the
	// words further away do not change the comparison much.
	slices.SortStableFunc(props, func(x, y proposal) int { return x.runStart - y.runStart })
	searched := -1
	var wlo, whi int
	var norm []rune
	if c.lm.char != nil {
		norm = normRunes(rs, buf.norm)
		buf.norm = norm
		buf.normLP = buf.normLP[:0]
		for range norm {
			buf.normLP = append(buf.normLP, float32(nan))
		}
	}
	ownSt, ownEnd, ownLo, ownHi := -1, -1, -1, -1
	var ownWid wordID
	var ownFits bool
	out := props[:0]
	for i, p := range props {
		lo, hi := 0, len(rs)
		if p.runEnd > 0 {
			lo, hi = p.runStart-base, p.runEnd-base
		}
		st, end := p.start-base, p.end-base
		ev := 0
		p.wid = g.lookup(p.word)
		if st != ownSt || end != ownEnd || lo != ownLo || hi != ownHi {
			// The candidates of one span come together: the text's own
			// word there is looked up once.
			ownSt, ownEnd, ownLo, ownHi = st, end, lo, hi
			ownWid, ownFits = 0, false
			if own := g.wordAt(rs, st, end, 1); own != 0 && g.wordAt(rs, st, end, -1) == own {
				ownWid = own
				ownFits = lp.Evidence && g.evidence(rs, lo, hi, st, end, own) > 0
			}
		}
		p.origWid = ownWid
		if lp.Evidence {
			ev = g.evidence(rs, lo, hi, st, end, p.wid)
			if ownFits {
				// A whole-word homophone with no evidence where the text
				// fits its context was right once in thousands on the dev
				// split.
				if !lp.KeepOwn || p.hom && ev == 0 {
					continue
				}
				p.ownEv = true
			}
			if ev == 0 && p.hom && lp.HomEvidence {
				continue
			}
		}
		if norm != nil {
			buf.words = append(buf.words[:0], []rune(p.word)...)
			p.cgain, p.csurprise, buf.cbuf = c.lm.charGain(c.local, norm, buf.normLP, st, buf.words, buf.cbuf)
			if p.odd && p.cgain < lp.OddMinC {
				// Hopeless: not searched.
				continue
			}
		}
		if lp.Pre != nil {
			q := p.from(base)
			q.ev = ev
			x := c.lm.features(rs, &q)
			preFeatures(&x)
			if lp.Pre.score(&x) < lp.PreMin {
				continue
			}
		}
		if searched != lo {
			searched = lo
			first, last := st, end
			for _, q := range props[i:] {
				if q.runStart != p.runStart {
					break
				}
				first, last = min(first, q.start-base), max(last, q.end-base)
			}
			wlo, whi = lo, min(hi, last+lp.Window)
			if lp.Left > 0 {
				wlo = max(lo, first-lp.Left)
			}
			g.search(rs[wlo:whi], &buf.orig, buf)
		}
		buf.words = append(buf.words[:0], []rune(p.word)...)
		b := min(hi, end+lp.Window) - wlo
		d := g.changeGain(rs[wlo:whi], &buf.orig, st-wlo, buf.words, b, &buf.tmp, buf)
		p.lgain = float64(d)*ln10 - p.cost
		p.ev = ev
		out = append(out, p) // scored below, once its rivals are known
	}
	c.rank(rs, base, out)
	return out
}

// rank scores the proposals of one text with the ranker: the features of
// each, with how it fares against the other candidates for its position.
func (c *Checker) rank(rs []rune, base int, props []proposal) {
	lp := c.lmParams()
	for i := range props {
		p := &props[i]
		p.rivalGap, p.rivals = 30, 0
		for j := range props {
			q := &props[j]
			if j != i && q.pos == p.pos {
				p.rivals++
				p.rivalGap = min(p.rivalGap, p.lgain-q.lgain)
			}
		}
	}
	for i := range props {
		q := props[i].from(base)
		x := c.lm.features(rs, &q)
		props[i].gain = lp.Rank.score(&x)
	}
}

// from is p with its offsets into the checked text made offsets into a
// text that starts at base (the run's bounds only when they are set).
func (p proposal) from(base int) proposal {
	p.start, p.end, p.pos = p.start-base, p.end-base, p.pos-base
	if p.runEnd > 0 {
		p.runStart, p.runEnd = p.runStart-base, p.runEnd-base
	}
	return p
}

// lmCacheSize is the number of slots of the per-check probability cache:
// the windows of neighbouring candidates share most of their n-grams.
const lmCacheSize = 1 << 15

type lmCacheSlot struct {
	key uint64
	val float32
}

// cachedLogProb is logProb through a small direct-mapped cache.
func (b *lmBuffers) cachedLogProb(m *ngramModel, ctx []wordID, w wordID) float32 {
	const none = 1<<21 - 1
	c1, c2 := uint64(none), uint64(none)
	if len(ctx) >= 2 {
		c1 = uint64(ctx[len(ctx)-2])
	}
	if len(ctx) >= 1 {
		c2 = uint64(ctx[len(ctx)-1])
	}
	key := c1<<42 | c2<<21 | uint64(w) | 1<<63
	if b.cache == nil {
		b.cache = make([]lmCacheSlot, lmCacheSize)
	}
	h := (key * 0x9E3779B97F4A7C15) >> (64 - 15)
	sl := &b.cache[h]
	if sl.key == key {
		return sl.val
	}
	v := m.logProb(ctx, w)
	sl.key, sl.val = key, v
	return v
}
