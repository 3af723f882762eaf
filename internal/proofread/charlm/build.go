package charlm

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"unicode"
)

// Options are the settings of a build; they are recorded with the model
// so that it can be rebuilt bit for bit.
type Options struct {
	// Order is the n-gram order (2 … MaxOrder).
	Order int
	// MinCount[k-1] is the raw count an n-gram of order k needs to be
	// kept; MinCount[0] is the count a character needs to be known at all.
	// The counts must not fall with the order (a kept n-gram's prefix and
	// suffix are then kept too). Missing entries repeat the last one.
	MinCount []uint32
	// BucketLoad is the mean number of entries per hash bucket (4 if 0).
	BucketLoad int
	// Progress, if set, is told how far each stage has come.
	Progress func(stage string, done, total int64)
}

func (o *Options) minCount(k int) uint32 {
	if len(o.MinCount) == 0 {
		return 1
	}
	return o.MinCount[min(k, len(o.MinCount))-1]
}

// Stats describe a built model.
type Stats struct {
	Characters int64   // characters counted (without the paragraph marks)
	Paragraphs int64   // paragraphs counted
	Vocabulary int     // characters known
	Distinct   []int64 // distinct n-grams per order before pruning
	Kept       []int64 // n-grams per order in the model
	Discounts  [][3]float64
	Bytes      int64 // size of the written model
}

// Builder gathers the text of a model.
type Builder struct {
	opt   Options
	text  []rune // BOS paragraph EOS BOS paragraph EOS …
	stats Stats
}

// NewBuilder checks the options and returns an empty builder.
func NewBuilder(opt Options) (*Builder, error) {
	if opt.Order < 2 || opt.Order > MaxOrder {
		return nil, fmt.Errorf("阶数须在 2 到 %d 之间", MaxOrder)
	}
	for k := 2; k <= opt.Order; k++ {
		if opt.minCount(k) < opt.minCount(k-1) && k > 2 {
			return nil, errors.New("剪枝阈值不能随阶数下降")
		}
	}
	if opt.BucketLoad <= 0 {
		opt.BucketLoad = 4
	}
	return &Builder{opt: opt}, nil
}

// AddParagraph adds one paragraph of text. Whitespace and control
// characters are dropped; the rest passes through Norm.
func (b *Builder) AddParagraph(s string) {
	start := len(b.text)
	b.text = append(b.text, BOS)
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == 0xFEFF || r == unicode.ReplacementChar {
			continue
		}
		b.text = append(b.text, Norm(r))
	}
	if len(b.text)-start < 2 {
		b.text = b.text[:start]
		return
	}
	b.stats.Characters += int64(len(b.text) - start - 1)
	b.stats.Paragraphs++
	b.text = append(b.text, EOS)
}

// AddLines adds every line of r as a paragraph.
func (b *Builder) AddLines(r io.Reader) error { return eachLine(r, b.AddParagraph) }

func eachLine(r io.Reader, f func(string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		f(sc.Text())
	}
	return sc.Err()
}

// Token IDs: 0 unknown, 1 BOS, 2 EOS, then the known characters by
// falling count.
const (
	tokUnk = 0
	tokBOS = 1
	tokEOS = 2
)

// gram is an n-gram of up to 8 tokens of 16 bits, the first token in the
// top bits of hi: comparing (hi, lo) compares the n-grams token by token.
type gram struct{ hi, lo uint64 }

func cmpGram(a, b gram) int {
	if c := cmp.Compare(a.hi, b.hi); c != 0 {
		return c
	}
	return cmp.Compare(a.lo, b.lo)
}

func (g gram) token(i int) uint16 {
	if i < 4 {
		return uint16(g.hi >> (48 - 16*i))
	}
	return uint16(g.lo >> (48 - 16*(i-4)))
}

func (g gram) with(i int, t uint16) gram {
	if i < 4 {
		g.hi |= uint64(t) << (48 - 16*i)
	} else {
		g.lo |= uint64(t) << (48 - 16*(i-4))
	}
	return g
}

// prefix drops the last of k tokens.
func (g gram) prefix(k int) gram {
	i := k - 1
	if i < 4 {
		g.hi &^= 0xFFFF << (48 - 16*i)
	} else {
		g.lo &^= 0xFFFF << (48 - 16*(i-4))
	}
	return g
}

// suffix drops the first token.
func (g gram) suffix() gram {
	return gram{hi: g.hi<<16 | g.lo>>48, lo: g.lo << 16}
}

