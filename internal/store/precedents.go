package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/drafting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/search"
)

// Drafting from precedents (起草助手). The search index finds the candidates
// — entries sharing any of the draft's words, of the same organ, that the
// drafter may open — and ranks them by its own BM25 / ts_rank; the best
// precedentWindow of those are read whole and scored against the draft in
// internal/drafting (documents) or split into paragraphs and scored there
// (paragraphs). Paragraphs are not indexed on their own: docs/search.md
// says why, with the measurement.

// precedentWindow is how many of the index's best candidates are read and
// scored against the draft.
const precedentWindow = 30

// precedentTerms bounds the draft's words looked up in the index.
const precedentTerms = 40

// precedentTermBudget bounds the candidates one question asks for: the
// draft's words are taken rarest first while the entries holding them add
// up to no more than this (and at least the four rarest). The words every
// 公文 shares match nearly every entry and say little of the matter; on a
// small index every word fits (docs/search.md).
const precedentTermBudget = 2000

// precedentScan bounds the entries one question ranks: the newest that
// hold one of its words.
const precedentScan = 500

// PrecedentQuery is what a drafter is writing.
type PrecedentQuery struct {
	OrganID   string // the drafting organ: precedents are its documents
	DocType   string // the 文种's code (notice); "" for any
	Title     string
	Body      string // the draft's 正文, one paragraph a line
	Paragraph string // the selected paragraph: ask for paragraphs like it
	ExcludeID string // the draft itself
	Limit     int
}

// Precedent is an earlier document like the draft.
type Precedent struct {
	ID      string
	Title   string
	Number  string // 文号 (or, received, 来文字号)
	Date    string // 成文日期, or the day it last changed
	Level   org.Classification
	Snippet string
	// SnippetN is the index of the snippet's paragraph (in
	// drafting.Paragraphs of the 正文), which may be inserted; -1: none.
	SnippetN int
	Score    float64
}

// PrecedentParagraph is a paragraph of an earlier document like the
// selected one; N is its index in drafting.Paragraphs of the document's 正文.
type PrecedentParagraph struct {
	Doc   Precedent
	N     int
	Text  string
	Score float64
}

