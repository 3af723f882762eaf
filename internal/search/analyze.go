// Package search decides what is indexed and how a query is read and ranked:
// text becomes tokens, a query becomes clauses, hits become a ranked page
// with snippets and facets. It has no database: the index lives in store/
// (SQLite FTS5, PostgreSQL tsvector), which stores the tokens made here and
// renders the clauses made here (docs/search.md says why and what it costs).
//
// Chinese text is indexed as overlapping character pairs (bigrams) in order,
// plus each character alone, rather than as dictionary words: a pair index
// finds every word, known or not — a new project's name, a person's name —
// and an exact phrase is the run of its pairs in order. Words that the
// deployment knows (its organs, places and people) are read whole from a
// query, so that 清澜区应急管理局 is asked as one phrase.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxIndexedRunes bounds the text of one entry that is indexed and kept for
// snippets: PostgreSQL positions stop at 16,383, and a 公文 body is rarely
// longer than that.
const MaxIndexedRunes = 16000

// Tokens is what the index holds of one entry's text.
type Tokens struct {
	// Grams is the text's token sequence in order: each run of Chinese
	// characters as its overlapping pairs, each run of letters or digits as
	// one lower-case word. A phrase is a contiguous run of it.
	Grams []string
	// Chars is each Chinese character once: one character asked alone
	// still matches.
	Chars []string
}

// Analyze turns text into the tokens the index holds.
func Analyze(text string) Tokens {
	var t Tokens
	seen := map[rune]bool{}
	forRuns(text, func(run []rune, han bool) {
		if !han {
			t.Grams = append(t.Grams, string(run))
			return
		}
		for _, r := range run {
			if !seen[r] {
				seen[r] = true
				t.Chars = append(t.Chars, string(r))
			}
		}
		t.Grams = append(t.Grams, bigrams(run)...)
	})
	return t
}

// bigrams are a Chinese run's overlapping pairs; a run of one character
// has none (it is found through Chars).
func bigrams(run []rune) []string {
	if len(run) < 2 {
		return nil
	}
	out := make([]string, 0, len(run)-1)
	for i := 0; i+1 < len(run); i++ {
		out = append(out, string(run[i:i+2]))
	}
	return out
}

// forRuns calls fn for each maximal run of Chinese characters (han) and
// of letters and digits, folded (full-width to half-width, lower case), in
// order, at most MaxIndexedRunes runes in all. Everything else separates.
func forRuns(text string, fn func(run []rune, han bool)) {
	var run []rune
	han := false
	flush := func() {
		if len(run) > 0 {
			fn(run, han)
			run = nil
		}
	}
	n := 0
	for _, r := range text {
		if n++; n > MaxIndexedRunes {
			break
		}
		r = Fold(r)
		switch {
		case unicode.Is(unicode.Han, r):
			if !han {
				flush()
			}
			han = true
			run = append(run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if han {
				flush()
			}
			han = false
			run = append(run, r)
		default:
			flush()
		}
	}
	flush()
}

// Fold maps a full-width ASCII form to its half-width one and upper case to
// lower, so that ＧＤＰ, GDP and gdp are one word.
func Fold(r rune) rune {
	if r >= '！' && r <= '～' {
		r = r - '！' + '!'
	}
	return unicode.ToLower(r)
}

// FoldString is Fold over a string, for comparing a query with text.
func FoldString(s string) string {
	if isFolded(s) {
		return s
	}
	return strings.Map(Fold, s)
}

func isFolded(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if Fold(r) != r {
			return false
		}
		i += n
	}
	return true
}

// A SentenceCache tokenizes text made of pieces that repeat — a generated
// corpus's sentences — once per distinct piece; not safe for concurrent use.
type SentenceCache struct {
	pieces map[string]Tokens
	intern map[string]string
}

// Analyze is Analyze(strings.Join(parts, "")): runs never cross a piece's
// boundary when the characters either side of it are of different kinds, so
// each piece's grams are its own and only the characters are deduplicated
// across pieces. Otherwise (or past MaxIndexedRunes) it analyzes the whole.
func (c *SentenceCache) Analyze(parts []string) Tokens {
	if c.pieces == nil {
		c.pieces, c.intern = map[string]Tokens{}, map[string]string{}
	}
	n := 0
	for i, p := range parts {
		n += utf8.RuneCountInString(p)
		if n > MaxIndexedRunes || (i > 0 && joins(parts[i-1], p)) {
			return Analyze(strings.Join(parts, ""))
		}
	}
	var t Tokens
	seen := make(map[string]bool, 512)
	pts := make([]Tokens, len(parts))
	grams := 0
	for i, p := range parts {
		pt, ok := c.pieces[p]
		if !ok {
			pt = Analyze(p)
			for j, g := range pt.Grams {
				pt.Grams[j] = c.interned(g)
			}
			for j, ch := range pt.Chars {
				pt.Chars[j] = c.interned(ch)
			}
			c.pieces[p] = pt
		}
		pts[i] = pt
		grams += len(pt.Grams)
	}
	if grams > 0 {
		t.Grams = make([]string, 0, grams)
	}
	for _, pt := range pts {
		t.Grams = append(t.Grams, pt.Grams...)
		for _, ch := range pt.Chars {
			if !seen[ch] {
				seen[ch] = true
				t.Chars = append(t.Chars, ch)
			}
		}
	}
	return t
}

func (c *SentenceCache) interned(s string) string {
	if x, ok := c.intern[s]; ok {
		return x
	}
	c.intern[s] = s
	return s
}

// joins reports whether a run of forRuns would go on from a's last
// character into b's first: both Chinese, or both letters or digits.
func joins(a, b string) bool {
	if a == "" || b == "" {
		return true // an empty piece: analyze the whole, to be safe
	}
	x, _ := utf8.DecodeLastRuneInString(a)
	y, _ := utf8.DecodeRuneInString(b)
	kind := func(r rune) int {
		r = Fold(r)
		switch {
		case unicode.Is(unicode.Han, r):
			return 1
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return 2
		}
		return 0
	}
	kx, ky := kind(x), kind(y)
	return kx != 0 && kx == ky
}
