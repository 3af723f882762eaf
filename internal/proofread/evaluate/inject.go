package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/proofread"
)

// injection is one error put into a correct sentence, and where it is.
type injection struct {
	cat        proofread.Category
	kind       string
	text       []rune
	start, end int
}

// inject makes the rule-category errors a clerk's draft typically has, one
// per sentence and kind where the sentence allows it. The choice of place
// is by position in the list (deterministic), not by looking at sentences.
func inject(s []rune, seed int) []injection {
	var out []injection
	indexes := func(r rune) []int {
		var idx []int
		for i, x := range s {
			if x == r {
				idx = append(idx, i)
			}
		}
		return idx
	}
	pickOne := func(idx []int) int { return idx[seed%len(idx)] }
	replace := func(i int, with string) []rune {
		w := []rune(with)
		return slices.Concat(s[:i], w, s[i+1:])
	}
	if idx := indexes('，'); len(idx) > 0 {
		i := pickOne(idx)
		out = append(out, injection{proofread.CategoryPunctuation, "half-width comma", replace(i, ","), i, i + 1})
		out = append(out, injection{proofread.CategoryPunctuation, "doubled comma", replace(i, "，，"), i, i + 2})
	}
	if n := len(s); n > 1 && s[n-1] == '。' && isHan(s[n-2]) {
		out = append(out, injection{proofread.CategoryPunctuation, "half-width full stop", replace(n-1, "."), n - 1, n})
	}
	if idx := indexes('”'); len(idx) > 0 {
		i := pickOne(idx)
		out = append(out, injection{proofread.CategoryPunctuation, "wrong closing quote", replace(i, "“"), i, i + 1})
	}
	// Double a Han character in the middle of the sentence.
	var han []int
	for i, r := range s {
		if isHan(r) && i > 0 && i+1 < len(s) && isHan(s[i-1]) && isHan(s[i+1]) && s[i-1] != r && s[i+1] != r {
			han = append(han, i)
		}
	}
	if len(han) > 0 {
		i := pickOne(han)
		out = append(out, injection{proofread.CategoryRepetition, "doubled character", slices.Concat(s[:i+1], s[i:]), i, i + 2})
	}
	if k := strings.Index(string(s), "其他"); k >= 0 {
		i := len([]rune(string(s)[:k]))
		out = append(out, injection{proofread.CategoryTerm, "其他→其它", replace(i+1, "它"), i, i + 2})
	}
	for i, r := range s {
		if r >= '0' && r <= '9' {
			out = append(out, injection{proofread.CategoryNumber, "full-width digit", replace(i, string(r-'0'+'０')), i, i + 1})
			break
		}
	}
	return out
}

func isHan(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }

// injected reports, per kind of injected error, the share found (a finding
// of the right category overlapping the error) and, per category, the share
// of the clean sentences that get any finding of it.
func injected(w io.Writer, c *proofread.Checker, ps []pair) {
	type tally struct{ n, found int }
	kinds := map[string]*tally{}
	var order []string
	clean := map[proofread.Category]int{}
	for i, p := range ps {
		seenCat := map[proofread.Category]bool{}
		for _, f := range c.Check(string(p.tgt)) {
			seenCat[f.Category] = true
		}
		for cat := range seenCat {
			clean[cat]++
		}
		for _, inj := range inject(p.tgt, i) {
			key := string(inj.cat) + ": " + inj.kind
			if kinds[key] == nil {
				kinds[key] = &tally{}
				order = append(order, key)
			}
			kinds[key].n++
			for _, f := range c.Check(string(inj.text)) {
				if f.Category == inj.cat && f.Start < inj.end && inj.start < f.End {
					kinds[key].found++
					break
				}
			}
		}
	}
	slices.Sort(order)
	fmt.Fprintf(w, "Injected errors in %d correct odw sentences:\n\n", len(ps))
	fmt.Fprintln(w, "| category: injected error | sentences | found | recall |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, k := range order {
		t := kinds[k]
		fmt.Fprintf(w, "| %s | %d | %d | %.3f |\n", k, t.n, t.found, ratio(t.found, t.n))
	}
	fmt.Fprintf(w, "\nClean sentences with any finding, by category (false alarms, %d sentences):\n\n", len(ps))
	fmt.Fprintln(w, "| category | sentences flagged | share |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, cat := range proofread.Categories() {
		fmt.Fprintf(w, "| %s | %d | %.2f%% |\n", cat, clean[cat], 100*ratio(clean[cat], len(ps)))
	}
}
