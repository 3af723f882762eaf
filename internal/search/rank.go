package search

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Hit is one candidate the index returned, already allowed to the searcher
// (the store asks the access function before a hit reaches here).
type Hit struct {
	Kind     string
	ID       string
	Title    string
	Number   string // 文号 (and, received, 来文字号), as shown
	Body     string // the indexed text, for counting and snippets
	UnitID   string
	UnitName string
	DocType  string
	State    string
	Level    int
	At       time.Time // last changed
	Own      bool      // of one of the searcher's own units
	// StoreRank is the database's own rank of a document for the query
	// (FTS5 bm25, PostgreSQL ts_rank, weighted by field; higher is
	// better); 0 for what the database did not rank (units, people).
	StoreRank float64
	Score     float64
	Snippet   []Segment
	Highlight []Segment // the title, marked
}

// Segment is a piece of shown text, marked when it matched.
type Segment struct {
	Text string `json:"text"`
	Mark bool   `json:"mark,omitempty"`
}

// BM25's parameters, the usual ones, for what the database does not rank.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// storeScale maps the best document's StoreRank to about what a title
// match scores here, so that units and people (ranked here by their names)
// and documents (ranked by the database) sort in one list.
const storeScale = 10.0

// Rank scores every hit for q and sorts them best first. A document's base
// is the database's rank (StoreRank: BM25 or cover density with the title
// and number weighed above the body), scaled so that the window's best is
// storeScale. Units and people, which the database does not rank, score
// BM25's term-frequency part over their names here (every hit contains
// every clause, so each clause's rarity is the same for all of them). On
// both, the whole query as one phrase in the title counts double, a hit of
// the searcher's own units a fifth more, and recency up to half again for
// a new one, fading over about half a year.
func Rank(hits []Hit, q Query, now time.Time) {
	var total, best float64
	for _, h := range hits {
		total += float64(utf8.RuneCountInString(h.Body))
		best = max(best, h.StoreRank)
	}
	avg := 1.0
	if len(hits) > 0 {
		avg = max(1, total/float64(len(hits)))
	}
	whole := wholeText(q)
	for i := range hits {
		h := &hits[i]
		title := FoldString(h.Title)
		var s float64
		if h.Kind == KindDocument {
			if best > 0 {
				s = storeScale * h.StoreRank / best
			}
		} else {
			body := FoldString(h.Body)
			blen := float64(utf8.RuneCountInString(body))
			for _, c := range q.Clauses {
				if c.Number != nil {
					s += NumberWeight * 2
					continue
				}
				s += TitleWeight * tfPart(strings.Count(title, c.Text), 1)
				s += NumberWeight * tfPart(strings.Count(FoldString(h.Number), c.Text), 1)
				s += BodyWeight * tfPart(strings.Count(body, c.Text), blen/avg)
			}
		}
		if whole != "" && strings.Contains(title, whole) {
			s *= 2
		}
		if h.Own {
			s *= 1.2
		}
		if !h.At.IsZero() {
			age := max(0, now.Sub(h.At).Hours()/24)
			s *= 1 + 0.5*math.Exp(-age/180)
		}
		h.Score = s
	}
	slices.SortStableFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return b.At.Compare(a.At)
	})
}

func tfPart(tf int, lenRatio float64) float64 {
	if tf == 0 {
		return 0
	}
	f := float64(tf)
	return f * (bm25K1 + 1) / (f + bm25K1*(1-bm25B+bm25B*lenRatio))
}

// wholeText is the query's words as one phrase, when it has several.
func wholeText(q Query) string {
	if len(q.Clauses) < 2 {
		return ""
	}
	var b strings.Builder
	for _, c := range q.Clauses {
		b.WriteString(c.Text)
	}
	return b.String()
}

