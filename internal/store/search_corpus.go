package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/shuniu-oa/shuniu/internal/search"
)

// A corpus of generated 公文 (search.Corpus) is bulk-loaded into the index
// to measure search at scale (`shuniu bench search-corpus`, docs/perf.md):
// the entries are the ones a save would write (putEntry), inserted many to
// a transaction without looking for an existing one.

// CorpusOrgans makes the corpus's organs (search.CorpusUnits) when they
// are missing and returns their ids.
func (s *Store) CorpusOrgans(ctx context.Context) ([]string, error) {
	ids := make([]string, len(search.CorpusUnits))
	err := s.Write(ctx, func(tx *Tx) error {
		for i, name := range search.CorpusUnits {
			ids[i] = fmt.Sprintf("bench-organ-%02d", i)
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM units WHERE id = ?`, ids[i]).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO units (id, name, short_name, kind, created_at, updated_at) VALUES (?, ?, ?, 'organ', 0, 0)`,
				ids[i], name, name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus organs: %w", err)
	}
	return ids, nil
}

// CorpusCount is how many of the corpus's documents are indexed: batches
// commit in order, so it is also the next document's number.
func (s *Store) CorpusCount(ctx context.Context) (int, error) {
	var n int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM search_entries WHERE kind = ? AND obj_id LIKE 'bench-%'`, search.KindDocument).Scan(&n); err != nil {
		return 0, fmt.Errorf("corpus count: %w", err)
	}
	return n, nil
}

// corpusEntry is a generated document's entry, as docEntry makes it of a
// saved one.
func corpusEntry(d search.CorpusDoc) searchEntry {
	return searchEntry{kind: search.KindDocument, id: d.ID, organID: d.OrganID, unitID: d.OrganID, level: d.Level, docType: d.DocType,
		state: d.State, at: ts(d.At), title: d.Title, number: d.Number, body: truncRunes(d.Body, search.MaxIndexedRunes),
		marks: search.NumberMarks(d.Number)}
}

// CorpusEntry is a generated document's entry with its tokens, made
// beside the writing (tokenizing is the part that runs in parallel):
// either the tokens (NewCorpusEntry) or, rendered for one store, the text
// the store takes (Store.PrepareCorpusEntry), which holds far less memory.
type CorpusEntry struct {
	e        searchEntry
	ft       search.FieldTokens
	rendered bool
	cols     [3]string // SQLite: the FTS5 columns
	tsv      string    // PostgreSQL: the tsvector literal
}

// NewCorpusEntry tokenizes a generated document as putEntry would.
func NewCorpusEntry(d search.CorpusDoc) CorpusEntry {
	e := corpusEntry(d)
	return CorpusEntry{e: e, ft: search.AnalyzeFields(e.title, e.number, e.body+"\n"+e.notes, e.marks)}
}

// PrepareCorpusEntry tokenizes a generated document as putEntry would and
// renders the tokens as this store writes them. With a cache, each distinct
// sentence of the body is tokenized once (search.SentenceCache: the same
// tokens as the whole body's).
func (s *Store) PrepareCorpusEntry(d search.CorpusDoc, c *search.SentenceCache) CorpusEntry {
	e := corpusEntry(d)
	var ft search.FieldTokens
	if c != nil && len(d.Parts) > 0 && e.notes == "" {
		ft = search.FieldTokens{Title: search.Analyze(e.title), Number: search.Analyze(e.number), Body: c.Analyze(d.Parts), Marks: e.marks}
	} else {
		ft = search.AnalyzeFields(e.title, e.number, e.body+"\n"+e.notes, e.marks)
	}
	x := CorpusEntry{e: e, rendered: true}
	if s.dialect == Postgres {
		x.tsv = ft.TSVector()
	} else {
		x.cols[0], x.cols[1], x.cols[2] = ft.FTS5Columns()
	}
	return x
}

// fts5Columns and tsvector are the entry's tokens as the stores take them.
func (x *CorpusEntry) fts5Columns() (string, string, string) {
	if x.rendered {
		return x.cols[0], x.cols[1], x.cols[2]
	}
	return x.ft.FTS5Columns()
}

func (x *CorpusEntry) tsvector() string {
	if x.rendered {
		return x.tsv
	}
	return x.ft.TSVector()
}

// FTS5 settings for a bulk load, and the defaults CorpusFinish restores
// (a deployment's saves run with these). FTS5 writes a segment whenever
// its in-memory hash passes hashsize (1 MB by default, a few hundred
// documents) and at each commit, and merges segments as they pile up
// (automerge): loading 10,000 documents spent most of its time merging and
// deleting merged segments. With a large hash and no merging each
// transaction writes one segment, and optimize merges them all once.
var (
	fts5BulkConfig    = [][2]any{{"hashsize", 512 << 20}, {"automerge", 0}, {"crisismerge", 500}}
	fts5DefaultConfig = [][2]any{{"hashsize", 1 << 20}, {"automerge", 4}, {"crisismerge", 16}}
)

func fts5Configure(ctx context.Context, tx *Tx, conf [][2]any) error {
	for _, kv := range conf {
		if _, err := tx.exec(ctx, `INSERT INTO search_fts (search_fts, rank) VALUES (?, ?)`, kv[0], kv[1]); err != nil {
			return fmt.Errorf("fts5 %s: %w", kv[0], err)
		}
	}
	return nil
}

// CorpusStart readies the index for a bulk load: on PostgreSQL the GIN
// index is dropped (CorpusFinish builds it once, far faster than keeping
// it current row by row); on SQLite FTS5 stops merging (fts5BulkConfig).
func (s *Store) CorpusStart(ctx context.Context) error {
	if s.dialect != Postgres {
		// The writer's page cache: FTS5 merges its segments through it.
		err := s.onWriter(ctx, func(q querier) error {
			_, err := q.ExecContext(ctx, `PRAGMA cache_size = -262144`)
			return err
		})
		if err == nil {
			err = s.Write(ctx, func(tx *Tx) error { return fts5Configure(ctx, tx, fts5BulkConfig) })
		}
		if err != nil {
			return fmt.Errorf("corpus start: %w", err)
		}
		return nil
	}
	if _, err := s.exec(ctx, `DROP INDEX IF EXISTS search_entries_tokens`); err != nil {
		return fmt.Errorf("corpus start: %w", err)
	}
	return nil
}

// CorpusFinish completes a bulk load: PostgreSQL builds the GIN index and
// gathers statistics; SQLite merges FTS5's segments into one (optimize)
// and restores FTS5's default merging for later saves.
func (s *Store) CorpusFinish(ctx context.Context) error {
	err := s.Write(ctx, func(tx *Tx) error {
		if tx.d == Postgres {
			if _, err := tx.exec(ctx, `SET LOCAL maintenance_work_mem = '1GB'`); err != nil {
				return err
			}
			_, err := tx.exec(ctx, `CREATE INDEX IF NOT EXISTS search_entries_tokens ON search_entries USING GIN (tokens)`)
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO search_fts (search_fts) VALUES ('optimize')`); err != nil {
			return err
		}
		return fts5Configure(ctx, tx, fts5DefaultConfig)
	})
	if err == nil {
		err = s.onWriter(ctx, func(q querier) error {
			_, err := q.ExecContext(ctx, `ANALYZE search_entries`)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("corpus finish: %w", err)
	}
	return nil
}

// BulkIndex writes new entries in one transaction (on PostgreSQL one COPY).
func (s *Store) BulkIndex(ctx context.Context, es []CorpusEntry) error {
	if s.dialect == Postgres {
		return s.copyEntries(ctx, es)
	}
	return s.Write(ctx, func(tx *Tx) error { return tx.bulkEntries(ctx, es) })
}

// IndexCorpusDoc writes one generated document's entry in a write of its
// own, as a save does (putEntry): what a save pays to keep the index current.
func (s *Store) IndexCorpusDoc(ctx context.Context, d search.CorpusDoc) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.putEntry(ctx, corpusEntry(d)) })
}

