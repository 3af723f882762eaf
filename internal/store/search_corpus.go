package store

import (
	"context"
	"fmt"
	"os"
	"strings"

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
// beside the writing (tokenizing is the part that runs in parallel).
type CorpusEntry struct {
	e  searchEntry
	ft search.FieldTokens
}

// NewCorpusEntry tokenizes a generated document as putEntry would.
func NewCorpusEntry(d search.CorpusDoc) CorpusEntry {
	e := corpusEntry(d)
	return CorpusEntry{e, search.AnalyzeFields(e.title, e.number, e.body+"\n"+e.notes, e.marks)}
}

// CorpusStart readies the index for a bulk load: on PostgreSQL the GIN
// index is dropped (CorpusFinish builds it once, far faster than keeping
// it current row by row).
func (s *Store) CorpusStart(ctx context.Context) error {
	if s.dialect != Postgres {
		// The writer's page cache: FTS5 merges its segments through it.
		return s.onWriter(ctx, func(q querier) error {
			_, err := q.ExecContext(ctx, `PRAGMA cache_size = -262144`)
			return err
		})
	}
	if _, err := s.exec(ctx, `DROP INDEX IF EXISTS search_entries_tokens`); err != nil {
		return fmt.Errorf("corpus start: %w", err)
	}
	return nil
}

// CorpusFinish completes a bulk load: PostgreSQL builds the GIN index and
// gathers statistics; SQLite merges FTS5's segments into one (optimize).
func (s *Store) CorpusFinish(ctx context.Context) error {
	err := s.Write(ctx, func(tx *Tx) error {
		if tx.d == Postgres {
			if _, err := tx.exec(ctx, `SET LOCAL maintenance_work_mem = '1GB'`); err != nil {
				return err
			}
			_, err := tx.exec(ctx, `CREATE INDEX IF NOT EXISTS search_entries_tokens ON search_entries USING GIN (tokens)`)
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO search_fts (search_fts) VALUES ('optimize')`)
		return err
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

// BulkIndex writes new entries in one transaction.
func (s *Store) BulkIndex(ctx context.Context, es []CorpusEntry) error {
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

// bulkEntries inserts new entries the way putEntry does, without looking
// for an existing one, many rows a statement on PostgreSQL.
func (tx *Tx) bulkEntries(ctx context.Context, es []CorpusEntry) error {
	if tx.d == Postgres {
		const per = 200
		for i := 0; i < len(es); i += per {
			part := es[i:min(len(es), i+per)]
			vals := make([]string, 0, len(part))
			args := make([]any, 0, 13*len(part))
			for _, x := range part {
				e := x.e
				vals = append(vals, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::tsvector)`)
				args = append(args, e.kind, e.id, e.organID, e.unitID, e.level, e.docType, e.state, e.at, e.title, e.number, e.body, e.notes, x.ft.TSVector())
			}
			if _, err := tx.exec(ctx, `INSERT INTO search_entries (kind, obj_id, organ_id, unit_id, level, doc_type, state, at, title, number, body, notes, tokens) VALUES `+
				strings.Join(vals, ", "), args...); err != nil {
				return fmt.Errorf("bulk index: %w", err)
			}
		}
		return nil
	}
	// The rows first, then their tokens: FTS5 writes out what it holds in
	// memory at every statement savepoint, and an insert into a table with
	// a unique index opens one, so interleaving the two would write a
	// segment per entry.
	rids := make([]int64, len(es))
	for i, x := range es {
		e := x.e
		if err := tx.queryRow(ctx, `INSERT INTO search_entries (kind, obj_id, organ_id, unit_id, level, doc_type, state, at, title, number, body, notes)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rid`,
			e.kind, e.id, e.organID, e.unitID, e.level, e.docType, e.state, e.at, e.title, e.number, e.body, e.notes).Scan(&rids[i]); err != nil {
			return fmt.Errorf("bulk index: %w", err)
		}
	}
	for i, x := range es {
		title, number, body := x.ft.FTS5Columns()
		if _, err := tx.exec(ctx, `INSERT INTO search_fts (rowid, title, number, body) VALUES (?, ?, ?, ?)`, rids[i], title, number, body); err != nil {
			return fmt.Errorf("bulk index: %w", err)
		}
	}
	return nil
}