// Texts are the strings a hit's text is marked at, longest first (so that
// a longer match wins where two overlap).
func (q Query) Texts() []string {
	var ts []string
	for _, c := range q.Clauses {
		if c.Text != "" {
			ts = append(ts, c.Text)
		}
	}
	slices.SortFunc(ts, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return ts
}

// Mark splits s into segments with every occurrence of texts marked
// (compared folded).
func Mark(s string, texts []string) []Segment {
	if s == "" {
		return nil
	}
	rs := []rune(s)
	folded := []rune(strings.Map(Fold, s))
	marked := make([]bool, len(rs))
	for _, t := range texts {
		tr := []rune(t)
		if len(tr) == 0 || len(folded) != len(rs) {
			continue
		}
		for i := 0; i+len(tr) <= len(folded); i++ {
			if slices.Equal(folded[i:i+len(tr)], tr) {
				for j := i; j < i+len(tr); j++ {
					marked[j] = true
				}
			}
		}
	}
	var out []Segment
	start := 0
	for i := 1; i <= len(rs); i++ {
		if i == len(rs) || marked[i] != marked[start] {
			out = append(out, Segment{Text: string(rs[start:i]), Mark: marked[start]})
			start = i
		}
	}
	return out
}

// snippetRunes is how much of the body a snippet shows.
const snippetRunes = 90

// Snippet is the part of body around the first place any of texts occurs,
// marked; the body's start when none does.
func Snippet(body string, texts []string) []Segment {
	body = strings.Join(strings.Fields(body), " ")
	rs := []rune(body)
	folded := []rune(strings.Map(Fold, body))
	first := -1
	if len(folded) == len(rs) {
		for _, t := range texts {
			if i := runeIndex(folded, []rune(t)); i >= 0 && (first < 0 || i < first) {
				first = i
			}
		}
	}
	start := 0
	if first > snippetRunes/3 {
		start = first - snippetRunes/3
	}
	end := min(len(rs), start+snippetRunes)
	text := string(rs[start:end])
	segs := Mark(text, texts)
	if start > 0 {
		segs = append([]Segment{{Text: "…"}}, segs...)
	}
	if end < len(rs) {
		segs = append(segs, Segment{Text: "…"})
	}
	return segs
}

func runeIndex(s, sub []rune) int {
	if len(sub) == 0 {
		return -1
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// Facet is one value of a facet with how many allowed hits have it.
type Facet struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Facets are the counts of the allowed hits by kind, 文种, unit, state,
// 密级 and year.
type Facets struct {
	Kind    []Facet `json:"kind"`
	DocType []Facet `json:"doc_type"`
	Unit    []Facet `json:"unit"`
	State   []Facet `json:"state"`
	Level   []Facet `json:"level"`
	Year    []Facet `json:"year"`
}

// CountFacets counts hits by each facet, largest first. levelLabel names a
// 密级 (org.Classification.Label, passed in to keep this package free of org).
func CountFacets(hits []Hit, levelLabel func(int) string) Facets {
	type key struct{ v, l string }
	count := func(f func(Hit) (string, string)) []Facet {
		m := map[key]int{}
		for _, h := range hits {
			v, l := f(h)
			if v == "" {
				continue
			}
			m[key{v, l}]++
		}
		out := make([]Facet, 0, len(m))
		for k, n := range m {
			out = append(out, Facet{Value: k.v, Label: k.l, Count: n})
		}
		slices.SortFunc(out, func(a, b Facet) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return cmp.Compare(a.Value, b.Value)
		})
		return out
	}
	return Facets{
		Kind:    count(func(h Hit) (string, string) { return h.Kind, KindLabel(h.Kind) }),
		DocType: count(func(h Hit) (string, string) { return h.DocType, h.DocType }),
		Unit:    count(func(h Hit) (string, string) { return h.UnitName, h.UnitName }),
		State: count(func(h Hit) (string, string) {
			switch h.State {
			case StateActive:
				return h.State, "办理中"
			case StateDone:
				return h.State, "办结"
			}
			return "", ""
		}),
		Level: count(func(h Hit) (string, string) {
			if h.Kind != KindDocument {
				return "", ""
			}
			return levelLabel(h.Level), levelLabel(h.Level)
		}),
		Year: count(func(h Hit) (string, string) {
			if h.At.IsZero() {
				return "", ""
			}
			y := h.At.In(cst).Format("2006")
			return y, y + "年"
		}),
	}
}
