package search

import (
	"strconv"
	"strings"
)

// An entry is indexed as three fields — title, number (文号 and 来文字号)
// and body (everything else) — so that the database's own rank weighs a
// word in the title or number above one in the body: FTS5's bm25() with
// a weight per column on SQLite, ts_rank() with a weight per label on
// PostgreSQL. A phrase matches within one field, never across two.

// Field weights the database ranks with: a word in the title or the
// number says more than one in the body.
const (
	TitleWeight  = 4.0
	NumberWeight = 4.0
	BodyWeight   = 1.0
)

// FieldTokens are an entry's tokens by field.
type FieldTokens struct {
	Title, Number, Body Tokens
	Marks               []string // 文号 marks, held with the number
}

// AnalyzeFields tokenizes an entry's fields; marks are its 文号's marks
// (NumberMarks).
func AnalyzeFields(title, number, body string, marks []string) FieldTokens {
	return FieldTokens{Title: Analyze(title), Number: Analyze(number), Body: Analyze(body), Marks: marks}
}

// FTS5Columns render the fields as the text of the FTS5 table's title,
// number and body columns.
func (f FieldTokens) FTS5Columns() (title, number, body string) {
	return FTS5Text(f.Title, nil), FTS5Text(f.Number, f.Marks), FTS5Text(f.Body, nil)
}

// TSRankWeights is ts_rank's weight array {D, C, B, A}: the body is
// labelled D, the number B, the title A, in the ratio of the field
// weights.
var TSRankWeights = "{" + strconv.FormatFloat(BodyWeight/TitleWeight, 'f', -1, 64) + ",0," +
	strconv.FormatFloat(NumberWeight/TitleWeight, 'f', -1, 64) + ",1}"

// TSVector renders the fields as one PostgreSQL tsvector literal: each
// field's grams at positions of their own (a gap between fields keeps a
// phrase inside one), labelled A (title), B (number) or D (body, the
// default), then the characters and marks without positions.
func (f FieldTokens) TSVector() string {
	type place struct {
		p     int
		label string
	}
	n := len(f.Title.Grams) + len(f.Number.Grams) + len(f.Body.Grams)
	pos := make(map[string][]place, n) // sized once: growing it was most of a bulk load's rendering
	order := make([]string, 0, n)
	next := 1
	for _, fl := range []struct {
		t     Tokens
		label string
	}{{f.Title, "A"}, {f.Number, "B"}, {f.Body, ""}} {
		for _, g := range fl.t.Grams {
			if _, ok := pos[g]; !ok {
				order = append(order, g)
			}
			p := min(next, 16383)
			next++
			if ps := pos[g]; len(ps) < 256 && (len(ps) == 0 || ps[len(ps)-1].p != p) {
				pos[g] = append(ps, place{p, fl.label})
			}
		}
		next++ // the gap
	}
	var b strings.Builder
	b.Grow(12 * n)
	for _, g := range order {
		b.WriteString(quoteLexeme(g))
		b.WriteByte(':')
		for i, x := range pos[g] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(x.p))
			b.WriteString(x.label)
		}
		b.WriteByte(' ')
	}
	seen := make(map[string]bool, len(f.Title.Chars)+len(f.Number.Chars)+len(f.Body.Chars)+len(f.Marks))
	for _, t := range []Tokens{f.Title, f.Number, f.Body} {
		for _, s := range t.Chars {
			if _, ok := pos[s]; !ok && !seen[s] {
				seen[s] = true
				b.WriteString(quoteLexeme(s))
				b.WriteByte(' ')
			}
		}
	}
	for _, s := range f.Marks {
		if _, ok := pos[s]; !ok && !seen[s] {
			seen[s] = true
			b.WriteString(quoteLexeme(s))
			b.WriteByte(' ')
		}
	}
	return strings.TrimSpace(b.String())
}
