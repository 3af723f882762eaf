package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/shuniu-oa/shuniu/internal/document"
)

// The deployment's own language model (校对): the text of every unclassified
// document signed off (签发) is queued at sign-off (QueueProofreadText) and
// counted by a background job (schedule.ProofreadSweep) into chunks of
// character n-gram counts (package charlm's Counts, opaque here). The job
// runs under the lock of its sweep cursor (Store.Sweep), so several servers
// count a document once; each server reads the chunks it has not read yet.

// ProofreadLMSweepName is the sweep cursor whose row locks the job.
const ProofreadLMSweepName = "proofread.lm"

// ProofreadChunk is one chunk of counts.
type ProofreadChunk struct {
	ID     int64
	Docs   int
	Chars  int64
	Counts []byte
}

// QueueProofreadText queues a signed-off document's text for the
// deployment's model. A classified document is never queued (its counts
// would answer questions about its text); a document queued or counted
// before is not queued again.
func (tx *Tx) QueueProofreadText(ctx context.Context, rec DocRecord) error {
	if rec.Doc.Classification.Level != document.Unclassified {
		return nil
	}
	if _, err := tx.exec(ctx, `INSERT INTO proofread_lm_docs (doc_id, queued_at) VALUES (?, ?) ON CONFLICT (doc_id) DO NOTHING`, rec.ID, ts(tx.now)); err != nil {
		return fmt.Errorf("queue text of %s for the proofreader: %w", rec.ID, err)
	}
	return nil
}

