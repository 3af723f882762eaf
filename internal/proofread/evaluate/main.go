// Command evaluate measures the proofreader on the ECSpell sentence pairs
// (typo detection and correction, strict sentence level) and on 公文-style
// sentences with injected rule errors (punctuation, repetition, term,
// number).
//
//	go run ./internal/proofread/evaluate -data ../shared/data/proofread/ecspell
//
// The odw set is split by a hash of each sentence into a dev half (used
// while developing and tuning) and a test half that was never looked at;
// -split chooses which to report. -show prints the dev mistakes; it refuses
// to print test sentences.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/proofread"
)

type pair struct{ src, tgt []rune }

func main() {
	data := flag.String("data", "../shared/data/proofread/ecspell", "folder holding odw_train.tsv, law_train.tsv, med_train.tsv")
	split := flag.String("split", "test", "which half of each set: dev, test or all")
	sets := flag.String("sets", "odw,law,med", "comma-separated sets")
	threshold := flag.Float64("threshold", 0, "unigram-model margin when no trigram model is loaded (0 = the default)")
	show := flag.Int("show", 0, "print up to N wrong dev predictions per set, and up to N flagged held-out corpus sentences per file")
	corpus := flag.String("corpus", "", "folder of the model's text corpus: also measure false alarms on its held-out lines")
	holdOut := flag.Int("holdout", 500, "the builds' --holdout: one line in N of the corpus is held out")
	perFile := flag.Int("clean", 1000, "held-out corpus sentences per file")
	sensitivity := flag.String("sensitivity", "", "the typo check's level: strict, standard or lenient (empty: standard)")
	flag.Parse()
	if err := run(os.Stdout, *data, *split, strings.Split(*sets, ","), proofread.Config{TypoThreshold: *threshold, Sensitivity: proofread.Sensitivity(*sensitivity)}, *show, corpusOpts{*corpus, *holdOut, *perFile}); err != nil {
		fmt.Fprintln(os.Stderr, "evaluate:", err)
		os.Exit(1)
	}
}

type corpusOpts struct {
	dir              string
	holdOut, perFile int
}

func run(w io.Writer, dir, split string, sets []string, cfg proofread.Config, show int, co corpusOpts) error {
	if show > 0 && split != "dev" {
		return fmt.Errorf("-show prints only the dev split")
	}
	t0 := time.Now()
	c, err := proofread.New(cfg)
	if err != nil {
		return err
	}
	lm := c.NgramModelPath()
	if lm == "" {
		lm = "none (unigram model only)"
	}
	fmt.Fprintf(w, "loaded in %v; split=%s; word trigram model: %s; character model: %v n-grams\n\n", time.Since(t0).Round(time.Millisecond), split, lm, c.CharModelEntries())
	if co.dir != "" {
		if err := cleanCorpus(w, c, co.dir, co.holdOut, co.perFile, show); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "| set | sentences | with errors | det P | det R | det F1 | cor P | cor R | cor F1 | false alarms |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	var results []result
	for _, set := range sets {
		ps, err := readPairs(filepath.Join(dir, set+"_train.tsv"))
		if err != nil {
			return err
		}
		ps = pick(ps, split)
		r := score(c, ps, show, w)
		r.set = set
		results = append(results, r)
		fmt.Fprintf(w, "| %s | %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f%% (%d/%d) |\n", set, r.n, r.gold,
			r.dp(), r.dr(), f1(r.dp(), r.dr()), r.cp(), r.cr(), f1(r.cp(), r.cr()), 100*float64(r.fa)/float64(r.n), r.fa, r.n)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Character level (each flagged character is one finding a clerk sees):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| set | wrong characters | flagged | flagged that are wrong (P) | share of wrong ones flagged (R) | flagged and corrected right |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %d | %d | %.3f | %.3f | %.3f |\n", r.set, r.errors, r.flagged, ratio(r.flaggedRight, r.flagged), ratio(r.flaggedRight, r.errors), ratio(r.fixedRight, r.flagged))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Sentences flagged but not detected exactly (what pulls strict detection precision down):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| set | flagged | exact | only some of its errors, nothing else | a correct position flagged | sentence has no error |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d |\n", r.set, r.predicted, r.detTP, r.partial, r.wrongPos, r.noError)
	}
	fmt.Fprintln(w)
	ps, err := readPairs(filepath.Join(dir, "odw_train.tsv"))
	if err != nil {
		return err
	}
	injected(w, c, pick(ps, split))
	return nil
}

