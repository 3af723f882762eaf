package proofread

import (
	"math"
	"os"
	"unsafe"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
)

// CharModelNone in Config.CharModel switches the character model off.
const CharModelNone = "none"

// findCharModel opens the configured character model, or the shipped one.
// A file is mapped into memory; the shipped model is read in place from
// the binary, so neither is parsed or copied at start-up.
func findCharModel(path string) (*charlm.Model, error) {
	if path == "" {
		path = os.Getenv("SHUNIU_PROOFREAD_CHARLM")
	}
	switch {
	case path == CharModelNone:
		return nil, nil
	case path != "":
		return charlm.Open(path)
	case shippedCharModel != "":
		// The string's bytes, without the copy a conversion would make:
		// the model stays in the binary's read-only data, paged in as
		// it is used, and charlm never writes to it.
		return charlm.FromBytes(unsafe.Slice(unsafe.StringData(shippedCharModel), len(shippedCharModel)))
	}
	return nil, nil
}

// CharModelEntries is the number of n-grams of each order in the character
// model in use, nil when there is none.
func (c *Checker) CharModelEntries() []uint64 {
	if c.lm.char == nil {
		return nil
	}
	return c.lm.char.Entries()
}

// normRunes is rs as the character model counts it.
func normRunes(rs []rune, buf []rune) []rune {
	buf = buf[:0]
	for _, r := range rs {
		buf = append(buf, charlm.Norm(r))
	}
	return buf
}

// charGain is the character model's verdict on writing word over
// norm[s:s+len(word)] (norm: the text through charlm.Norm): the log
// probability (natural log) of the text from s to a few characters past
// the change with the change minus without it; and how surprising the
// text's own characters there are (minus their mean log probability).
// normLP caches the text's own log probabilities (NaN: not yet asked):
// the candidates of a run share them, so only the changed text is scored
// for each.
func (m *model) charGain(local *charlm.Counts, norm []rune, normLP []float32, s int, word []rune, buf []rune) (gain, surprise float64, _ []rune) {
	cm := m.char
	if cm == nil {
		return 0, 0, buf
	}
	e := s + len(word)
	lo, hi := max(0, s-(cm.Order()-1)), min(len(norm), e+cm.Order()-1)
	buf = append(buf[:0], norm[lo:hi]...)
	for i, r := range word {
		buf[s-lo+i] = charlm.Norm(r)
	}
	// The text's own characters not yet scored, a stretch at a time.
	for i := s; i < hi; {
		if v := normLP[i]; v == v { // not NaN
			i++
			continue
		}
		j := i + 1
		for j < hi && normLP[j] != normLP[j] {
			j++
		}
		m.charLogProbs(local, norm, i, j, normLP[i:j])
		i = j
	}
	var orig, own float64
	for i := s; i < hi; i++ {
		v := normLP[i]
		orig += float64(v)
		if i < e {
			own += float64(v)
		}
	}
	// Only the characters from the first changed one to order−1 past the
	// last have another context than in the text: the others' log
	// probabilities are the text's own, already known (same sum, same order).
	first, last := e, s
	for i := range word {
		if buf[s-lo+i] != norm[s+i] {
			first, last = min(first, s+i), s+i
		}
	}
	// The changed stretch, scored in one pass over buf (the same contexts
	// as one LogProb a character: buf starts order−1 before s).
	ca, cb := max(first, s), min(hi, last+cm.Order())
	var changed [2*contextReach + 8]float32
	var lps []float32
	if cb > ca {
		if cb-ca <= len(changed) {
			lps = changed[:cb-ca]
		} else {
			lps = make([]float32, cb-ca)
		}
		m.charLogProbs(local, buf, ca-lo, cb-lo, lps)
	}
	var cand float64
	for i := s; i < hi; i++ {
		if i < first || i >= last+cm.Order() {
			cand += float64(normLP[i])
			continue
		}
		cand += float64(lps[i-ca])
	}
	return (cand - orig) * ln10, -own * ln10 / float64(len(word)), buf
}

// localPrior is how many observations the shipped model's probability
// counts as against the deployment's own text (Config.Local): with a
// context seen n times in the office's issued documents, the probability
// of what follows is (seen after it + localPrior·p) / (n + localPrior).
// Chosen, not tuned: no evaluation set has a deployment's documents.
const localPrior = 4

// localMinContext is the shortest context of the office's text that
// adapts a probability: a single preceding character is too common to say
// anything about the office's own phrases.
const localMinContext = 2

// charLogProb is the character model's log10 p(w | ctx), adapted to the
// deployment's own issued text when there is some (MAP adaptation with
// the shipped model as the prior, on the longest context of the office's
// text of 2–4 characters; elsewhere the shipped model alone).
func (m *model) charLogProb(local *charlm.Counts, ctx []rune, w rune) float32 {
	p := m.char.LogProb(ctx, w)
	if local == nil {
		return p
	}
	return localMix(local, ctx, w, p)
}

// charLogProbs sets out[i-from] to charLogProb of rs[i] after what precedes
// it in rs, for every i in [from, to), in one pass (charlm.Model.LogProbs).
func (m *model) charLogProbs(local *charlm.Counts, rs []rune, from, to int, out []float32) {
	m.char.LogProbs(rs, from, to, out)
	if local == nil {
		return
	}
	for i := from; i < to; i++ {
		out[i-from] = localMix(local, rs[max(0, i-(m.char.Order()-1)):i], rs[i], out[i-from])
	}
}

// localMix is p, the shipped model's log10 p(w | ctx), adapted to the
// deployment's own text (see charLogProb).
func localMix(local *charlm.Counts, ctx []rune, w rune, p float32) float32 {
	ch, chw, k := local.Context(ctx, w, localMinContext)
	if k == 0 {
		return p
	}
	mixed := (float64(chw) + localPrior*math.Pow(10, float64(p))) / (float64(ch) + localPrior)
	return float32(math.Log10(mixed))
}

// nan marks a log probability not yet computed.
var nan = math.NaN()