// level is one order's n-grams, sorted.
type level struct {
	keys []gram
	raw  []uint32
	adj  []uint32 // Kneser–Ney adjusted counts
	// Statistics of the n-grams as contexts of the next order: the sum of
	// their continuations' adjusted counts and how many have 1, 2, ≥3.
	sum        []uint32
	n1, n2, n3 []uint32
	logp, bo   []float32
}

// progress reports a stage.
func (b *Builder) progress(stage string, done, total int64) {
	if b.opt.Progress != nil {
		b.opt.Progress(stage, done, total)
	}
}

// Write estimates the model from the text added and writes it to w.
func (b *Builder) Write(ctx context.Context, w io.Writer) (Stats, error) {
	N := b.opt.Order
	st := b.stats
	vocab, toks := b.tokens()
	b.text = nil // the tokens replace the text
	st.Vocabulary = len(vocab) - 3
	st.Distinct = make([]int64, N)
	st.Kept = make([]int64, N)
	st.Discounts = make([][3]float64, N)
	levels := make([]*level, N+1)
	var disc [][3]float64 = make([][3]float64, N+1)
	// Top down: count each order, take the adjusted counts of the order
	// below from the distinct continuations of this one, and prune.
	var upper *level // order k+1, all n-grams
	for k := N; k >= 1; k-- {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		b.progress(fmt.Sprintf("统计 %d 元组", k), int64(N-k), int64(N))
		lv := countOrder(toks, k)
		st.Distinct[k-1] = int64(len(lv.keys))
		if k == N {
			lv.adj = lv.raw
		} else {
			lv.adj = continuationCounts(upper.keys, lv, k)
			contextStats(upper, k+1, lv)
			b.prune(upper, k+1)
			levels[k+1] = upper
		}
		disc[k] = discounts(lv.adj, lv.keys, k)
		st.Discounts[k-1] = disc[k]
		upper = lv
	}
	// The unigrams' own statistics (their context is empty).
	uni := upper
	var root level
	root.sum, root.n1, root.n2, root.n3 = make([]uint32, 1), make([]uint32, 1), make([]uint32, 1), make([]uint32, 1)
	for i, g := range uni.keys {
		if g.token(0) == tokBOS {
			continue
		}
		a := uni.adj[i]
		root.sum[0] += a
		switch {
		case a == 1:
			root.n1[0]++
		case a == 2:
			root.n2[0]++
		case a >= 3:
			root.n3[0]++
		}
	}
	b.prune(uni, 1)
	levels[1] = uni
	// Bottom up: interpolated probabilities, then backoff weights that
	// keep each pruned distribution summing to one.
	nv := float64(len(vocab) - 1) // every token but BOS
	for k := 1; k <= N; k++ {
		b.progress("平滑", int64(k-1), int64(N))
		if err := ctx.Err(); err != nil {
			return st, err
		}
		probabilities(levels[k], levels[k-1], &root, k, disc[k], nv)
	}
	for k := 1; k < N; k++ {
		backoffs(levels[k], levels[k+1], k+1, disc[k+1])
	}
	for k := 1; k <= N; k++ {
		st.Kept[k-1] = int64(len(levels[k].keys))
	}
	b.progress("写出", 0, 1)
	n, err := writeModel(w, levels[1:], vocab, N, b.opt.BucketLoad, root, disc[1], nv)
	st.Bytes = n
	b.progress("写出", 1, 1)
	return st, err
}

// tokens numbers the characters: those seen at least MinCount[0] times by
// falling count (ties by code point), the rest unknown.
func (b *Builder) tokens() ([]rune, []uint16) {
	counts := map[rune]int64{}
	for _, r := range b.text {
		counts[r]++
	}
	type rc struct {
		r rune
		c int64
	}
	var cs []rc
	for r, c := range counts {
		if r != BOS && r != EOS && c >= int64(b.opt.minCount(1)) {
			cs = append(cs, rc{r, c})
		}
	}
	slices.SortFunc(cs, func(a, b rc) int {
		if a.c != b.c {
			return cmp.Compare(b.c, a.c)
		}
		return cmp.Compare(a.r, b.r)
	})
	if len(cs) > 0xFFFF-3 {
		cs = cs[:0xFFFF-3]
	}
	vocab := []rune{0, BOS, EOS}
	id := map[rune]uint16{BOS: tokBOS, EOS: tokEOS}
	for _, c := range cs {
		id[c.r] = uint16(len(vocab))
		vocab = append(vocab, c.r)
	}
	toks := make([]uint16, len(b.text))
	for i, r := range b.text {
		toks[i] = id[r] // 0 when unknown
	}
	return vocab, toks
}

