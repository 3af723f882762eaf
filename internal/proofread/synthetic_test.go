package proofread

import (
	"bufio"
	"compress/gzip"
	"flag"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
)

// Synthetic slips for the ranker's training (TestTrainRanker with
// -synth DIR): clean sentences of the corpus of official Chinese get
// realistic typos — a character replaced by one of the same sound (most
// often), of the same sound in another tone, of a near sound (IME fuzzy
// pairs), a listed confusable or a look-alike of the 形近字表 — and the
// pairs (slipped, clean) are collected like ECSpell's dev pairs. They are
// only ever learnt from, never scored: the thresholds are still chosen by
// the cross-validation on the dev halves. The corpus lines held out of
// official.lm (charlm.HeldOut, one in 500) are never used.
var synthDir = flag.String("synth", "", "folder of the corpus of official Chinese: add synthetic slips to the ranker's training")

// synthFiles are the corpus files sentences are taken from: the laws and
// regulations and the government work reports. The news transcripts are
// left out (their text may be used for n-gram statistics only).
var synthFiles = []string{"govreports_aldohemsn.txt.gz", "lawrefbook_laws.txt.gz"}

// synthSentences takes up to n clean sentences (12–60 runes, mostly Han)
// from the corpus, spread over it by a hash of the line, half from each
// file.
func synthSentences(t *testing.T, dir string, n int) ([]string, map[rune]int) {
	t.Helper()
	var out []string
	counts := map[rune]int{}
	for fi, name := range synthFiles {
		want := n / len(synthFiles)
		if fi == len(synthFiles)-1 {
			want = n - len(out)
		}
		// One line in every: the reports have 7,239 lines, the laws 327,074.
		every := uint32(2)
		if strings.HasPrefix(name, "law") {
			every = 97
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		got := 0
		for sc.Scan() && got < want {
			line := sc.Text()
			if charlm.HeldOut(line, 500) {
				continue
			}
			for _, r := range line {
				counts[r]++
			}
			h := fnv.New32()
			h.Write([]byte(line))
			if h.Sum32()%every != 1 {
				continue
			}
			for _, s := range splitSentences(line) {
				if got < want && cleanSentence(s) {
					out = append(out, s)
					got++
					break // one sentence a line: more lines, more variety
				}
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out, counts
}

func splitSentences(line string) []string {
	var out []string
	rs := []rune(line)
	st := 0
	for i, r := range rs {
		if r == '。' || r == '！' || r == '？' || r == '；' {
			out = append(out, string(rs[st:i+1]))
			st = i + 1
		}
	}
	return out
}

func cleanSentence(s string) bool {
	rs := []rune(s)
	if len(rs) < 12 || len(rs) > 60 {
		return false
	}
	han := 0
	for _, r := range rs {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < 0x80, r == '（', r == '）', r == '《', r == '》', r == '“', r == '”', r == '【', r == '】', r == '〔', r == '〕':
			return false // numbers, Latin, brackets: headings, citations
		}
	}
	return han*10 >= len(rs)*8
}

// slipper injects slips into sentences.
type slipper struct {
	m      *model
	common []rune           // characters seen at least 20 times in the corpus text read
	weight map[rune]float64 // √count: an IME offers the common characters first
	rnd    *rand.Rand
}

func newSlipper(m *model, counts map[rune]int) *slipper {
	s := &slipper{m: m, rnd: rand.New(rand.NewPCG(13, 2026)), weight: map[rune]float64{}}
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if len(m.chars[r].sound) > 0 && counts[r] >= 20 {
			s.common = append(s.common, r)
			s.weight[r] = math.Sqrt(float64(counts[r]))
		}
	}
	return s
}

// pick draws one of xs with probability ∝ its weight.
func (s *slipper) pick(xs []rune) rune {
	sum := 0.0
	for _, x := range xs {
		sum += s.weight[x]
	}
	u := s.rnd.Float64() * sum
	for _, x := range xs {
		if u -= s.weight[x]; u <= 0 {
			return x
		}
	}
	return xs[len(xs)-1]
}

// replacement picks a character a writer could have typed for a: by kind
// (same sound 55 %, other tone 15 %, near sound 8 %, listed 7 %, look-alike
// 15 %), among the common characters of that kind by √count.
func (s *slipper) replacement(a rune) (rune, bool) {
	var by [confShape + 1][]rune
	for _, x := range s.common {
		if x != a {
			if k := s.m.confusion(a, x); k != confNone {
				by[k] = append(by[k], x)
			}
		}
	}
	for _, x := range s.m.chars[a].shape {
		if _, ok := s.weight[x]; ok && x != a && !slices.Contains(by[confShape], x) {
			by[confShape] = append(by[confShape], x)
		}
	}
	u := s.rnd.Float64()
	kind := confSameSound
	switch {
	case u < 0.55:
	case u < 0.70:
		kind = confSameSoundOtherTone
	case u < 0.78:
		kind = confNearSound
	case u < 0.85:
		kind = confListed
	default:
		kind = confShape
	}
	for _, k := range []int{kind, confSameSound, confSameSoundOtherTone, confShape} {
		if len(by[k]) > 0 {
			return s.pick(by[k]), true
		}
	}
	return 0, false
}

// slip returns the sentence with 1–3 slips (1 in 60 %, 2 in 30 %, 3 in
// 10 % of sentences) at distinct Han positions.
func (s *slipper) slip(sent string) (pairRunes, bool) {
	tgt := []rune(sent)
	src := append([]rune(nil), tgt...)
	k := 1
	if u := s.rnd.Float64(); u >= 0.9 {
		k = 3
	} else if u >= 0.6 {
		k = 2
	}
	done := 0
	for try := 0; try < 20 && done < k; try++ {
		i := s.rnd.IntN(len(src))
		if src[i] != tgt[i] || !unicode.Is(unicode.Han, tgt[i]) || tgt[i] >= 0x10000 {
			continue
		}
		if x, ok := s.replacement(tgt[i]); ok {
			src[i] = x
			done++
		}
	}
	return pairRunes{src, tgt}, done > 0
}

// synthPairs makes n synthetic pairs from the corpus in dir.
func synthPairs(t *testing.T, c *Checker, dir string, n int) []pairRunes {
	sents, counts := synthSentences(t, dir, n)
	sl := newSlipper(c.lm, counts)
	var out []pairRunes
	for _, s := range sents {
		if p, ok := sl.slip(s); ok {
			out = append(out, p)
		}
	}
	return out
}

// TestSynthShow prints a few synthetic pairs (with -synth DIR).
func TestSynthShow(t *testing.T) {
	if *synthDir == "" {
		t.Skip("shows synthetic slips; run with -synth DIR")
	}
	c, err := New(Config{NgramModel: NgramModelNone})
	if err != nil {
		t.Fatal(err)
	}
	ps := synthPairs(t, c, *synthDir, 3000)
	t.Logf("%d pairs", len(ps))
	for _, p := range ps[:min(len(ps), 15)] {
		t.Logf("%s → %s", string(p[0]), string(p[1]))
	}
	for _, p := range ps[len(ps)-15:] {
		t.Logf("%s → %s", string(p[0]), string(p[1]))
	}
}