// Precedents are the organ's documents most like the draft (same 文种,
// similar title and body) that s may open, best first.
func (st *Store) Precedents(ctx context.Context, s access.Subject, q PrecedentQuery) ([]Precedent, error) {
	terms := precedentQueryTerms(drafting.TitleMatter(q.Title), q.Body)
	cands, err := st.precedentCandidates(ctx, s, q.OrganID, q.DocType, q.ExcludeID, terms)
	if err != nil || len(cands) == 0 {
		return nil, err
	}
	texts := make([]drafting.Candidate, len(cands))
	for i, d := range cands {
		texts[i] = drafting.Candidate{Title: d.Doc.Title, Body: d.Doc.Body.String()}
	}
	var out []Precedent
	for _, sc := range drafting.RankDocuments(q.Title, q.Body, texts) {
		p := precedentOf(cands[sc.Index])
		p.Score = sc.Score
		// The snippet: the paragraph most like the draft's matter.
		ask := drafting.TitleMatter(q.Title) + "\n" + q.Body
		p.SnippetN = -1
		if best := drafting.RankParagraphs(ask, texts[sc.Index:sc.Index+1], 1); len(best) > 0 {
			p.Snippet, p.SnippetN = clip(best[0].Text, 80), best[0].N
		} else if ps := drafting.Paragraphs(texts[sc.Index].Body); len(ps) > 0 {
			p.Snippet, p.SnippetN = clip(ps[0], 80), 0
		}
		out = append(out, p)
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

// PrecedentParagraphs are the paragraphs of the organ's documents (any
// 文种) most like q.Paragraph that s may open, best first.
func (st *Store) PrecedentParagraphs(ctx context.Context, s access.Subject, q PrecedentQuery) ([]PrecedentParagraph, error) {
	sel := strings.TrimSpace(q.Paragraph)
	if utf8.RuneCountInString(sel) > drafting.MaxParagraphRunes {
		sel = string([]rune(sel)[:drafting.MaxParagraphRunes])
	}
	cands, err := st.precedentCandidates(ctx, s, q.OrganID, "", q.ExcludeID, precedentQueryTerms(sel, ""))
	if err != nil || len(cands) == 0 {
		return nil, err
	}
	texts := make([]drafting.Candidate, len(cands))
	for i, d := range cands {
		texts[i] = drafting.Candidate{Title: d.Doc.Title, Body: d.Doc.Body.String()}
	}
	var out []PrecedentParagraph
	for _, r := range drafting.RankParagraphs(sel, texts, q.Limit) {
		out = append(out, PrecedentParagraph{Doc: precedentOf(cands[r.Doc]), N: r.N, Text: r.Text, Score: r.Score})
	}
	return out, nil
}

// PrecedentParagraph is paragraph n of document id's 正文, for s to insert
// into a draft: ErrNotFound when there is no such document or paragraph,
// or when s may not open the document (which is then not told apart).
func (st *Store) PrecedentParagraph(ctx context.Context, s access.Subject, id string, n int) (PrecedentParagraph, error) {
	d, err := st.Document(ctx, id)
	if err != nil {
		return PrecedentParagraph{}, err
	}
	involved, err := st.involvedIn(ctx, s.PersonID, id)
	if err != nil {
		return PrecedentParagraph{}, err
	}
	o := access.Object{Kind: "document", ID: d.ID, UnitID: d.OrganID, Level: d.Level()}
	if involved {
		o.Participants = []string{s.PersonID}
	}
	if !access.Decide(s, access.ReadObject, o).Allow {
		return PrecedentParagraph{}, ErrNotFound
	}
	ps := drafting.Paragraphs(d.Doc.Body.String())
	if n < 0 || n >= len(ps) {
		return PrecedentParagraph{}, ErrNotFound
	}
	return PrecedentParagraph{Doc: precedentOf(d), N: n, Text: ps[n]}, nil
}

// involvedIn reports whether the person took part in the document or was
// granted it: what the search index's access predicate asks too.
func (st *Store) involvedIn(ctx context.Context, personID, docID string) (bool, error) {
	var n int
	err := st.queryRow(ctx, `SELECT CASE WHEN EXISTS (SELECT 1 FROM participants p WHERE p.doc_id = ? AND p.person_id = ?) OR
		EXISTS (SELECT 1 FROM grants g WHERE g.object_kind = 'document' AND g.object_id = ? AND g.person_id = ?) THEN 1 ELSE 0 END`,
		docID, personID, docID, personID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("precedent access: %w", err)
	}
	return n > 0, nil
}

func precedentOf(d DocRecord) Precedent {
	p := Precedent{ID: d.ID, Title: d.Doc.Title, Number: d.DocNumber, Level: d.Level(), Date: d.Doc.Date.String()}
	if p.Number == "" {
		p.Number = d.InNumber
	}
	if p.Date == "" {
		t := d.UpdatedAt.In(time.Local)
		p.Date = document.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}.String()
	}
	return p
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// precedentQueryTerms are the distinct words (character pairs) of the
// title's matter and then of the body, up to precedentTerms.
func precedentQueryTerms(title, body string) []string {
	seen := map[string]bool{}
	var out []string
	for _, text := range []string{title, body} {
		for _, t := range drafting.Terms(text) {
			if len(out) == precedentTerms {
				return out
			}
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// precedentCandidates are the documents of the organ sharing any of terms
// that s may open — the access predicate of Search in the query, then
// access.Decide on each — the index's best precedentWindow, best first.
func (st *Store) precedentCandidates(ctx context.Context, s access.Subject, organID, docType, excludeID string, terms []string) ([]DocRecord, error) {
	rows, err := st.precedentRows(ctx, s, organID, docType, excludeID, terms)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	c := st.conn
	var ids []string
	for _, x := range rows {
		o := access.Object{Kind: "document", ID: x.id, UnitID: x.organID, Level: org.Classification(x.level)}
		if x.involved {
			o.Participants = []string{s.PersonID}
		}
		if access.Decide(s, access.ReadObject, o).Allow {
			ids = append(ids, x.id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	docs, err := c.Documents(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("precedents: %w", err)
	}
	// The index's level is the document's; a document reclassified since
	// is decided again on what it is now.
	out := docs[:0]
	for _, d := range docs {
		o := access.Object{Kind: "document", ID: d.ID, UnitID: d.OrganID, Level: d.Level()}
		for _, x := range rows {
			if x.id == d.ID && x.involved {
				o.Participants = []string{s.PersonID}
			}
		}
		if access.Decide(s, access.ReadObject, o).Allow {
			out = append(out, d)
		}
	}
	return out, nil
}

// precedentRow is a candidate as the index returns it.
type precedentRow struct {
	id, organID string
	level       int
	involved    bool
}

// precedentRows are the index's best precedentWindow entries of the organ
// sharing any of terms that pass the access predicate, best first.
func (st *Store) precedentRows(ctx context.Context, s access.Subject, organID, docType, excludeID string, terms []string) ([]precedentRow, error) {
	if len(terms) == 0 || organID == "" {
		return nil, nil
	}
	c := st.conn
	var own []any
	for _, a := range s.Roles {
		if !a.Role.Admin() && a.UnitID != "" {
			own = append(own, a.UnitID)
		}
	}
	terms, err := c.rarestTerms(ctx, terms, precedentTermBudget)
	if err != nil || len(terms) == 0 {
		return nil, err
	}
	involved := `(EXISTS (SELECT 1 FROM participants p WHERE p.doc_id = e.obj_id AND p.person_id = ?) OR
		EXISTS (SELECT 1 FROM grants g WHERE g.object_kind = 'document' AND g.object_id = e.obj_id AND g.person_id = ?))`
	where := ` AND e.kind = 'document' AND e.organ_id = ? AND e.obj_id <> ? AND e.level BETWEEN 0 AND ?`
	wargs := []any{organID, excludeID, int(s.Clearance)}
	if docType != "" {
		name := docType
		if r, ok := document.RuleFor(document.DocType(docType)); ok {
			name = r.Name // the index holds 通知, the form sends notice
		}
		where += ` AND e.doc_type = ?`
		wargs = append(wargs, name)
	}
	ownPred := `0 = 1`
	if len(own) > 0 {
		ownPred = `e.level = 0 AND e.organ_id IN (` + placeholders(len(own)) + `)`
	}
	where += ` AND ((` + ownPred + `) OR ` + involved + `)`
	wargs = append(append(wargs, own...), s.PersonID, s.PersonID)
	cols := `e.obj_id, e.organ_id, e.level, CASE WHEN ` + involved + ` THEN 1 ELSE 0 END AS inv`
	// The newest precedentScan entries holding one of the words are ranked,
	// not every one: the index's own order bounds the work, as for Search.
	var sqlText string
	var all []any
	if c.d == Postgres {
		ts := make([]string, len(terms))
		for i, t := range terms {
			ts[i] = "'" + strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), "'", "''") + "'"
		}
		tsq := strings.Join(ts, " | ")
		sqlText = `SELECT w.obj_id, w.organ_id, w.level, w.inv FROM (SELECT ` + cols + `, e.at, e.tokens FROM search_entries e WHERE e.tokens @@ ?::tsquery` +
			where + ` ORDER BY e.at DESC LIMIT ?) w ORDER BY ts_rank(?::float4[], w.tokens, ?::tsquery, 1) DESC, w.at DESC LIMIT ?`
		all = append(append(append([]any{s.PersonID, s.PersonID, tsq}, wargs...), precedentScan, search.TSRankWeights, tsq), precedentWindow)
	} else {
		qs := make([]string, len(terms))
		for i, t := range terms {
			qs[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		sqlText = `SELECT w.obj_id, w.organ_id, w.level, w.inv FROM (SELECT ` + cols + `, ` +
			fmt.Sprintf(`bm25(search_fts, %g, %g, %g)`, search.TitleWeight, search.NumberWeight, search.BodyWeight) + ` AS b, f.rowid AS r
			FROM search_fts f JOIN search_entries e INDEXED BY search_entries_window ON e.rid = f.rowid WHERE search_fts MATCH ?` + where +
			` ORDER BY f.rowid DESC LIMIT ?) w ORDER BY w.b, w.r DESC LIMIT ?`
		all = append(append([]any{s.PersonID, s.PersonID, strings.Join(qs, " OR ")}, wargs...), precedentScan, precedentWindow)
	}
	rows, err := queryAll(ctx, c, func(r scanner) (precedentRow, error) {
		var x precedentRow
		var inv int64
		err := r.Scan(&x.id, &x.organID, &x.level, &inv)
		x.involved = inv > 0
		return x, err
	}, sqlText, all...)
	if err != nil {
		return nil, fmt.Errorf("precedents: %w", err)
	}
	return rows, nil
}

// rarestTerms are terms, the rarest in the index first, taken while the
// entries holding them add up to no more than budget (at least four): on
// SQLite counted by FTS5's vocabulary (search_fts_rows, 0067; a term no
// entry holds is left out), on PostgreSQL estimated from the statistics
// ANALYZE keeps of the commonest lexemes (a term not among them counts as
// none, being rarer than those that are). Ties keep the draft's order (the
// title's matter first).
func (c conn) rarestTerms(ctx context.Context, terms []string, budget float64) ([]string, error) {
	df := map[string]float64{}
	if c.d == Postgres {
		var elems, freqs sql.NullString
		err := c.queryRow(ctx, `SELECT most_common_elems::text, most_common_elem_freqs::text FROM pg_stats
			WHERE schemaname = current_schema() AND tablename = 'search_entries' AND attname = 'tokens'`).Scan(&elems, &freqs)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("precedents: term frequency: %w", err)
		}
		var rows float64
		if err := c.queryRow(ctx, `SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = 'search_entries'::regclass`).Scan(&rows); err != nil {
			return nil, fmt.Errorf("precedents: term frequency: %w", err)
		}
		es, fs := pgArray(elems.String), pgArray(freqs.String)
		for i, e := range es {
			if i < len(fs) {
				f, _ := strconv.ParseFloat(fs[i], 64)
				df[e] = f * rows
			}
		}
	} else {
		args := make([]any, len(terms))
		for i, t := range terms {
			args[i] = t
		}
		type count struct {
			term string
			n    float64
		}
		counts, err := queryAll(ctx, c, func(r scanner) (count, error) {
			var x count
			return x, r.Scan(&x.term, &x.n)
		}, `SELECT term, doc FROM search_fts_rows WHERE term IN (`+placeholders(len(terms))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("precedents: term frequency: %w", err)
		}
		held := make([]string, 0, len(terms))
		for _, x := range counts {
			df[x.term] = x.n
		}
		for _, t := range terms {
			if _, ok := df[t]; ok {
				held = append(held, t)
			}
		}
		terms = held
	}
	out := slices.Clone(terms)
	slices.SortStableFunc(out, func(a, b string) int { return cmp.Compare(df[a], df[b]) })
	var sum float64
	for i, t := range out {
		if sum += df[t]; i >= 4 && sum > budget {
			return out[:i], nil
		}
	}
	return out, nil
}

// pgArray splits a PostgreSQL array's text form ({a,"b c"}) into its
// elements; quoted elements are unquoted.
func pgArray(s string) []string {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if s == "" {
		return nil
	}
	var out []string
	var cur strings.Builder
	quoted, esc := false, false
	for _, r := range s {
		switch {
		case esc:
			cur.WriteRune(r)
			esc = false
		case r == '\\':
			esc = true
		case r == '"':
			quoted = !quoted
		case r == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(out, cur.String())
}
