package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/search"
)

// Search (检索) keeps one search_entries row per document, written in the
// transaction that writes the document (putDocument, putDocumentState, an
// act with a comment), so a saved document is found at once and a
// reclassified one is found under its new 密级 at once. What is indexed and
// how a query is read and ranked is decided in internal/search; here the
// tokens are stored and the query is run, for SQLite in FTS5 and for
// PostgreSQL in a GIN-indexed tsvector (docs/search.md).

// searchMigration makes the index; Migrate indexes the documents already
// stored when it applies it.
const searchMigration = "0037_search.sql"

// searchFieldsMigration splits the index into fields the database ranks
// with weights; Migrate re-indexes every entry when it applies it.
const searchFieldsMigration = "0054_search_fields.sql"

// searchEntry is one row of the index.
type searchEntry struct {
	kind, id, organID, unitID string
	level                     int
	docType, state            string
	at                        int64
	title, number, body       string
	notes                     string
	marks                     []string
}

// docEntry is a document as the index holds it.
func docEntry(d DocRecord, notes string) searchEntry {
	var numbers []string
	for _, n := range []string{d.DocNumber, d.InNumber} {
		if n != "" {
			numbers = append(numbers, n)
		}
	}
	docType := string(d.Doc.Type)
	if r, ok := document.RuleFor(d.Doc.Type); ok {
		docType = r.Name // filtered and shown as the reader names it: 通知
	}
	body := d.Doc.Text()
	if d.Sender != "" {
		body = d.Sender + "\n" + body
	}
	return searchEntry{kind: search.KindDocument, id: d.ID, organID: d.OrganID, unitID: d.UnitID, level: int(d.Level()),
		docType: docType, state: string(d.Status), at: ts(d.UpdatedAt), title: d.Doc.Title,
		number: strings.Join(numbers, " "), body: truncRunes(body, search.MaxIndexedRunes), notes: truncRunes(notes, search.MaxIndexedRunes/4),
		marks: search.NumberMarks(numbers...)}
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// routeNotes are a route's comments (批示, 办理意见), one a line.
func routeNotes(in route.Instance) string {
	var b strings.Builder
	for _, t := range in.Tasks {
		if c := strings.TrimSpace(t.Comment); c != "" {
			b.WriteString(c)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// indexDocument writes a document's entry; notes nil keeps the notes the
// entry has.
func (tx *Tx) indexDocument(ctx context.Context, d DocRecord, notes *string) error {
	var n string
	if notes != nil {
		n = *notes
	} else {
		err := tx.queryRow(ctx, `SELECT notes FROM search_entries WHERE kind = ? AND obj_id = ?`, search.KindDocument, d.ID).Scan(&n)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("index document: %w", err)
		}
	}
	e := docEntry(d, n)
	if err := tx.withAttachments(ctx, &e, d.Doc.Attachments); err != nil {
		return err
	}
	return tx.putEntry(ctx, e)
}

// indexDocumentState follows a change of where a document stands (its
// state and time), which changes none of its text.
func (tx *Tx) indexDocumentState(ctx context.Context, d DocRecord) error {
	if _, err := tx.exec(ctx, `UPDATE search_entries SET state = ?, at = ? WHERE kind = ? AND obj_id = ?`,
		string(d.Status), ts(d.UpdatedAt), search.KindDocument, d.ID); err != nil {
		return fmt.Errorf("index document state: %w", err)
	}
	return nil
}

// putEntry inserts or replaces an entry and its tokens.
func (tx *Tx) putEntry(ctx context.Context, e searchEntry) error {
	ft := search.AnalyzeFields(e.title, e.number, e.body+"\n"+e.notes, e.marks)
	if tx.d == Postgres {
		_, err := tx.exec(ctx, `INSERT INTO search_entries (kind, obj_id, organ_id, unit_id, level, doc_type, state, at, title, number, body, notes, tokens)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::tsvector)
			ON CONFLICT (kind, obj_id) DO UPDATE SET organ_id = EXCLUDED.organ_id, unit_id = EXCLUDED.unit_id, level = EXCLUDED.level,
				doc_type = EXCLUDED.doc_type, state = EXCLUDED.state, at = EXCLUDED.at, title = EXCLUDED.title, number = EXCLUDED.number,
				body = EXCLUDED.body, notes = EXCLUDED.notes, tokens = EXCLUDED.tokens`,
			e.kind, e.id, e.organID, e.unitID, e.level, e.docType, e.state, e.at, e.title, e.number, e.body, e.notes, ft.TSVector())
		if err != nil {
			return fmt.Errorf("index %s: %w", e.kind, err)
		}
		return nil
	}
	var rid int64
	err := tx.queryRow(ctx, `SELECT rid FROM search_entries WHERE kind = ? AND obj_id = ?`, e.kind, e.id).Scan(&rid)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = tx.queryRow(ctx, `INSERT INTO search_entries (kind, obj_id, organ_id, unit_id, level, doc_type, state, at, title, number, body, notes)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rid`,
			e.kind, e.id, e.organID, e.unitID, e.level, e.docType, e.state, e.at, e.title, e.number, e.body, e.notes).Scan(&rid)
	case err == nil:
		if _, err = tx.exec(ctx, `UPDATE search_entries SET organ_id = ?, unit_id = ?, level = ?, doc_type = ?, state = ?, at = ?, title = ?, number = ?, body = ?, notes = ?
			WHERE rid = ?`, e.organID, e.unitID, e.level, e.docType, e.state, e.at, e.title, e.number, e.body, e.notes, rid); err == nil {
			_, err = tx.exec(ctx, `DELETE FROM search_fts WHERE rowid = ?`, rid)
		}
	}
	if err == nil {
		title, number, body := ft.FTS5Columns()
		_, err = tx.exec(ctx, `INSERT INTO search_fts (rowid, title, number, body) VALUES (?, ?, ?, ?)`, rid, title, number, body)
	}
	if err != nil {
		return fmt.Errorf("index %s: %w", e.kind, err)
	}
	return nil
}

// searchCandidates bounds the candidates one query reads, newest first: counts
// and facets are exact below it and say "at least" above it.
const searchCandidates = 2000

// SearchResult is a page of allowed hits, best first, with the count and
// facets of all allowed hits (within the window).
type SearchResult struct {
	Hits   []search.Hit
	Total  int
	Capped bool // more than searchCandidates documents matched: Total is a lower bound
	Facets search.Facets
}

// SearchLexicon is the deployment's words read whole from a query: its
// units' names and short names and its people's names, with the common
// 公文 words of internal/search.
func (c conn) SearchLexicon(ctx context.Context) (search.Lexicon, error) {
	names, err := c.queryStrings(ctx, `SELECT name FROM units UNION SELECT short_name FROM units UNION SELECT name FROM people`)
	if err != nil {
		return search.Lexicon{}, fmt.Errorf("search lexicon: %w", err)
	}
	return search.NewLexicon(names, search.CommonWords()), nil
}

// Search runs q for the subject. Permissions come first: the database
// returns only documents the access predicate lets through — within the
// subject's clearance, and 非密 ones of their own organs, or ones they took
// part in or were granted — and each is then decided by access.Decide
// exactly as opening it would be. Only what passes is counted, faceted,
// ranked and snippeted.
func (st *Store) Search(ctx context.Context, s access.Subject, q search.Query, limit, offset int) (SearchResult, error) {
	c := st.conn
	var res SearchResult
	if q.Empty() {
		return res, nil
	}
	units, err := c.Units(ctx)
	if err != nil {
		return res, err
	}
	unitName := make(map[string]string, len(units))
	for _, u := range units {
		unitName[u.ID] = u.Name
	}
	var hits []search.Hit
	f := q.Filters
	if f.Kind == "" || f.Kind == search.KindDocument {
		docs, capped, err := c.searchDocuments(ctx, s, q, units)
		if err != nil {
			return res, err
		}
		hits, res.Capped = docs, capped
	}
	if kinds := searchKinds(f.Kind); len(kinds) > 0 {
		things, capped, err := c.searchThings(ctx, s, q, kinds, units)
		if err != nil {
			return res, err
		}
		hits, res.Capped = append(hits, things...), res.Capped || capped
	}
	docOnly := f.DocType != "" || f.State != "" || f.Level >= 0 || !f.From.IsZero()
	if !docOnly && (f.Kind == "" || f.Kind == search.KindUnit || f.Kind == search.KindPerson) &&
		access.Decide(s, access.ViewDirectory, access.Object{}).Allow {
		dir, err := c.searchDirectory(ctx, q, units)
		if err != nil {
			return res, err
		}
		hits = append(hits, dir...)
	}
	mine := map[string]bool{}
	for _, a := range s.Roles {
		if !a.Role.Admin() {
			mine[a.UnitID] = true
		}
	}
	for i := range hits {
		h := &hits[i]
		h.UnitName = unitName[h.UnitID]
		h.Own = mine[h.UnitID]
	}
	res.Total = len(hits)
	res.Facets = search.CountFacets(hits, func(l int) string { return org.Classification(l).Label() })
	search.Rank(hits, q, st.now())
	if offset > len(hits) {
		offset = len(hits)
	}
	hits = hits[offset:]
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	if err := c.searchBodies(ctx, hits); err != nil {
		return res, err
	}
	texts := q.Texts()
	for i := range hits {
		hits[i].Highlight = search.Mark(hits[i].Title, texts)
		hits[i].Snippet = search.Snippet(hits[i].Body, texts)
	}
	res.Hits = hits
	return res, nil
}

// searchDocuments reads the documents that match q and pass the access
// predicate, newest first up to the window, and decides each.
func (c conn) searchDocuments(ctx context.Context, s access.Subject, q search.Query, units []org.Unit) ([]search.Hit, bool, error) {
	// A subject refused even a 非密 document they took part in reads none
	// (listLevel in web says the same for the lists).
	probe := access.Object{Kind: "document", Level: org.Unclassified, Participants: []string{s.PersonID}}
	if !access.Decide(s, access.ReadObject, probe).Allow {
		return nil, false, nil
	}
	var own []any
	for _, a := range s.Roles {
		if !a.Role.Admin() && a.UnitID != "" {
			own = append(own, a.UnitID)
		}
	}
	involved := `(EXISTS (SELECT 1 FROM participants p WHERE p.doc_id = e.obj_id AND p.person_id = ?) OR
		EXISTS (SELECT 1 FROM grants g WHERE g.object_kind = 'document' AND g.object_id = e.obj_id AND g.person_id = ?))`
	// The window is the newest matching entries the searcher may open; the
	// database ranks them (bm25 / ts_rank, weighted by field: see
	// searchDocumentsPG) and returns no bodies: Search reads those for the
	// page shown only.
	rank := fmt.Sprintf(`-bm25(search_fts, %g, %g, %g)`, search.TitleWeight, search.NumberWeight, search.BodyWeight)
	fw, fargs, ok := filterSQL(q.Filters, units)
	if !ok {
		return nil, false, nil
	}
	type row = searchRow
	scan := func(r scanner) (row, error) {
		var x row
		var at, inv int64
		err := r.Scan(&x.hit.ID, &x.organID, &x.hit.UnitID, &x.hit.Level, &x.hit.DocType, &x.hit.State, &at, &x.hit.Title, &x.hit.Number, &inv, &x.hit.StoreRank)
		x.hit.Kind, x.hit.At, x.involved = search.KindDocument, fromTS(at), inv > 0
		return x, err
	}
	cols := `e.obj_id, e.organ_id, e.unit_id, e.level, e.doc_type, e.state, e.at, e.title, e.number, CASE WHEN ` + involved + ` THEN 1 ELSE 0 END`
	var rows []row
	var err error
	if c.d == Postgres {
		rows, err = c.searchDocumentsPG(ctx, s, q, own, involved, cols, fw, fargs, scan)
	} else {
		rows, err = c.searchDocumentsSQLite(ctx, s, q, own, involved, cols, rank, fw, fargs)
	}
	if err != nil {
		return nil, false, fmt.Errorf("search documents: %w", err)
	}
	capped := len(rows) > searchCandidates
	if capped {
		rows = rows[:searchCandidates]
	}
	hits := make([]search.Hit, 0, len(rows))
	for _, x := range rows {
		o := access.Object{Kind: "document", ID: x.hit.ID, UnitID: x.organID, Level: org.Classification(x.hit.Level)}
		if x.involved {
			o.Participants = []string{s.PersonID}
		}
		if access.Decide(s, access.ReadObject, o).Allow {
			hits = append(hits, x.hit)
		}
	}
	return hits, capped, nil
}

// searchDocumentsPG takes the window on PostgreSQL in two parts, each with
// the access predicate inside its scan, then ranks it: the 非密 entries of
// the searcher's own organs (the partial index on (organ_id, at) gives them
// newest first, so a word in most entries stops after about the window's
// rows instead of sorting every match; a rare word is read through the GIN
// index instead, whichever the planner finds cheaper), and the entries
// they took part in or were granted (few, found through participants and
// grants). ts_rank reads each entry's tokens, which only the window's need.
//
// A query with a phrase (every word of two or more characters is one:
// its pairs in order) is asked in two steps. The GIN index cannot check
// positions, so a phrase in the scan made PostgreSQL read and match the
// tsvector of every entry holding its pairs — and before the cheap
// filters (state, period): 1,849 entries read for the 18 a filtered query
// found. Instead the candidates are the entries holding every pair, which
// the index answers exactly without reading a tsvector, sorted newest
// first with the filters applied; the phrase is then checked on them in
// that order only until the window is full. The window is the same: the
// newest entries the phrase matches.
func (c conn) searchDocumentsPG(ctx context.Context, s access.Subject, q search.Query, own []any, involved, cols, fw string, fargs []any,
	scan func(scanner) (searchRow, error)) ([]searchRow, error) {
	strict, ordered := q.TSQuery(), q.Ordered()
	cand, each := strict, ` ORDER BY e.at DESC LIMIT ?`
	if ordered {
		cand, each = q.TSQueryAll(), ``
	}
	base := `SELECT ` + cols + ` AS inv, e.at AS at_, e.tokens FROM search_entries e WHERE e.tokens @@ ?::tsquery AND e.kind = 'document' AND e.level BETWEEN 0 AND ?` + fw
	baseArgs := func() []any {
		return append([]any{s.PersonID, s.PersonID, cand, int(s.Clearance)}, fargs...)
	}
	limit := searchCandidates + 1
	var parts []string
	var args []any
	ownPred := `0 = 1`
	if len(own) > 0 {
		ownPred = `e.level = 0 AND e.organ_id IN (` + placeholders(len(own)) + `)`
		parts = append(parts, `(`+base+` AND `+ownPred+each+`)`)
		args = append(append(args, baseArgs()...), own...)
		if !ordered {
			args = append(args, limit)
		}
	}
	mine := `e.obj_id IN (SELECT p.doc_id FROM participants p WHERE p.person_id = ? UNION
		SELECT g.object_id FROM grants g WHERE g.person_id = ? AND g.object_kind = 'document')`
	parts = append(parts, `(`+base+` AND `+mine+` AND NOT (`+ownPred+`)`+each+`)`)
	args = append(append(append(args, baseArgs()...), s.PersonID, s.PersonID), own...)
	if !ordered {
		args = append(args, limit)
	}
	window := `SELECT * FROM (` + strings.Join(parts, ` UNION ALL `) + `) u ORDER BY u.at_ DESC LIMIT ?`
	if ordered {
		// OFFSET 0 keeps the phrase out of the scans (a subquery with an
		// offset is not flattened, nor are conditions pushed into it), so it
		// is checked above the sort, newest first, until the limit.
		window = `SELECT * FROM (SELECT * FROM (` + strings.Join(parts, ` UNION ALL `) + `) u ORDER BY u.at_ DESC OFFSET 0) c
			WHERE c.tokens @@ ?::tsquery LIMIT ?`
		args = append(args, strict)
	}
	args = append(args, limit)
	// Normalisation 1: divided by 1 + the log of the entry's length.
	// ts_rank (frequency) rather than ts_rank_cd (cover density): on the
	// judged set the cover density put documents that repeat a phrase in
	// their body above the one with it in its title (nDCG@10 0.899
	// against 0.925, docs/search.md).
	rank := `ts_rank(?::float4[], w.tokens, ?::tsquery, 1)`
	return queryAll(ctx, c, scan, `SELECT w.obj_id, w.organ_id, w.unit_id, w.level, w.doc_type, w.state, w.at, w.title, w.number, w.inv, `+rank+
		` FROM (`+window+`) w`, append([]any{search.TSRankWeights, strict}, args...)...)
}

// searchDocumentsSQLite takes the window on SQLite newest first by rowid,
// which FTS5 walks backwards and stops at the window: a query visits about
// window ÷ (the share of entries the searcher may open) entries, not every
// match (the rowid is the order entries were first indexed; an edit keeps
// it). Each visited entry is checked through search_entries_window (0066),
// not its wide row, which is read only for an entry that passes. As on
// PostgreSQL the window is two parts merged newest first: the 非密 entries
// of the searcher's own organs, and the entries they took part in or were
// granted (looked up from participants and grants, so the other organs'
// entries are not each asked whether the searcher took part in them).
func (c conn) searchDocumentsSQLite(ctx context.Context, s access.Subject, q search.Query, own []any, involved, cols, rank, fw string,
	fargs []any) ([]searchRow, error) {
	type ridRow struct {
		searchRow
		rid int64
	}
	scan := func(r scanner) (ridRow, error) {
		var x ridRow
		var at, inv int64
		err := r.Scan(&x.hit.ID, &x.organID, &x.hit.UnitID, &x.hit.Level, &x.hit.DocType, &x.hit.State, &at, &x.hit.Title, &x.hit.Number, &inv,
			&x.hit.StoreRank, &x.rid)
		x.hit.Kind, x.hit.At, x.involved = search.KindDocument, fromTS(at), inv > 0
		return x, err
	}
	limit := searchCandidates + 1
	base := `SELECT ` + cols + `, ` + rank + `, f.rowid FROM search_fts f JOIN search_entries e INDEXED BY search_entries_window ON e.rid = f.rowid
		WHERE search_fts MATCH ? AND e.kind = 'document' AND e.level BETWEEN 0 AND ?` + fw
	baseArgs := func() []any {
		return append([]any{s.PersonID, s.PersonID, q.FTS5(), int(s.Clearance)}, fargs...)
	}
	var parts [][]ridRow
	ownPred := `0 = 1`
	if len(own) > 0 {
		ownPred = `e.level = 0 AND e.organ_id IN (` + placeholders(len(own)) + `)`
		part, err := queryAll(ctx, c, scan, base+` AND `+ownPred+` ORDER BY f.rowid DESC LIMIT ?`,
			append(append(baseArgs(), own...), limit)...)
		if err != nil {
			return nil, err
		}
		parts = append(parts, part)
	}
	part, err := queryAll(ctx, c, scan, base+` AND f.rowid IN (SELECT x.rid FROM search_entries x WHERE x.kind = 'document' AND x.obj_id IN (
			SELECT p.doc_id FROM participants p WHERE p.person_id = ? UNION
			SELECT g.object_id FROM grants g WHERE g.person_id = ? AND g.object_kind = 'document'))
		AND NOT (`+ownPred+`) ORDER BY f.rowid DESC LIMIT ?`,
		append(append(append(baseArgs(), s.PersonID, s.PersonID), own...), limit)...)
	if err != nil {
		return nil, err
	}
	all := append(slices.Concat(parts...), part...)
	slices.SortFunc(all, func(a, b ridRow) int { return cmp.Compare(b.rid, a.rid) })
	rows := make([]searchRow, 0, min(len(all), limit))
	for _, x := range all[:min(len(all), limit)] {
		rows = append(rows, x.searchRow)
	}
	return rows, nil
}

// searchRow is a candidate of the window as the database returns it.
type searchRow struct {
	hit      search.Hit
	organID  string
	involved bool
}

// searchBodies reads the indexed text of the page's documents, for their
// snippets (the window's other entries are ranked without it).
func (c conn) searchBodies(ctx context.Context, hits []search.Hit) error {
	var ids []any
	at := map[string]int{}
	for i, h := range hits {
		if h.Kind == search.KindDocument {
			ids = append(ids, h.ID)
			at[h.ID] = i
		}
	}
	if len(ids) == 0 {
		return nil
	}
	type body struct{ id, text string }
	bodies, err := queryAll(ctx, c, func(r scanner) (body, error) {
		var b body
		var notes string
		err := r.Scan(&b.id, &b.text, &notes)
		if notes != "" {
			b.text += "\n" + notes
		}
		return b, err
	}, `SELECT obj_id, body, notes FROM search_entries WHERE kind = ? AND obj_id IN (`+placeholders(len(ids))+`)`,
		append([]any{search.KindDocument}, ids...)...)
	if err != nil {
		return fmt.Errorf("search bodies: %w", err)
	}
	for _, b := range bodies {
		hits[at[b.id]].Body = b.text
	}
	return nil
}

// searchDirectory finds units and people whose names contain every word of
// q (the directory is open to every business user and small enough to
// read by name).
func (c conn) searchDirectory(ctx context.Context, q search.Query, units []org.Unit) ([]search.Hit, error) {
	var texts []string
	for _, cl := range q.Clauses {
		if cl.Number != nil {
			return nil, nil
		}
		texts = append(texts, cl.Text)
	}
	var hits []search.Hit
	f := q.Filters
	if f.Kind != search.KindPerson {
		for _, u := range units {
			name := search.FoldString(u.Name + " " + u.ShortName)
			if containsAll(name, texts) && (f.Unit == "" || strings.Contains(u.Name, f.Unit)) {
				hits = append(hits, search.Hit{Kind: search.KindUnit, ID: u.ID, Title: u.Name, UnitID: u.ID, Body: u.ShortName})
			}
		}
	}
	if f.Kind == search.KindUnit {
		return hits, nil
	}
	where := make([]string, 0, len(texts))
	args := make([]any, 0, len(texts))
	for _, t := range texts {
		where = append(where, `p.name LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(t)+"%")
	}
	people, err := queryAll(ctx, c, func(r scanner) (search.Hit, error) {
		h := search.Hit{Kind: search.KindPerson}
		var title sql.NullString
		err := r.Scan(&h.ID, &h.Title, &h.UnitID, &title)
		h.Body = title.String
		return h, err
	}, `SELECT p.id, p.name, COALESCE(x.unit_id, ''), x.title FROM people p
		LEFT JOIN positions x ON x.person_id = p.id AND x.is_primary = 1
		WHERE p.disabled = 0 AND `+strings.Join(where, " AND ")+` ORDER BY p.sort, p.name LIMIT 50`, args...)
	if err != nil {
		return nil, fmt.Errorf("search people: %w", err)
	}
	for _, h := range people {
		if f.Unit != "" && !strings.Contains(unitNameOf(units, h.UnitID), f.Unit) {
			continue
		}
		hits = append(hits, h)
	}
	return hits, nil
}

func unitNameOf(units []org.Unit, id string) string {
	for _, u := range units {
		if u.ID == id {
			return u.Name
		}
	}
	return ""
}

func containsAll(s string, subs []string) bool {
	for _, t := range subs {
		if !strings.Contains(s, t) {
			return false
		}
	}
	return len(subs) > 0
}

// Reindex rebuilds the search index from the documents and then the other
// kinds (reindexThings), a batch at a time (each batch one transaction),
// calling progress after each batch.
func (s *Store) Reindex(ctx context.Context, progress func(done, total int)) error {
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM documents`).Scan(&total); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	things, err := s.countThings(ctx)
	if err != nil {
		return err
	}
	total += things
	const batch = 200
	after, done := "", 0
	for {
		ids, err := s.queryStrings(ctx, `SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT ?`, after, batch)
		if err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		if len(ids) == 0 {
			break
		}
		err = s.Write(ctx, func(tx *Tx) error {
			recs, err := tx.Documents(ctx, ids)
			if err != nil {
				return err
			}
			for _, d := range recs {
				in, err := tx.Instance(ctx, d.ID)
				if err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
				notes := routeNotes(in)
				if err := tx.indexDocument(ctx, d, &notes); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		done += len(ids)
		after = ids[len(ids)-1]
		if progress != nil {
			progress(done, total)
		}
	}
	return s.reindexThings(ctx, done, total, progress)
}

// filterSQL is the WHERE clauses (over search_entries e) and their arguments
// of a query's filters, shared by every kind; ok is false when the unit
// filter names no unit, so nothing can match.
func filterSQL(f search.Filters, units []org.Unit) (where string, args []any, ok bool) {
	if f.DocType != "" {
		if r, ok := document.RuleFor(document.DocType(f.DocType)); ok {
			f.DocType = r.Name // the API's code, notice, for 通知
		}
		where += ` AND e.doc_type = ?`
		args = append(args, f.DocType)
	}
	if f.State != "" {
		where += ` AND e.state = ?`
		args = append(args, f.State)
	}
	if f.Level >= 0 {
		where += ` AND e.level = ?`
		args = append(args, f.Level)
	}
	if !f.From.IsZero() {
		where += ` AND e.at >= ? AND e.at < ?`
		args = append(args, ts(f.From), ts(f.Before))
	}
	if f.Unit != "" {
		var ids []any
		for _, u := range units {
			if strings.Contains(u.Name, f.Unit) || strings.Contains(u.ShortName, f.Unit) {
				ids = append(ids, u.ID)
			}
		}
		if len(ids) == 0 {
			return "", nil, false
		}
		where += ` AND (e.unit_id IN (` + placeholders(len(ids)) + `) OR e.organ_id IN (` + placeholders(len(ids)) + `))`
		args = append(append(args, ids...), ids...)
	}
	return where, args, true
}