func readPairs(path string) ([]pair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []pair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		a, b, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		s, t := []rune(a), []rune(b)
		if len(s) != len(t) {
			continue
		}
		out = append(out, pair{s, t})
	}
	return out, sc.Err()
}

// pick keeps the dev or the test half: the split is by a hash of the
// target sentence, so it is stable and independent of file order.
func pick(ps []pair, split string) []pair {
	if split == "all" {
		return ps
	}
	var out []pair
	for _, p := range ps {
		h := fnv.New32a()
		h.Write([]byte(string(p.tgt)))
		isTest := h.Sum32()%2 == 1
		if isTest == (split == "test") {
			out = append(out, p)
		}
	}
	return out
}

type result struct {
	n, gold, predicted, detTP, corTP, fa int
	// character level: flagged positions, those that are errors, those
	// also corrected right, and all error positions.
	flagged, flaggedRight, fixedRight, errors int
	// Sentences flagged but not detected exactly: only some of their
	// errors flagged and nothing else (partial), any correct position
	// flagged (wrongPos), and the whole sentence correct (noError).
	partial, wrongPos, noError int
	set                        string
}

func (r result) dp() float64 { return ratio(r.detTP, r.predicted) }
func (r result) dr() float64 { return ratio(r.detTP, r.gold) }
func (r result) cp() float64 { return ratio(r.corTP, r.predicted) }
func (r result) cr() float64 { return ratio(r.corTP, r.gold) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// predict returns the flagged positions and the corrected sentence from
// the typo findings.
func predict(c *proofread.Checker, s []rune) ([]int, []rune) {
	return proofread.TypoEdits(s, c.Check(string(s)))
}

// score computes the strict sentence-level figures of the CSC literature:
// a sentence is detected only when exactly its wrong positions are flagged,
// corrected only when the corrected sentence equals the target. The false
// alarm rate is over the targets (correct sentences).
func score(c *proofread.Checker, ps []pair, show int, w io.Writer) result {
	var r result
	shown := 0
	for _, p := range ps {
		var gold []int
		for i := range p.src {
			if p.src[i] != p.tgt[i] {
				gold = append(gold, i)
			}
		}
		pos, corrected := predict(c, p.src)
		r.errors += len(gold)
		r.flagged += len(pos)
		for _, i := range pos {
			if p.src[i] != p.tgt[i] {
				r.flaggedRight++
				if corrected[i] == p.tgt[i] {
					r.fixedRight++
				}
			}
		}
		if len(gold) > 0 {
			r.gold++
		}
		if len(pos) > 0 {
			r.predicted++
			switch extra := slices.ContainsFunc(pos, func(i int) bool { return p.src[i] == p.tgt[i] }); {
			case len(gold) == 0:
				r.noError++
			case extra:
				r.wrongPos++
			case !slices.Equal(pos, gold):
				r.partial++
			}
			if len(gold) > 0 && slices.Equal(pos, gold) {
				r.detTP++
				if string(corrected) == string(p.tgt) {
					r.corTP++
				}
			}
			if shown < show && !(len(gold) > 0 && slices.Equal(pos, gold)) {
				shown++
				fmt.Fprintf(w, "  src %s\n  tgt %s\n  got %s\n\n", string(p.src), string(p.tgt), string(corrected))
			}
		}
		r.n++
		if tpos, _ := predict(c, p.tgt); len(tpos) > 0 {
			r.fa++
			if shown < show {
				shown++
				for _, f := range c.Check(string(p.tgt)) {
					if f.Category == proofread.CategoryTypo {
						fmt.Fprintf(w, "  FA %s: %s %s\n", f.Rule, f.Message, string(p.tgt[max(0, f.Start-4):min(len(p.tgt), f.End+4)]))
					}
				}
			}
		}
	}
	return r
}
