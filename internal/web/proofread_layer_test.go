package web

import (
	"context"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestProofLayer: a server's copy of the deployment's model follows the
// database — new chunks are read on top of what it holds, a merge (chunks
// replaced by one) is read afresh, and nothing is counted twice.
func TestProofLayer(t *testing.T) {
	ctx := context.Background()
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		add := func(text string) {
			t.Helper()
			c := charlm.NewCounts()
			c.AddParagraph(text)
			b, _ := c.MarshalBinary()
			if err := s.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.AddProofreadChunk(ctx, nil, 1, c.Chars(), b)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		var l proofLayer
		count := func(gram string) uint32 {
			t.Helper()
			c, _, err := l.current(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			return c.Count([]rune(gram))
		}
		if n := count("智汇坊"); n != 0 {
			t.Fatalf("empty database: %d", n)
		}
		add("推进智汇坊建设")
		if n := count("智汇坊"); n != 1 {
			t.Fatalf("first chunk: %d", n)
		}
		add("智汇坊运营")
		add("清澜区智汇坊")
		if n := count("智汇坊"); n != 3 {
			t.Fatalf("new chunks on top: %d", n)
		}
		if n := count("智汇坊"); n != 3 || len(l.ids) != 3 {
			t.Fatalf("unchanged: %d from %v", n, l.ids)
		}
		// The job merges the chunks into one with a new ID.
		if err := s.Write(ctx, func(tx *store.Tx) error {
			chunks, err := tx.ProofreadChunks(ctx, 0)
			if err != nil {
				return err
			}
			merged := charlm.NewCounts()
			for _, ch := range chunks {
				c, err := charlm.UnmarshalCounts(ch.Counts)
				if err != nil {
					return err
				}
				merged = charlm.Merge(merged, c)
			}
			b, _ := merged.MarshalBinary()
			_, err = tx.ReplaceProofreadChunks(ctx, store.ProofreadChunk{Docs: 3, Chars: merged.Chars(), Counts: b})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		add("智汇坊")
		if n := count("智汇坊"); n != 4 || len(l.ids) != 2 {
			t.Fatalf("after a merge: %d from %v", n, l.ids)
		}
		// A second server starting now reads the same.
		var other proofLayer
		c, _, err := other.current(ctx, s)
		if err != nil || c.Count([]rune("智汇坊")) != 4 {
			t.Fatalf("another server: %v", err)
		}
	})
}