// SearchIndexSize is the bytes the index takes: the database file on
// SQLite (the index is most of it), search_entries with its indexes and
// TOAST on PostgreSQL.
func (s *Store) SearchIndexSize(ctx context.Context) (int64, error) {
	if s.dialect == Postgres {
		var n int64
		err := s.queryRow(ctx, `SELECT pg_total_relation_size('search_entries')`).Scan(&n)
		return n, err
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// bulkEntries inserts new entries into SQLite the way putEntry does,
// without looking for an existing one.
func (tx *Tx) bulkEntries(ctx context.Context, es []CorpusEntry) error {
	// The rows first, then their tokens: FTS5 writes out what it holds in
	// memory at every statement savepoint, and an insert into a table with
	// a unique index opens one, so interleaving the two would write a
	// segment per entry.
	rids := make([]int64, len(es))
	for i := range es {
		e := es[i].e
		if err := tx.queryRow(ctx, `INSERT INTO search_entries (kind, obj_id, organ_id, unit_id, level, doc_type, state, at, title, number, body, notes)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rid`,
			e.kind, e.id, e.organID, e.unitID, e.level, e.docType, e.state, e.at, e.title, e.number, e.body, e.notes).Scan(&rids[i]); err != nil {
			return fmt.Errorf("bulk index: %w", err)
		}
	}
	for i := range es {
		title, number, body := es[i].fts5Columns()
		if _, err := tx.exec(ctx, `INSERT INTO search_fts (rowid, title, number, body) VALUES (?, ?, ?, ?)`, rids[i], title, number, body); err != nil {
			return fmt.Errorf("bulk index: %w", err)
		}
	}
	return nil
}

// copyEntries writes new entries into PostgreSQL with one COPY (its own
// transaction): the rows as text, the tokens as the tsvector literal
// putEntry writes, without an INSERT statement's parse and plan per 200
// rows.
func (s *Store) copyEntries(ctx context.Context, es []CorpusEntry) error {
	var b bytes.Buffer
	for i := range es {
		e := &es[i].e
		for j, f := range []string{e.kind, e.id, e.organID, e.unitID, strconv.Itoa(e.level), e.docType, e.state,
			strconv.FormatInt(e.at, 10), e.title, e.number, e.body, e.notes, es[i].tsvector()} {
			if j > 0 {
				b.WriteByte('\t')
			}
			copyText(&b, f)
		}
		b.WriteByte('\n')
	}
	c, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("bulk index: %w", err)
	}
	defer c.Close()
	err = c.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("not a pgx connection: %T", dc)
		}
		_, err := pc.Conn().PgConn().CopyFrom(ctx, &b,
			`COPY search_entries (kind, obj_id, organ_id, unit_id, level, doc_type, state, at, title, number, body, notes, tokens) FROM STDIN`)
		return err
	})
	if err != nil {
		return fmt.Errorf("bulk index: %w", err)
	}
	return nil
}

// copyText writes s as a field of COPY's text format.
func copyText(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
}
