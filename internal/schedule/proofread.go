package schedule

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The deployment's own language model: every unclassified document signed
// off (签发) is queued in the same transaction (store.QueueProofreadText);
// this job counts the queued documents' text into chunks of character
// n-gram counts, which every server lays over the shipped model
// (proofread.Config.Local). It runs under its sweep cursor's lock, so with
// several servers a document is counted once.

// ProofreadBatch is how many documents one run of the job counts: a run
// holds the writer (SQLite) or the job's lock (PostgreSQL) while it counts,
// a few milliseconds a document.
const ProofreadBatch = 50

// maxProofreadChunks is how many chunks may pile up before the job merges
// them into one, so that a server starting cold reads a few blobs.
const maxProofreadChunks = 16

// ProofreadSweep is the job, run by the scheduler with the other sweeps.
func ProofreadSweep(start time.Time) Sweep {
	return Sweep{Name: store.ProofreadLMSweepName, Start: start, Run: func(ctx context.Context, tx *store.Tx, _, _ time.Time) error {
		_, _, err := LearnQueued(ctx, tx, ProofreadBatch)
		return err
	}}
}

// LearnQueued counts up to limit queued documents into a new chunk, and
// merges the chunks when there are many. It returns how many documents it
// counted and how many are still queued.
func LearnQueued(ctx context.Context, tx *store.Tx, limit int) (done, left int, err error) {
	recs, total, err := tx.QueuedProofreadDocs(ctx, limit)
	if err != nil || len(recs) == 0 {
		return 0, total, err
	}
	c := charlm.NewCounts()
	ids := make([]string, len(recs))
	counted := 0
	for i, rec := range recs {
		ids[i] = rec.ID
		if rec.Doc.Classification.Level != document.Unclassified {
			continue // classified since it was queued: marked done, never counted
		}
		counted++
		for _, p := range strings.Split(ProofreadText(rec), "\n") {
			c.AddParagraph(p)
		}
	}
	blob, err := c.MarshalBinary()
	if err != nil {
		return 0, total, fmt.Errorf("proofread counts: %w", err)
	}
	if _, err := tx.AddProofreadChunk(ctx, ids, counted, c.Chars(), blob); err != nil {
		return 0, total, err
	}
	if err := mergeChunks(ctx, tx); err != nil {
		return 0, total, err
	}
	return len(recs), total - len(recs), nil
}

// mergeChunks replaces the chunks by their merge once there are more than
// maxProofreadChunks.
func mergeChunks(ctx context.Context, tx *store.Tx) error {
	ids, err := tx.ProofreadChunkIDs(ctx)
	if err != nil || len(ids) <= maxProofreadChunks {
		return err
	}
	chunks, err := tx.ProofreadChunks(ctx, 0)
	if err != nil {
		return err
	}
	var merged store.ProofreadChunk
	cs := make([]*charlm.Counts, 0, len(chunks))
	for _, ch := range chunks {
		c, err := charlm.UnmarshalCounts(ch.Counts)
		if err != nil {
			return fmt.Errorf("proofread chunk %d: %w", ch.ID, err)
		}
		cs = append(cs, c)
		merged.Docs += ch.Docs
		merged.Chars += ch.Chars
	}
	if merged.Counts, err = charlm.Merge(cs...).MarshalBinary(); err != nil {
		return err
	}
	_, err = tx.ReplaceProofreadChunks(ctx, merged)
	return err
}

// LearnIssued is `shuniu proofread build-model --db`: it queues every
// document signed off before the job existed and counts all that are
// queued, under the job's lock, telling progress what is done of how many.
func LearnIssued(ctx context.Context, s *store.Store, progress func(done, total int)) (int, error) {
	if _, err := s.QueueIssuedDocs(ctx); err != nil {
		return 0, err
	}
	done, total := 0, -1
	for {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		left := -1
		if _, _, err := s.Sweep(ctx, store.ProofreadLMSweepName, s.Now(), func(tx *store.Tx, _, _ time.Time) error {
			n, l, err := LearnQueued(ctx, tx, ProofreadBatch)
			done, left = done+n, l
			return err
		}); err != nil {
			return done, err
		}
		if left < 0 {
			// The clock has not moved since the last run: try again.
			time.Sleep(time.Millisecond)
			continue
		}
		if total < 0 {
			total = done + left
		}
		if progress != nil {
			progress(done, total)
		}
		if left == 0 {
			return done, nil
		}
	}
}

// ProofreadText is the text of a document the deployment's model learns:
// the title and the body's paragraphs, one a line.
func ProofreadText(rec store.DocRecord) string {
	var b strings.Builder
	b.WriteString(rec.Doc.Title)
	for _, p := range rec.Doc.Body.Paragraphs {
		b.WriteByte('\n')
		b.WriteString(p.Marker + p.Text)
	}
	return b.String()
}

// MergeProofreadChunks merges the counts of chunks onto base (nil: none),
// for a server's layer.
func MergeProofreadChunks(base *charlm.Counts, chunks []store.ProofreadChunk) (*charlm.Counts, error) {
	cs := []*charlm.Counts{base}
	for _, ch := range chunks {
		c, err := charlm.UnmarshalCounts(ch.Counts)
		if err != nil {
			return nil, fmt.Errorf("proofread chunk %d: %w", ch.ID, err)
		}
		cs = append(cs, c)
	}
	return charlm.Merge(cs...), nil
}
