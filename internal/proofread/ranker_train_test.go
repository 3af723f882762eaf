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
// It reports a two-fold cross-validation on the odw dev half for a grid of
// thresholds (how First and More were chosen), then fits on every dev pair
// and writes ranker_model.go.
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
	odw := readDevPairs(t, *trainDir, "odw")
	others := append(readDevPairs(t, *trainDir, "law"), readDevPairs(t, *trainDir, "med")...)
	var othersS []sample

	// Two folds of the odw dev half, split by another hash than the one
	// that made it.
	var folds [2][]pairRunes
	for _, p := range odw {
		h := md5.Sum([]byte(string(p[1])))
		folds[h[0]%2] = append(folds[h[0]%2], p)
	}
	firsts, mores := []float64{0, 0.5, 1, 1.5, 2, 2.5, 3}, []float64{-1, -0.5, 0, 0.5}
	type key struct{ first, more float64 }
	sum := map[key]strict{}
	for f := range folds {
		if othersS == nil {
			othersS = collect(c, others)
		}
		ss := append(weighted(collect(c, folds[f])), othersS...)
		rk := trainGB(ss, gbTrees, gbEta, gbLambda, gbMinH)
		pre, preMin := trainPre(ss)
		for _, first := range firsts {
			for _, more := range mores {
				lp := defaultLMParams
				lp.Rank, lp.First, lp.More, lp.Min = rk, first, more, more
				lp.Pre, lp.PreMin = pre, preMin
				cc := *c
				cc.lmp = &lp
				s := strictScore(&cc, folds[1-f])
				a := sum[key{first, more}]
				a.pred, a.gold, a.det, a.cor, a.fa, a.n = a.pred+s.pred, a.gold+s.gold, a.det+s.det, a.cor+s.cor, a.fa+s.fa, a.n+s.n
				sum[key{first, more}] = a
			}
		}
	}
	for _, first := range firsts {
		for _, more := range mores {
			t.Logf("cross-validated, First %4.1f More %4.1f: %v", first, more, sum[key{first, more}])
		}
	}

	ss := append(weighted(collect(c, odw)), collect(c, others)...)
	rk := trainGB(ss, gbTrees, gbEta, gbLambda, gbMinH)
	pre, preMin := trainPre(ss)
	var b bytes.Buffer
	b.WriteString("// Code generated by TestTrainRanker (ranker_train_test.go); DO NOT EDIT.\n\npackage proofread\n\n")
	fmt.Fprintf(&b, "// rankerModel and rankerPre were learnt from %d dev pairs of ECSpell's odw, law and med training sets.\n", len(odw)+len(others))
	writeGB(&b, "rankerModel", rk)
	writeGB(&b, "rankerPre", pre)
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
	t.Logf("wrote ranker_model.go (%d + %d trees)", len(rk.trees), len(pre.trees))
	// Which features the trees split on, and how often.
	var used [nFeatures]int
	for _, tr := range rk.trees {
		for i, f := range tr.feat {
			if !math.IsInf(tr.thr[i], 1) {
				used[f]++
			}
		}
	}
	for f, n := range used {
		if n > 0 {
			t.Logf("splits on %-24s %d", featureNames[f], n)
		}
	}
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

// constRanker scores every candidate alike.
type constRanker float64

func (r constRanker) score(*[nFeatures]float64) float64 { return float64(r) }
