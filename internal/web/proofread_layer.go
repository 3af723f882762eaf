package web

import (
	"context"
	"slices"
	"sync"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
	"github.com/shuniu-oa/shuniu/internal/schedule"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// proofLayer is what the proofreader learns from this deployment, kept
// current for every check: the counts of its issued documents (the
// chunks schedule.ProofreadSweep writes; a server reads only the chunks
// it has not read) and the names of its directory (read again when the
// organisation's revision moves). Two small queries a check when nothing
// changed.
type proofLayer struct {
	mu     sync.Mutex
	ids    []int64 // the chunks counts holds
	counts *charlm.Counts
	rev    string
	names  []string
}

// current returns the layer as the database has it now.
func (l *proofLayer) current(ctx context.Context, s *store.Store) (*charlm.Counts, []string, error) {
	ids, err := s.ProofreadChunkIDs(ctx)
	if err != nil {
		return nil, nil, err
	}
	rev, err := s.OrgRev(ctx)
	if err != nil {
		return nil, nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !slices.Equal(ids, l.ids) {
		// New chunks on top of those held, or (after the job merged them)
		// a new list: read the new ones, or all.
		base, after := l.counts, int64(0)
		if len(l.ids) > 0 && len(ids) > len(l.ids) && slices.Equal(ids[:len(l.ids)], l.ids) {
			after = l.ids[len(l.ids)-1]
		} else {
			base = nil
		}
		chunks, err := s.ProofreadChunks(ctx, after)
		if err != nil {
			return nil, nil, err
		}
		if after > 0 && !slices.Equal(chunkIDs(chunks), ids[len(l.ids):]) {
			// Merged in between: read everything.
			base, after = nil, 0
			if chunks, err = s.ProofreadChunks(ctx, 0); err != nil {
				return nil, nil, err
			}
		}
		c, err := schedule.MergeProofreadChunks(base, chunks)
		if err != nil {
			return nil, nil, err
		}
		if after == 0 {
			l.ids = chunkIDs(chunks)
		} else {
			l.ids = append(slices.Clip(l.ids), chunkIDs(chunks)...)
		}
		l.counts = c
	}
	if rev != l.rev || l.names == nil {
		names, err := s.DirectoryNames(ctx)
		if err != nil {
			return nil, nil, err
		}
		l.rev, l.names = rev, names
	}
	return l.counts, l.names, nil
}

func chunkIDs(chunks []store.ProofreadChunk) []int64 {
	out := make([]int64, len(chunks))
	for i, c := range chunks {
		out[i] = c.ID
	}
	return out
}
