package proofread

import "math"

// The ranker decides on a candidate correction from what the scoring
// found out about it: the trigram and unigram margins, the kind of
// confusion, the bigram evidence, the frequencies involved and how the
// candidate fares against the other candidates for its position. It is a
// small model of gradient-boosted trees (rankerModel, ranker_model.go)
// learnt from the development halves of ECSpell's training pairs (see
// TestTrainRanker); its score is the log-odds that the correction is
// right, which selectTypos compares with lmParams.First and More.

// Features of a candidate; the order is that of the trees' feat.
const (
	fBias = iota
	fLGain
	fLGainHigh // the trigram margin above 9: a clear verdict counts more
	fUGain
	fCost
	fSameSound
	fOtherTone
	fListed
	fNearSound
	fShape
	fNoEvidence
	fBothEvidence
	fHom
	fWordRunes
	fWordFreq
	fOrigCharFreq
	fCandCharFreq
	fOrigWordFreq
	fGuarded
	fIdiom
	fChanged
	fOwnEvidence
	fLGainNoEv
	fLGainHom
	fRivalGap
	fRivals
	fRunLen
	fAtEdge
	fLMWord
	fLMOrig
	fCGain     // the character model's margin
	fCGainHigh // … above 9
	fCSurprise // how unlikely the character model finds the text's own characters
	// What only the wide look knows (see widen; 0 for the first look's
	// candidates, which the wide ranker never sees): the first-look
	// ranker's score, whether the characters are known to be confusable,
	// whether the first look gathers the candidate too, the surprise at the
	// character questioned, the character model's margin over the best
	// other candidate there, and how near and how sure the corrections of
	// the sentence are.
	fFirstScore
	fOdd
	fAgain
	fSuspect
	fCRivalGap
	fNearFix
	fFixes
	fFixScore
	nFeatures
)

// featureNames label the features in the trainer's report.
var featureNames = [nFeatures]string{"bias", "lgain", "lgain>9", "ugain", "cost", "same sound", "other tone", "listed",
	"near sound", "shape", "no evidence", "both evidence", "homophone word", "word runes", "log word freq",
	"log orig char freq", "log cand char freq", "log orig word freq", "guarded", "idiom", "changed", "own evidence", "lgain × no evidence", "lgain × homophone word",
	"gap to rival", "rivals", "log run length", "at run edge", "word's LM unigram", "text's LM unigram",
	"char gain", "char gain>9", "char surprise",
	"first-look score", "odd", "again", "suspect", "char gap to rival", "distance to a fix", "fixes", "nearest fix's score"}

// charFreq is a character's frequency as a word.
func (m *model) charFreq(r rune) int32 {
	if r < 0 || r >= rune(len(m.cfreq)) {
		return 0
	}
	return m.cfreq[r]
}

func clip(x, lo, hi float64) float64 { return max(lo, min(hi, x)) }

func logFreq(f int32) float64 { return math.Log1p(float64(max(f, 0))) }

// features describes p in text rs (p.start indexes rs).
func (m *model) features(rs []rune, p *proposal) [nFeatures]float64 {
	var x [nFeatures]float64
	x[fBias] = 1
	x[fLGain] = clip(p.lgain, -20, 30)
	x[fLGainHigh] = clip(p.lgain-9, 0, 30)
	x[fUGain] = clip(p.ugain, -20, 30)
	x[fCost] = p.cost
	switch p.kind {
	case confSameSound:
		x[fSameSound] = 1
	case confSameSoundOtherTone:
		x[fOtherTone] = 1
	case confListed:
		x[fListed] = 1
	case confNearSound:
		x[fNearSound] = 1
	case confShape:
		x[fShape] = 1
	}
	switch p.ev {
	case 0:
		x[fNoEvidence] = 1
	case 2:
		x[fBothEvidence] = 1
	}
	if p.hom {
		x[fHom] = 1
	}
	wr := []rune(p.word)
	x[fWordRunes] = float64(len(wr))
	x[fWordFreq] = logFreq(m.freqWord(p.word))
	orig := rs[p.pos]
	x[fOrigCharFreq] = logFreq(m.charFreq(orig))
	x[fCandCharFreq] = logFreq(m.charFreq(p.to))
	x[fOrigWordFreq] = logFreq(p.origF)
	if functionChar[orig] {
		x[fGuarded] = 1
	}
	if len(wr) == 4 && m.idioms[p.word] {
		x[fIdiom] = 1
	}
	n := 0
	for i, r := range wr {
		if p.start+i < len(rs) && rs[p.start+i] != r {
			n++
		}
	}
	x[fChanged] = float64(n)
	if p.ownEv {
		x[fOwnEvidence] = 1
	}
	x[fLGainNoEv] = x[fLGain] * x[fNoEvidence]
	x[fRivalGap] = clip(p.rivalGap, -30, 30)
	x[fRivals] = float64(p.rivals)
	runEnd := p.runEnd
	if runEnd <= p.runStart {
		runEnd = len(rs)
	}
	x[fRunLen] = math.Log(float64(max(1, runEnd-p.runStart)))
	if p.start <= p.runStart || p.end >= runEnd {
		x[fAtEdge] = 1
	}
	if g := m.ngram; g != nil {
		x[fLMWord] = float64(g.logProb(nil, p.wid))
		x[fLMOrig] = float64(g.logProb(nil, p.origWid))
	}
	x[fLGainHom] = x[fLGain] * x[fHom]
	x[fCGain] = clip(p.cgain, -30, 30)
	x[fCGainHigh] = clip(p.cgain-9, 0, 30)
	x[fCSurprise] = clip(p.csurprise, 0, 30)
	return x
}

// ranker gives the log-odds that a candidate with features x is right.
type ranker interface {
	score(x *[nFeatures]float64) float64
}

// gbDepth is the depth of the ranker's trees.
const gbDepth = 4

// gbTree is one regression tree of gradient boosting, complete: internal
// node i has children 2i+1 and 2i+2, and x goes left when
// x[feat[i]] <= thr[i].
type gbTree struct {
	feat [1<<gbDepth - 1]uint8
	thr  [1<<gbDepth - 1]float64
	leaf [1 << gbDepth]float64
}

func (t *gbTree) eval(x *[nFeatures]float64) float64 {
	i := 0
	for range gbDepth {
		if x[t.feat[i]] <= t.thr[i] {
			i = 2*i + 1
		} else {
			i = 2*i + 2
		}
	}
	return t.leaf[i-(1<<gbDepth-1)]
}

// gbRanker is a sum of boosted trees for the logistic loss.
type gbRanker struct {
	base  float64
	trees []gbTree
}

func (m *gbRanker) score(x *[nFeatures]float64) float64 {
	s := m.base
	for i := range m.trees {
		s += m.trees[i].eval(x)
	}
	return s
}

// preFeatures drops from x what only the trigram search tells: the
// pre-ranker judges a candidate before that search, to spare it for the
// hopeless ones.
func preFeatures(x *[nFeatures]float64) {
	for _, f := range [...]int{fLGain, fLGainHigh, fLGainNoEv, fLGainHom, fRivalGap, fRivals} {
		x[f] = 0
	}
}