// countOrder counts the n-grams of order k within paragraphs: no BOS but
// at the start, no EOS but at the end.
func countOrder(toks []uint16, k int) *level {
	var keys []gram
	n := 0
	for i := range toks {
		if toks[i] != tokEOS {
			n++
		}
	}
	keys = make([]gram, 0, n)
	for i := 0; i+k <= len(toks); i++ {
		if k > 1 && toks[i] == tokEOS {
			continue
		}
		var g gram
		ok := true
		for j := 0; j < k; j++ {
			t := toks[i+j]
			if (j > 0 && t == tokBOS) || (j < k-1 && t == tokEOS) {
				ok = false
				break
			}
			g = g.with(j, t)
		}
		if ok {
			keys = append(keys, g)
		}
	}
	slices.SortFunc(keys, cmpGram)
	lv := &level{}
	out := keys[:0]
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		out = append(out, keys[i])
		lv.raw = append(lv.raw, uint32(min(j-i, math.MaxUint32)))
		i = j
	}
	lv.keys = slices.Clone(out) // frees the array of every occurrence
	return lv
}

// continuationCounts gives each n-gram of lv (order k) its adjusted count:
// the number of distinct characters seen before it (an n-gram of order
// k+1 in upper ends with it), or its raw count when it starts a paragraph.
func continuationCounts(upper []gram, lv *level, k int) []uint32 {
	suf := make([]gram, len(upper))
	for i, g := range upper {
		suf[i] = g.suffix()
	}
	slices.SortFunc(suf, cmpGram)
	adj := make([]uint32, len(lv.keys))
	j := 0
	for i, g := range lv.keys {
		if g.token(0) == tokBOS {
			adj[i] = lv.raw[i]
			continue
		}
		for j < len(suf) && cmpGram(suf[j], g) < 0 {
			j++
		}
		c := uint32(0)
		for j < len(suf) && suf[j] == g {
			c++
			j++
		}
		adj[i] = max(c, 1)
	}
	_ = k
	return adj
}

// contextStats fills lv's context statistics (lv of order k-1) from the
// adjusted counts of up (order k): its n-grams grouped by their prefix.
func contextStats(up *level, k int, lv *level) {
	n := len(lv.keys)
	lv.sum, lv.n1, lv.n2, lv.n3 = make([]uint32, n), make([]uint32, n), make([]uint32, n), make([]uint32, n)
	j := 0
	for i, g := range up.keys {
		p := g.prefix(k)
		for j < n && cmpGram(lv.keys[j], p) < 0 {
			j++
		}
		if j == n || lv.keys[j] != p {
			continue // cannot happen: every prefix is counted
		}
		a := up.adj[i]
		lv.sum[j] += a
		switch {
		case a == 1:
			lv.n1[j]++
		case a == 2:
			lv.n2[j]++
		default:
			lv.n3[j]++
		}
	}
}

// discounts are modified Kneser–Ney's D1, D2, D3+ from the count of counts
// of the adjusted counts (Chen and Goodman), with fallbacks for the small
// texts of tests.
func discounts(adj []uint32, keys []gram, k int) [3]float64 {
	var n [5]float64
	for i, a := range adj {
		if k == 1 && keys[i].token(0) == tokBOS {
			continue
		}
		if a >= 1 && a <= 4 {
			n[a]++
		}
	}
	d := [3]float64{0.5, 1.0, 1.5}
	if n[1] == 0 || n[2] == 0 || n[3] == 0 || n[4] == 0 {
		return d
	}
	y := n[1] / (n[1] + 2*n[2])
	d[0] = 1 - 2*y*n[2]/n[1]
	d[1] = 2 - 3*y*n[3]/n[2]
	d[2] = 3 - 4*y*n[4]/n[3]
	for i := range d {
		if !(d[i] > 0) || d[i] >= float64(i+1) {
			d = [3]float64{0.5, 1.0, 1.5}
			break
		}
	}
	return d
}

