package proofread

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"flag"
	"fmt"
	"go/format"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The ranker's weights are learnt here, from the dev halves of ECSpell's
// training pairs (the split of internal/proofread/evaluate: a hash of the
// target sentence), never from the test halves:
//
//	go test ./internal/proofread -run TestTrainRanker -train ../../../shared/data/proofread/ecspell
//
// It reports a four-fold cross-validation over the dev halves of odw, law
// and med for a grid of thresholds (how First, More and Wide were chosen;
// the first-look, pre- and wide rankers are learnt anew for each fold),
// then fits on every dev pair and writes ranker_model.go. With -synth DIR
// (the corpus of official Chinese) the wide ranker also learns from
// synthetic slips (synthetic_test.go; PROOF_SYN_N sentences, default
// 3,000, weight PROOF_SYN_W, default 1). PROOF_QUICK=1
// walks only First 1; PROOF_WIDE_TREES and PROOF_WIDE_MINH try other
// settings of the wide ranker (both for trying variants, not for the
// shipped model).
var trainDir = flag.String("train", "", "folder of ECSpell's *_train.tsv: learn the ranker and write ranker_model.go")

type pairRunes [2][]rune

// readDevPairs reads one set's dev half.
func readDevPairs(t *testing.T, dir, set string) []pairRunes {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, set+"_train.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pairRunes
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		a, b, _ := strings.Cut(sc.Text(), "\t")
		src, tgt := []rune(a), []rune(b)
		if len(src) != len(tgt) {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(b))
		if h.Sum32()%2 == 1 { // the test half
			continue
		}
		out = append(out, pairRunes{src, tgt})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type sample struct {
	x [nFeatures]float64
	y float64
	w float64 // weight (0 counts as 1)
}

// collect runs the checker with every candidate kept and returns the
// candidates' features, labelled 1 when every character the candidate
// changes is wrong in the source and becomes the target's.
func collect(c *Checker, ps []pairRunes) []sample {
	lp := defaultLMParams
	// Every candidate is kept and none is taken; the trace sees them
	// scored, with their rivals known.
	lp.Rank, lp.Min, lp.First, lp.Pre = constRanker(0), math.Inf(-1), math.Inf(1), nil
	cc := *c
	cc.lmp = &lp
	var out []sample
	var props []proposal
	cc.trace = func(pr []proposal) { props = append(props, pr...) }
	for _, p := range ps {
		props = props[:0]
		cc.Check(string(p[0]))
		for i := range props {
			q := &props[i]
			y := 1.0
			for j, r := range []rune(q.word) {
				if k := q.start + j; r != p[0][k] && r != p[1][k] {
					y = 0
				}
			}
			out = append(out, sample{x: cc.lm.features(p[0], q), y: y})
		}
	}
	return out
}

// trainGB fits gradient-boosted trees for the logistic loss on
// histogram-binned features.
func trainGB(ss []sample, nTrees int, eta, lambda float64, minH float64) *gbRanker {
	const nBins = 48
	n := len(ss)
	// Bin edges by quantiles.
	var edges [nFeatures][]float64
	vals := make([]float64, n)
	for f := 0; f < nFeatures; f++ {
		for k := range ss {
			vals[k] = ss[k].x[f]
		}
		slices.Sort(vals)
		var e []float64
		for b := 1; b < nBins; b++ {
			v := vals[b*n/nBins]
			if len(e) == 0 || v > e[len(e)-1] {
				e = append(e, v)
			}
		}
		edges[f] = e
	}
	bins := make([][nFeatures]uint8, n)
	for k := range ss {
		for f := 0; f < nFeatures; f++ {
			bins[k][f] = uint8(sortSearch(edges[f], ss[k].x[f]))
		}
	}
	pos := 0.0
	for _, s := range ss {
		pos += s.y
	}
	m := &gbRanker{base: math.Log(pos / (float64(n) - pos))}
	F := make([]float64, n)
	for k := range F {
		F[k] = m.base
	}
	g, h := make([]float64, n), make([]float64, n)
	node := make([]int, n)
	for it := 0; it < nTrees; it++ {
		for k := range ss {
			p := 1 / (1 + math.Exp(-F[k]))
			wt := ss[k].w
			if wt == 0 {
				wt = 1
			}
			g[k], h[k] = wt*(p-ss[k].y), wt*max(p*(1-p), 1e-6)
			node[k] = 0
		}
		var t gbTree
		for d := 0; d < gbDepth; d++ {
			first := 1<<d - 1
			width := 1 << d
			// histograms per node of this level
			type hb struct{ g, h float64 }
			hist := make([][nFeatures][nBins]hb, width)
			var tot = make([]hb, width)
			for k := range ss {
				j := node[k] - first
				tot[j].g += g[k]
				tot[j].h += h[k]
				for f := 0; f < nFeatures; f++ {
					b := &hist[j][f][bins[k][f]]
					b.g += g[k]
					b.h += h[k]
				}
			}
			for j := 0; j < width; j++ {
				bestGain, bestF, bestB := 0.0, 0, -1
				G, H := tot[j].g, tot[j].h
				for f := 0; f < nFeatures; f++ {
					gl, hl := 0.0, 0.0
					for b := 0; b < len(edges[f]); b++ {
						gl += hist[j][f][b].g
						hl += hist[j][f][b].h
						gr, hr := G-gl, H-hl
						if hl < minH || hr < minH {
							continue
						}
						gain := gl*gl/(hl+lambda) + gr*gr/(hr+lambda) - G*G/(H+lambda)
						if gain > bestGain {
							bestGain, bestF, bestB = gain, f, b
						}
					}
				}
				i := first + j
				if bestB < 0 {
					t.feat[i], t.thr[i] = 0, math.Inf(1)
				} else {
					t.feat[i], t.thr[i] = uint8(bestF), edges[bestF][bestB]
				}
			}
			for k := range ss {
				i := node[k]
				if ss[k].x[t.feat[i]] <= t.thr[i] {
					node[k] = 2*i + 1
				} else {
					node[k] = 2*i + 2
				}
			}
		}
		nl := 1 << gbDepth
		lg, lh := make([]float64, nl), make([]float64, nl)
		for k := range ss {
			l := node[k] - (nl - 1)
			lg[l] += g[k]
			lh[l] += h[k]
		}
		for l := 0; l < nl; l++ {
			t.leaf[l] = -eta * lg[l] / (lh[l] + lambda)
		}
		for k := range ss {
			F[k] += t.leaf[node[k]-(nl-1)]
		}
		m.trees = append(m.trees, t)
	}
	return m
}

// sortSearch is the bin of v: the number of edges below v.
func sortSearch(e []float64, v float64) int {
	lo, hi := 0, len(e)
	for lo < hi {
		mid := (lo + hi) / 2
		if e[mid] < v {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// strict is the evaluation's strict sentence-level scoring of the typo
// findings (see internal/proofread/evaluate).
type strict struct{ pred, gold, det, cor, fa, n int }

func (s strict) String() string {
	dp, dr := float64(s.det)/float64(s.pred), float64(s.det)/float64(s.gold)
	cp, cr := float64(s.cor)/float64(s.pred), float64(s.cor)/float64(s.gold)
	return fmt.Sprintf("det P %.3f R %.3f  cor F1 %.3f  false alarms %.2f%%", dp, dr, 2*cp*cr/(cp+cr), 100*float64(s.fa)/float64(s.n))
}

func (s strict) corF1() float64 {
	if s.pred == 0 || s.gold == 0 || s.cor == 0 {
		return 0
	}
	cp, cr := float64(s.cor)/float64(s.pred), float64(s.cor)/float64(s.gold)
	return 2 * cp * cr / (cp + cr)
}

func strictScore(c *Checker, ps []pairRunes) strict {
	var s strict
	typoPositions := func(src []rune) ([]int, []rune) { return TypoEdits(src, c.Check(string(src))) }
	for _, p := range ps {
		var gold []int
		for i := range p[0] {
			if p[0][i] != p[1][i] {
				gold = append(gold, i)
			}
		}
		pos, out := typoPositions(p[0])
		if len(gold) > 0 {
			s.gold++
		}
		if len(pos) > 0 {
			s.pred++
			if len(gold) > 0 && slices.Equal(pos, gold) {
				s.det++
				if string(out) == string(p[1]) {
					s.cor++
				}
			}
		}
		if pos, _ := typoPositions(p[1]); len(pos) > 0 {
			s.fa++
		}
		s.n++
	}
	return s
}

// The ranker's training settings: trees, learning rate, L2 penalty of the
// leaves, and the least hessian a leaf must hold.
const (
	gbTrees    = 60
	gbPreTrees = 20
	gbEta      = 0.1
	gbLambda   = 1
	gbMinH     = 5
	// odwWeight: see weighted.
	odwWeight = 3
)

// cvFolds is the number of folds of the cross-validation over the dev
// halves of odw, law and med.
const cvFolds = 4

// The wide ranker's training settings (see gbTrees …).
const gbWideTrees = 40

// devSet is one set's dev half for the cross-validation: its pairs, the
// fold of each, the first look's candidates of each and the wide look's
// (found out of fold: with the first-look ranker of the folds without it).
type devSet struct {
	name  string
	pairs []pairRunes
	fold  []int
	first [][]sample
	wide  [][]sample
}

type cvKey struct{ first, more, wide float64 }

// wideOff in the grid switches the wide look off; wideOld decides it
// by the fixed rule of the session before the wide ranker (oldWideRule).
const (
	wideOff = noCandidates
	wideOld = -99
)

// oldWideRule is how the wide look decided before it had a ranker of its
// own, for the cross-validation to compare: a candidate of known
// confusable characters by the first-look ranker at log-odds 2, any other
// only with margins of at least 8 (trigram) and 10 (character model), 2
// more than for any other candidate there.
type oldWideRule struct{}

func (oldWideRule) score(x *[nFeatures]float64) float64 {
	if x[fOdd] == 0 {
		return x[fFirstScore]
	}
	if x[fLGain] >= 8 && x[fCGain] >= 10 && x[fCRivalGap] >= 2 {
		return 2
	}
	return math.Inf(-1)
}

func TestTrainRanker(t *testing.T) {
	if *trainDir == "" {
		t.Skip("learns the ranker; run with -train DIR")
	}
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c.lm.ngram == nil {
		t.Fatal("the ranker weighs the trigram model's margins: install libime-data-language-model")
	}
	wideTrees, wideMinH := gbWideTrees, float64(gbMinH)
	if v, err := strconv.Atoi(os.Getenv("PROOF_WIDE_TREES")); err == nil {
		wideTrees = v
	}
	if v, err := strconv.ParseFloat(os.Getenv("PROOF_WIDE_MINH"), 64); err == nil {
		wideMinH = v
	}
	var sets []*devSet
	for _, name := range []string{"odw", "law", "med"} {
		d := &devSet{name: name, pairs: readDevPairs(t, *trainDir, name)}
		for _, p := range d.pairs {
			// Folds by another hash than the one that made the dev half.
			h := md5.Sum([]byte(string(p[1])))
			d.fold = append(d.fold, int(h[0])%cvFolds)
			ss := collect(c, []pairRunes{p})
			if name == "odw" {
				ss = weighted(ss)
			}
			d.first = append(d.first, ss)
		}
		d.wide = make([][]sample, len(d.pairs))
		sets = append(sets, d)
		t.Logf("%s: %d dev pairs collected", name, len(d.pairs))
	}
	// Synthetic slips (-synth, synthetic_test.go): the wide ranker learns
	// from their wide-look candidates in every fold's training; they have
	// folds of their own only so that those candidates are found out of
	// fold, like the dev pairs'. Never scored.
	if *synthDir != "" {
		n, w := 3000, synthW()
		if v, err := strconv.Atoi(os.Getenv("PROOF_SYN_N")); err == nil {
			n = v
		}
		d := &devSet{name: synthSet, pairs: synthPairs(t, c, *synthDir, n)}
		for _, p := range d.pairs {
			h := md5.Sum([]byte(string(p[1])))
			d.fold = append(d.fold, int(h[0])%cvFolds)
			var ss []sample
			// The first-look ranker learns from them only with
			// PROOF_SYN_FIRST=1: that cost precision in the
			// cross-validation (docs/perf.md).
			if os.Getenv("PROOF_SYN_FIRST") == "1" {
				ss = weightedBy(collect(c, []pairRunes{p}), w)
			}
			d.first = append(d.first, ss)
		}
		d.wide = make([][]sample, len(d.pairs))
		sets = append(sets, d)
		t.Logf("synthetic: %d pairs collected (weight %g)", len(d.pairs), w)
	}
	gather := func(keep func(int) bool, wide bool) []sample {
		var out []sample
		for _, d := range sets {
			for i := range d.pairs {
				if !keep(d.fold[i]) {
					continue
				}
				if wide {
					out = append(out, d.wide[i]...)
				} else {
					out = append(out, d.first[i]...)
				}
			}
		}
		return out
	}
	with := func(rk, pre ranker, preMin float64, wide ranker) lmParams {
		lp := defaultLMParams
		lp.Rank, lp.Pre, lp.PreMin, lp.WideRank = rk, pre, preMin, wide
		return lp
	}
	// 1. Per fold, the first-look ranker of the other folds, and with it
	// the wide look's candidates of this fold.
	type firstModels struct {
		rk, pre *gbRanker
		preMin  float64
	}
	var fm [cvFolds]firstModels
	for f := range cvFolds {
		ss := gather(func(g int) bool { return g != f }, false)
		rk := trainGB(ss, gbTrees, gbEta, gbLambda, gbMinH)
		pre, preMin := trainPre(ss)
		fm[f] = firstModels{rk, pre, preMin}
		for _, d := range sets {
			for i, p := range d.pairs {
				if d.fold[i] == f {
					d.wide[i] = collectWide(c, with(rk, pre, preMin, constRanker(0)), p)
					if d.name == "odw" {
						d.wide[i] = weighted(d.wide[i])
					}
					if d.name == synthSet {
						d.wide[i] = weightedBy(d.wide[i], synthW())
					}
				}
			}
		}
	}
	t.Logf("the wide look's candidates collected out of fold")
	// 2. Per fold, the wide ranker of the other folds' candidates, and the
	// grid of thresholds on this fold.
	firsts, mores := []float64{0.5, 1, 1.5, 2}, []float64{-0.5}
	if os.Getenv("PROOF_QUICK") != "" {
		firsts = []float64{1}
	}
	wides := []float64{wideOff, wideOld, -2, -1, -0.5, 0, 0.5, 1, 2}
	if v := os.Getenv("PROOF_WIDES"); v != "" { // a shorter grid, for trying variants
		wides = wides[:0]
		for _, f := range strings.Split(v, ",") {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			wides = append(wides, x)
		}
	}
	sum := map[string]map[cvKey]strict{}
	for _, d := range sets {
		sum[d.name] = map[cvKey]strict{}
	}
	for f := range cvFolds {
		t.Logf("fold %d", f)
		wk := trainGB(gather(func(g int) bool { return g != f }, true), wideTrees, gbEta, gbLambda, wideMinH)
		for _, first := range firsts {
			for _, more := range mores {
				for _, wide := range wides {
					lp := with(fm[f].rk, fm[f].pre, fm[f].preMin, wk)
					lp.First, lp.More, lp.Min, lp.Wide = first, more, more, wide
					if wide == wideOld {
						lp.WideRank, lp.Wide = oldWideRule{}, 2
					}
					cc := *c
					cc.lmp = &lp
					k := cvKey{first, more, wide}
					for _, d := range sets {
						if d.name == synthSet {
							continue
						}
						var ps []pairRunes
						for i, p := range d.pairs {
							if d.fold[i] == f {
								ps = append(ps, p)
							}
						}
						s := strictScore(&cc, ps)
						a := sum[d.name][k]
						a.pred, a.gold, a.det, a.cor, a.fa, a.n = a.pred+s.pred, a.gold+s.gold, a.det+s.det, a.cor+s.cor, a.fa+s.fa, a.n+s.n
						sum[d.name][k] = a
					}
				}
			}
		}
	}
	for _, first := range firsts {
		for _, more := range mores {
			for _, wide := range wides {
				k := cvKey{first, more, wide}
				w := fmt.Sprintf("%4.1f", wide)
				switch wide {
				case wideOff:
					w = " off"
				case wideOld:
					w = " old"
				}
				t.Logf("cross-validated, First %4.1f More %4.1f Wide %s: odw %v | law %v | med %v", first, more, w,
					sum["odw"][k], sum["law"][k], sum["med"][k])
			}
		}
	}
	// The rule: the best odw correction F1 with at most 1 % of the correct
	// odw and law sentences flagged; of equals, the one that flags fewer
	// sentences, then the higher thresholds (the grid is walked from the
	// highest).
	best, bestF1 := cvKey{}, -1.0
	for _, first := range slices.Backward(firsts) {
		for _, more := range slices.Backward(mores) {
			for _, wide := range slices.Backward(wides) {
				k := cvKey{first, more, wide}
				s, l := sum["odw"][k], sum["law"][k]
				if wide == wideOld || s.fa*100 > s.n || l.fa*100 > l.n {
					continue
				}
				if f1 := s.corF1(); f1 > bestF1+1e-9 || math.Abs(f1-bestF1) <= 1e-9 && s.fa < sum["odw"][best].fa {
					best, bestF1 = k, f1
				}
			}
		}
	}
	t.Logf("chosen by the cross-validation: First %.1f More %.1f Wide %.1f (odw %v)", best.first, best.more, best.wide, sum["odw"][best])

	all := func(int) bool { return true }
	ss := gather(all, false)
	rk := trainGB(ss, gbTrees, gbEta, gbLambda, gbMinH)
	pre, preMin := trainPre(ss)
	wss := gather(all, true)
	wk := trainGB(wss, wideTrees, gbEta, gbLambda, wideMinH)
	pos := 0.0
	for _, x := range wss {
		pos += x.y
	}
	t.Logf("wide-look samples right: %.0f", pos)
	t.Logf("%d first-look samples, %d wide-look samples (out of fold)", len(ss), len(wss))
	n, nSyn := 0, 0
	for _, d := range sets {
		if d.name == synthSet {
			nSyn += len(d.pairs)
		} else {
			n += len(d.pairs)
		}
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by TestTrainRanker (ranker_train_test.go); DO NOT EDIT.\n\npackage proofread\n\n")
	fmt.Fprintf(&b, "// rankerModel, rankerPre and rankerWide were learnt from %d dev pairs of ECSpell's odw, law and med training sets.\n", n)
	if nSyn > 0 {
		fmt.Fprintf(&b, "// rankerWide also from %d sentences of the corpus of official Chinese with synthetic slips.\n", nSyn)
	}
	writeGB(&b, "rankerModel", rk)
	writeGB(&b, "rankerPre", pre)
	writeGB(&b, "rankerWide", wk)
	fmt.Fprintf(&b, "const rankerPreMin = %s\n", strconv.FormatFloat(preMin, 'g', -1, 64))
	src := b.Bytes()
	if bytes.Contains(src, []byte("math.Inf")) {
		src = bytes.Replace(src, []byte("package proofread\n"), []byte("package proofread\n\nimport \"math\"\n"), 1)
	}
	src, err = format.Source(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("ranker_model.go", src, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote ranker_model.go (%d + %d + %d trees)", len(rk.trees), len(pre.trees), len(wk.trees))
	for name, m := range map[string]*gbRanker{"first look": rk, "wide look": wk} {
		var used [nFeatures]int
		for _, tr := range m.trees {
			for i, f := range tr.feat {
				if !math.IsInf(tr.thr[i], 1) {
					used[f]++
				}
			}
		}
		for f, n := range used {
			if n > 0 {
				t.Logf("%s splits on %-24s %d", name, featureNames[f], n)
			}
		}
	}
}

// collectWide checks p with lp and returns the wide look's candidates
// (none taken), labelled as collect labels them.
func collectWide(c *Checker, lp lmParams, p pairRunes) []sample {
	lp.Wide = noCandidates - 1 // the look is taken, none of its candidates
	cc := *c
	cc.lmp = &lp
	var out []sample
	cc.traceWide = func(props []proposal, xs [][nFeatures]float64) {
		for i, q := range props {
			y := 1.0
			for j, r := range []rune(q.word) {
				if k := q.start + j; r != p[0][k] && r != p[1][k] {
					y = 0
				}
			}
			out = append(out, sample{x: xs[i], y: y})
		}
	}
	cc.Check(string(p[0]))
	return out
}

// writeGB writes the Go declaration of a boosted-trees model.
func writeGB(b *bytes.Buffer, name string, rk *gbRanker) {
	fmt.Fprintf(b, "var %s = gbRanker{base: %s, trees: []gbTree{\n", name, strconv.FormatFloat(rk.base, 'g', -1, 64))
	for _, tr := range rk.trees {
		b.WriteString("\t{feat: [...]uint8{")
		for i, f := range tr.feat {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprint(b, f)
		}
		b.WriteString("}, thr: [...]float64{")
		for i, v := range tr.thr {
			if i > 0 {
				b.WriteString(", ")
			}
			if math.IsInf(v, 1) {
				b.WriteString("math.Inf(1)")
			} else {
				b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
		b.WriteString("}, leaf: [...]float64{")
		for i, v := range tr.leaf {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.FormatFloat(float64(float32(v)), 'g', -1, 32))
		}
		b.WriteString("}},\n")
	}
	b.WriteString("}}\n\n")
}

// trainPre fits the pre-ranker on the samples without the trigram
// features, and the score that keeps all but preMiss of the right
// candidates.
func trainPre(ss []sample) (*gbRanker, float64) {
	pre := make([]sample, len(ss))
	var pos []float64
	for i, s := range ss {
		preFeatures(&s.x)
		pre[i] = s
	}
	m := trainGB(pre, gbPreTrees, gbEta, gbLambda, gbMinH)
	for _, s := range pre {
		if s.y == 1 {
			pos = append(pos, m.score(&s.x))
		}
	}
	slices.Sort(pos)
	return m, pos[int(preMiss*float64(len(pos)))]
}

// preMiss is the share of right candidates (of the training samples) the
// pre-ranker may drop.
const preMiss = 0.05

// weighted gives 公文 samples (odw) odwWeight times the weight of the
// others: the ranker is for 公文 first.
func weighted(ss []sample) []sample {
	for i := range ss {
		ss[i].w = odwWeight
	}
	return ss
}

// weightedBy gives samples the weight w.
func weightedBy(ss []sample, w float64) []sample {
	for i := range ss {
		ss[i].w = w
	}
	return ss
}

// synthSet names the synthetic pairs among the dev sets.
const synthSet = "synthetic"

// synthW is the weight of the synthetic samples (PROOF_SYN_W, default 1).
func synthW() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("PROOF_SYN_W"), 64); err == nil {
		return v
	}
	return 1
}

// constRanker scores every candidate alike.
type constRanker float64

func (r constRanker) score(*[nFeatures]float64) float64 { return float64(r) }
