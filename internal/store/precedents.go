package store

import (
	"context"
	"fmt"
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

// precedentTerms bounds the words one question asks the index for.
const precedentTerms = 40

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
	involved := `(EXISTS (SELECT 1 FROM participants p WHERE p.doc_id = e.obj_id AND p.person_id = ?) OR
		EXISTS (SELECT 1 FROM grants g WHERE g.object_kind = 'document' AND g.object_id = e.obj_id AND g.person_id = ?))`
	var from, order string
	var args []any
	if c.d == Postgres {
		ts := make([]string, len(terms))
		for i, t := range terms {
			ts[i] = "'" + strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), "'", "''") + "'"
		}
		tsq := strings.Join(ts, " | ")
		from = `FROM search_entries e WHERE e.tokens @@ ?::tsquery`
		order = `ts_rank(?::float4[], e.tokens, ?::tsquery, 1) DESC, e.at DESC`
		args = append(args, search.TSRankWeights, tsq, tsq)
	} else {
		qs := make([]string, len(terms))
		for i, t := range terms {
			qs[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		from = `FROM search_fts f JOIN search_entries e ON e.rid = f.rowid WHERE search_fts MATCH ?`
		order = fmt.Sprintf(`bm25(search_fts, %g, %g, %g), f.rowid DESC`, search.TitleWeight, search.NumberWeight, search.BodyWeight)
		args = append(args, strings.Join(qs, " OR "))
	}
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
	sqlText := `SELECT e.obj_id, e.organ_id, e.level, CASE WHEN ` + involved + ` THEN 1 ELSE 0 END ` + from + where + ` ORDER BY ` + order + ` LIMIT ?`
	var all []any
	if c.d == Postgres {
		// The select list's involved, the MATCH, the filters, then ORDER BY's rank.
		all = append(append(append(append([]any{s.PersonID, s.PersonID}, args[1]), wargs...), args[0], args[2]), precedentWindow)
	} else {
		all = append(append(append([]any{s.PersonID, s.PersonID}, args...), wargs...), precedentWindow)
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