// prune keeps the n-grams of lv (order k) that are frequent enough and
// have no unknown character.
func (b *Builder) prune(lv *level, k int) {
	minc := b.opt.minCount(k)
	if k == 1 {
		minc = 0
	}
	out := 0
	for i, g := range lv.keys {
		if lv.raw[i] < minc {
			continue
		}
		unk := false
		for j := 0; j < k; j++ {
			if g.token(j) == tokUnk && !(k == 1) {
				unk = true
				break
			}
		}
		if unk {
			continue
		}
		lv.keys[out], lv.raw[out], lv.adj[out] = g, lv.raw[i], lv.adj[i]
		if lv.sum != nil {
			lv.sum[out], lv.n1[out], lv.n2[out], lv.n3[out] = lv.sum[i], lv.n1[i], lv.n2[i], lv.n3[i]
		}
		out++
	}
	// Copies, so that the arrays of everything pruned are freed.
	lv.keys = slices.Clone(lv.keys[:out])
	lv.raw = slices.Clone(lv.raw[:out])
	lv.adj = slices.Clone(lv.adj[:out])
	if lv.sum != nil {
		lv.sum, lv.n1, lv.n2, lv.n3 = slices.Clone(lv.sum[:out]), slices.Clone(lv.n1[:out]), slices.Clone(lv.n2[:out]), slices.Clone(lv.n3[:out])
	}
}

func discount(d [3]float64, a uint32) float64 {
	switch a {
	case 0:
		return 0
	case 1:
		return d[0]
	case 2:
		return d[1]
	}
	return d[2]
}

// gamma is the weight a context gives the order below.
func gamma(d [3]float64, sum, n1, n2, n3 uint32) float64 {
	if sum == 0 {
		return 1
	}
	return (d[0]*float64(n1) + d[1]*float64(n2) + d[2]*float64(n3)) / float64(sum)
}

// find returns the index of g in keys, -1 if absent.
func find(keys []gram, g gram) int {
	i, ok := slices.BinarySearchFunc(keys, g, cmpGram)
	if !ok {
		return -1
	}
	return i
}

// probabilities fills lv.logp (order k; lower is order k-1, nil for k=1).
func probabilities(lv, lower, root *level, k int, d [3]float64, nv float64) {
	lv.logp = make([]float32, len(lv.keys))
	j := 0
	for i, g := range lv.keys {
		var sum, n1, n2, n3 uint32
		var low float64
		if k == 1 {
			if g.token(0) == tokBOS {
				lv.logp[i] = -99
				continue
			}
			sum, n1, n2, n3 = root.sum[0], root.n1[0], root.n2[0], root.n3[0]
			low = 1 / nv
		} else {
			p := g.prefix(k)
			for j < len(lower.keys) && cmpGram(lower.keys[j], p) < 0 {
				j++
			}
			// j indexes the context (kept: its count is at least g's).
			sum, n1, n2, n3 = lower.sum[j], lower.n1[j], lower.n2[j], lower.n3[j]
			low = math.Pow(10, float64(lower.logp[find(lower.keys, g.suffix())]))
		}
		a := lv.adj[i]
		p := 0.0
		if sum > 0 {
			p = (float64(a) - discount(d, a)) / float64(sum)
		}
		p += gamma(d, sum, n1, n2, n3) * low
		lv.logp[i] = float32(math.Log10(p))
	}
}

// backoffs fills lv.bo (order k-1, the contexts of up, order k): the
// weight that makes the pruned distribution after each context sum to one
// (1 − Σ kept p(w|h)) / (1 − Σ kept p(w|h′)), which is the interpolation
// weight itself when nothing was pruned. A context without kept
// continuations passes everything down (weight 1).
func backoffs(lv, up *level, k int, d [3]float64) {
	lv.bo = make([]float32, len(lv.keys))
	for i := 0; i < len(up.keys); {
		h := up.keys[i].prefix(k)
		s1, s2 := 0.0, 0.0
		j := i
		for ; j < len(up.keys) && up.keys[j].prefix(k) == h; j++ {
			s1 += math.Pow(10, float64(up.logp[j]))
			s2 += math.Pow(10, float64(lv.logp[find(lv.keys, up.keys[j].suffix())]))
		}
		i = j
		hi := find(lv.keys, h)
		if hi < 0 {
			continue
		}
		bo := gamma(d, lv.sum[hi], lv.n1[hi], lv.n2[hi], lv.n3[hi])
		if num, den := 1-s1, 1-s2; num > 1e-12 && den > 1e-9 {
			bo = num / den
		}
		lv.bo[hi] = float32(math.Log10(bo))
	}
}