// QueueIssuedDocs queues every unclassified outgoing document already
// signed off and not yet queued (`shuniu proofread build-model --db`: the
// documents issued before the job existed). It returns how many it queued.
func (s *Store) QueueIssuedDocs(ctx context.Context) (int, error) {
	ids, err := s.queryStrings(ctx, `SELECT d.id FROM documents d WHERE d.direction = ? AND d.level = 0
		AND NOT EXISTS (SELECT 1 FROM proofread_lm_docs q WHERE q.doc_id = d.id) ORDER BY d.created_at, d.id`, Outgoing)
	if err != nil {
		return 0, fmt.Errorf("documents to learn from: %w", err)
	}
	n := 0
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 200)]
		ids = ids[len(batch):]
		err := s.Write(ctx, func(tx *Tx) error {
			for _, id := range batch {
				rec, in, err := tx.documentAndRoute(ctx, id)
				if errors.Is(err, ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				if _, ok := document.SignOffOf(in); !ok {
					continue
				}
				if err := tx.QueueProofreadText(ctx, rec); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// QueuedProofreadDocs returns up to limit queued documents, the oldest
// first, and how many are queued in all.
func (tx *Tx) QueuedProofreadDocs(ctx context.Context, limit int) ([]DocRecord, int, error) {
	var total int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM proofread_lm_docs WHERE chunk_id = 0`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("queued texts: %w", err)
	}
	if total == 0 {
		return nil, 0, nil
	}
	ids, err := tx.queryStrings(ctx, `SELECT doc_id FROM proofread_lm_docs WHERE chunk_id = 0 ORDER BY queued_at, doc_id LIMIT ?`, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("queued texts: %w", err)
	}
	recs, err := tx.Documents(ctx, ids)
	if err != nil {
		return nil, 0, fmt.Errorf("queued texts: %w", err)
	}
	return recs, total, nil
}

// AddProofreadChunk stores a chunk counted from docs of the given queued
// documents (the others were skipped) and marks them all done. It returns
// the chunk's ID.
func (tx *Tx) AddProofreadChunk(ctx context.Context, docIDs []string, docs int, chars int64, counts []byte) (int64, error) {
	id, err := tx.nextProofreadChunk(ctx)
	if err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO proofread_lm_chunks (id, docs, chars, counts, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, docs, chars, counts, ts(tx.now)); err != nil {
		return 0, fmt.Errorf("add counts: %w", err)
	}
	for _, d := range docIDs {
		if _, err := tx.exec(ctx, `UPDATE proofread_lm_docs SET chunk_id = ? WHERE doc_id = ?`, id, d); err != nil {
			return 0, fmt.Errorf("mark %s counted: %w", d, err)
		}
	}
	return id, nil
}

func (tx *Tx) nextProofreadChunk(ctx context.Context) (int64, error) {
	var id int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM proofread_lm_chunks`).Scan(&id); err != nil {
		return 0, fmt.Errorf("next chunk: %w", err)
	}
	return id, nil
}

// ReplaceProofreadChunks replaces every chunk by one (their merge): it gets
// a new ID, so that a server sees its list of chunks change and reads it
// afresh.
func (tx *Tx) ReplaceProofreadChunks(ctx context.Context, merged ProofreadChunk) (int64, error) {
	id, err := tx.nextProofreadChunk(ctx)
	if err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `DELETE FROM proofread_lm_chunks`); err != nil {
		return 0, fmt.Errorf("merge counts: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO proofread_lm_chunks (id, docs, chars, counts, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, merged.Docs, merged.Chars, merged.Counts, ts(tx.now)); err != nil {
		return 0, fmt.Errorf("merge counts: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE proofread_lm_docs SET chunk_id = ? WHERE chunk_id <> 0`, id); err != nil {
		return 0, fmt.Errorf("merge counts: %w", err)
	}
	return id, nil
}

// ProofreadChunkIDs lists the chunks' IDs in increasing order: one cheap
// query a server asks before each check to see whether the model changed.
func (c conn) ProofreadChunkIDs(ctx context.Context) ([]int64, error) {
	rows, err := c.query(ctx, `SELECT id FROM proofread_lm_chunks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("proofread chunks: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ProofreadChunks returns the chunks with IDs above after, in order.
func (c conn) ProofreadChunks(ctx context.Context, after int64) ([]ProofreadChunk, error) {
	rows, err := c.query(ctx, `SELECT id, docs, chars, counts FROM proofread_lm_chunks WHERE id > ? ORDER BY id`, after)
	if err != nil {
		return nil, fmt.Errorf("proofread chunks: %w", err)
	}
	defer rows.Close()
	var out []ProofreadChunk
	for rows.Next() {
		var ch ProofreadChunk
		if err := rows.Scan(&ch.ID, &ch.Docs, &ch.Chars, &ch.Counts); err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, rows.Err()
}

// OrgRev is the organisation's revision: it changes with every write to
// units, positions, roles or 分管 (Tx.orgChanged), so a cache of the
// directory keyed by it is never stale.
func (c conn) OrgRev(ctx context.Context) (string, error) {
	var rev string
	if err := c.queryRow(ctx, `SELECT rev FROM org_rev WHERE id = 1`).Scan(&rev); err != nil {
		return "", fmt.Errorf("read the organisation's revision: %w", err)
	}
	return rev, nil
}

// DirectoryNames are the names of the directory's people and units, for
// the proofreader, which never corrects them.
func (c conn) DirectoryNames(ctx context.Context) ([]string, error) {
	names, err := c.queryStrings(ctx, `SELECT name FROM people UNION SELECT name FROM units`)
	if err != nil {
		return nil, fmt.Errorf("directory names: %w", err)
	}
	return names, nil
}

// ProofreadModelStats is what the deployment's model holds: documents and
// characters counted, and documents queued for the job.
type ProofreadModelStats struct {
	Docs   int
	Chars  int64
	Queued int
}

// ProofreadModelStats reads ProofreadModelStats, for 校对设置.
func (c conn) ProofreadModelStats(ctx context.Context) (ProofreadModelStats, error) {
	var st ProofreadModelStats
	if err := c.queryRow(ctx, `SELECT COALESCE(SUM(docs), 0), COALESCE(SUM(chars), 0) FROM proofread_lm_chunks`).Scan(&st.Docs, &st.Chars); err != nil {
		return st, fmt.Errorf("proofread model: %w", err)
	}
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM proofread_lm_docs WHERE chunk_id = 0`).Scan(&st.Queued); err != nil {
		return st, fmt.Errorf("proofread model: %w", err)
	}
	return st, nil
}
