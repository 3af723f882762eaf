package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mozillazg/go-pinyin"
)

type pair struct{ a, b rune }

// validation holds the look-alike pairs the table is checked against.
type validation struct {
	stroke []pair            // pairs inside the groups of same_stroke.txt
	errs   map[string][]pair // per ECSpell set, the error pairs (wrong, right) with no common pinyin, one per occurrence
	sets   []string
	inSet  map[rune]bool // the characters of the table
}

func loadValidation(sameStroke, ecspellDir string) (*validation, error) {
	v := &validation{errs: map[string][]pair{}}
	if sameStroke != "" {
		b, err := os.ReadFile(sameStroke)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			var g []rune
			for _, f := range strings.Fields(line) {
				if rs := []rune(f); len(rs) == 1 && isHan(rs[0]) {
					g = append(g, rs[0])
				}
			}
			for i := range g {
				for j := i + 1; j < len(g); j++ {
					if g[i] != g[j] {
						v.stroke = append(v.stroke, pair{g[i], g[j]})
					}
				}
			}
		}
	}
	if ecspellDir != "" {
		args := pinyin.NewArgs()
		args.Heteronym = true
		args.Style = pinyin.Normal
		for _, set := range []string{"law", "med"} {
			f, err := os.Open(filepath.Join(ecspellDir, set+"_train.tsv"))
			if err != nil {
				return nil, err
			}
			sc := bufio.NewScanner(f)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				src, tgt, ok := strings.Cut(sc.Text(), "\t")
				s, t := []rune(src), []rune(tgt)
				if !ok || len(s) != len(t) {
					continue
				}
				for i := range s {
					if s[i] != t[i] && isHan(s[i]) && isHan(t[i]) && !commonPinyin(s[i], t[i], args) {
						v.errs[set] = append(v.errs[set], pair{s[i], t[i]})
					}
				}
			}
			f.Close()
			if err := sc.Err(); err != nil {
				return nil, err
			}
			v.sets = append(v.sets, set)
		}
	}
	return v, nil
}

// commonPinyin reports whether a and b share a reading, tones ignored.
func commonPinyin(a, b rune, args pinyin.Args) bool {
	for _, x := range pinyin.SinglePinyin(a, args) {
		for _, y := range pinyin.SinglePinyin(b, args) {
			if x == y {
				return true
			}
		}
	}
	return false
}

func listed(tab map[rune][]rune, p pair) bool {
	return strings.ContainsRune(string(tab[p.a]), p.b) || strings.ContainsRune(string(tab[p.b]), p.a)
}

func share(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%5.1f%% (%d/%d)", 100*float64(n)/float64(d), n, d)
}

// printCeiling says how many validation pairs have both characters in the table's set.
func (v *validation) printCeiling(w io.Writer) {
	in := func(ps []pair) int {
		n := 0
		for _, p := range ps {
			if v.inSet[p.a] && v.inSet[p.b] {
				n++
			}
		}
		return n
	}
	fmt.Fprintf(w, "pairs with both characters in the set: same_stroke %s", share(in(v.stroke), len(v.stroke)))
	for _, s := range v.sets {
		u := unique(v.errs[s])
		fmt.Fprintf(w, "; %s %s, distinct %s", s, share(in(v.errs[s]), len(v.errs[s])), share(in(u), len(u)))
	}
	fmt.Fprintln(w)
}

func unique(ps []pair) []pair {
	seen := map[pair]bool{}
	var u []pair
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			u = append(u, p)
		}
	}
	return u
}

// evaluate gives (a) the share of same_stroke pairs listed, (b) per ECSpell
// set and together the share of no-common-pinyin error occurrences (and
// distinct pairs) listed, (c) the mean list length over the n characters and
// over the characters that have a list.
func (v *validation) evaluate(tab map[rune][]rune, n int) string {
	count := func(ps []pair) int {
		k := 0
		for _, p := range ps {
			if listed(tab, p) {
				k++
			}
		}
		return k
	}
	var b strings.Builder
	fmt.Fprintf(&b, "(a) %s", share(count(v.stroke), len(v.stroke)))
	var all []pair
	for _, s := range v.sets {
		all = append(all, v.errs[s]...)
		fmt.Fprintf(&b, "  (b) %s %s", s, share(count(v.errs[s]), len(v.errs[s])))
	}
	if len(v.sets) > 0 {
		u := unique(all)
		fmt.Fprintf(&b, "  all %s distinct %s", share(count(all), len(all)), share(count(u), len(u)))
	}
	total, lines := 0, 0
	for _, l := range tab {
		total += len(l)
		if len(l) > 0 {
			lines++
		}
	}
	fmt.Fprintf(&b, "  (c) %.2f per char, %.2f per line (%d lines)", float64(total)/float64(n), float64(total)/float64(max(lines, 1)), lines)
	return b.String()
}

// misses prints the most frequent ECSpell error pairs (b) that tab does not list.
func (v *validation) misses(w io.Writer, tab map[rune][]rune, n int) {
	count := map[pair]int{}
	var order []pair
	for _, s := range v.sets {
		for _, p := range v.errs[s] {
			if !listed(tab, p) {
				if count[p] == 0 {
					order = append(order, p)
				}
				count[p]++
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] > count[order[j]] })
	fmt.Fprintf(w, "unlisted (b) pairs, wrong→right ×count:")
	for i, p := range order {
		if i == n {
			break
		}
		fmt.Fprintf(w, " %c→%c×%d", p.a, p.b, count[p])
	}
	fmt.Fprintln(w)
}
