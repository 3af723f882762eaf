package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/search"
)

// TestCorpusBulkIndex: the bulk load of `shuniu bench search-corpus`
// leaves the index exactly as saving the same documents one by one does
// (putEntry) — the same rows and the same tokens at the same positions — so
// what is measured at scale is the index a deployment has.
func TestCorpusBulkIndex(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			bulk, saved := searchTestStore(t, dialect), searchTestStore(t, dialect)
			organs, err := bulk.CorpusOrgans(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := saved.CorpusOrgans(ctx); err != nil {
				t.Fatal(err)
			}
			c := search.Corpus{Docs: 40, Organs: organs, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
				Sentences: []string{"国务院办公厅关于加强基层应急管理能力建设的意见。", "ＧＤＰ增长5.2%，城镇新增就业1256万人。"}}
			// Half as the bulk load makes them (rendered, sentences tokenized
			// once), half from their tokens.
			var es []CorpusEntry
			var cache search.SentenceCache
			for n := range c.Docs {
				if n%2 == 0 {
					es = append(es, bulk.PrepareCorpusEntry(c.Doc(n), &cache))
				} else {
					es = append(es, NewCorpusEntry(c.Doc(n)))
				}
				if err := saved.IndexCorpusDoc(ctx, c.Doc(n)); err != nil {
					t.Fatal(err)
				}
			}
			if err := bulk.CorpusStart(ctx); err != nil {
				t.Fatal(err)
			}
			if err := bulk.BulkIndex(ctx, es); err != nil {
				t.Fatal(err)
			}
			if err := bulk.CorpusFinish(ctx); err != nil {
				t.Fatal(err)
			}
			if n, err := bulk.CorpusCount(ctx); err != nil || n != c.Docs {
				t.Fatalf("CorpusCount = %d, %v; want %d", n, err, c.Docs)
			}
			a, b := indexDump(t, bulk), indexDump(t, saved)
			if len(a) != c.Docs {
				t.Fatalf("bulk index has %d entries, want %d", len(a), c.Docs)
			}
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("entry %d differs:\nbulk  %.300s\nsaved %.300s", i, a[i], b[i])
				}
			}
		})
	}
}

// indexDump is each entry's row and tokens as text, by id.
func indexDump(t *testing.T, s *Store) []string {
	t.Helper()
	ctx := context.Background()
	tokens := map[int64]string{}
	if s.dialect == Postgres {
		type tv struct {
			rid int64
			v   string
		}
		rows, err := queryAll(ctx, s.conn, func(r scanner) (tv, error) {
			var x tv
			return x, r.Scan(&x.rid, &x.v)
		}, `SELECT rid, tokens::text FROM search_entries`)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range rows {
			tokens[x.rid] = x.v
		}
	} else {
		// The contentless FTS5 table's own index, read through fts5vocab.
		err := s.onWriter(ctx, func(q querier) error {
			if _, err := q.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, search_fts, instance)`); err != nil {
				return err
			}
			rows, err := q.QueryContext(ctx, `SELECT doc, term, col, "offset" FROM temp.search_vocab ORDER BY doc, col, "offset", term`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var doc, off int64
				var term, col string
				if err := rows.Scan(&doc, &term, &col, &off); err != nil {
					return err
				}
				tokens[doc] += fmt.Sprintf("%s:%s:%d ", col, term, off)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	type row struct {
		rid  int64
		line string
	}
	rows, err := queryAll(ctx, s.conn, func(r scanner) (row, error) {
		var x row
		var kind, id, organ, unit, docType, state, title, number, body, notes string
		var level, at int64
		err := r.Scan(&x.rid, &kind, &id, &organ, &unit, &level, &docType, &state, &at, &title, &number, &body, &notes)
		x.line = strings.Join([]string{kind, id, organ, unit, fmt.Sprint(level), docType, state, fmt.Sprint(at), title, number, body, notes}, "|")
		return x, err
	}, `SELECT rid, kind, obj_id, organ_id, unit_id, level, doc_type, state, at, title, number, body, notes FROM search_entries ORDER BY obj_id`)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(rows))
	for _, x := range rows {
		if tokens[x.rid] == "" {
			t.Fatalf("entry %.60s has no tokens", x.line)
		}
		out = append(out, x.line+"|"+tokens[x.rid])
	}
	slices.Sort(out)
	return out
}
