package store_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

func TestProofreadState(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		rec := newDraft(t, s, x, clerk, childOf(x, office.ID, "秘书科"), nil)
		other := newDraft(t, s, x, clerk, childOf(x, office.ID, "秘书科"), nil)

		// Marks: stored once, per document, sorted; a second mark is no new audit entry.
		for _, key := range []string{"term/W01/其它", "typo/T03/己经", "term/W01/其它"} {
			if err := s.IgnoreFinding(ctx, clerk, rec.ID, key); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.IgnoredFindings(ctx, rec.ID)
		if err != nil || !slices.Equal(got, []string{"term/W01/其它", "typo/T03/己经"}) {
			t.Fatalf("ignored: %v %v", got, err)
		}
		if got, _ := s.IgnoredFindings(ctx, other.ID); len(got) != 0 {
			t.Errorf("marks leak to another document: %v", got)
		}
		es, err := s.ListAudit(ctx, store.AuditFilter{Action: "proofread.ignore"})
		if err != nil || len(es) != 2 || es[0].ObjectID != rec.ID || es[0].ActorID != clerk.ID {
			t.Fatalf("ignore audit: %d entries %v", len(es), err)
		}
		if err := s.UnignoreFinding(ctx, clerk, rec.ID, "typo/T03/己经"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.IgnoredFindings(ctx, rec.ID); !slices.Equal(got, []string{"term/W01/其它"}) {
			t.Errorf("after unignore: %v", got)
		}

		// Bad input is refused without a write.
		for _, key := range []string{"", "  ", "nokey", strings.Repeat("字", 400) + "/a/b"} {
			if err := s.IgnoreFinding(ctx, clerk, rec.ID, key); err == nil {
				t.Errorf("key %.20q accepted", key)
			}
		}
		if err := s.IgnoreFinding(ctx, clerk, "no-such-doc", "term/W01/其它"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown document: %v", err)
		}

		// Accepted counts add up per step and show in the organ's totals.
		for _, c := range []struct {
			doc, step string
			n         int
		}{{rec.ID, "draft", 1}, {rec.ID, "review", 2}, {rec.ID, "review", 1}, {other.ID, "review", 1}, {other.ID, "sign_off", 1}} {
			if err := s.RecordAccepted(ctx, clerk, c.doc, c.step, c.n, "typo/T01/己经"); err != nil {
				t.Fatal(err)
			}
		}
		counts, err := s.AcceptedCounts(ctx, rec.ID)
		if err != nil || !maps.Equal(counts, map[string]int{"draft": 1, "review": 3}) {
			t.Errorf("counts: %v %v", counts, err)
		}
		totals, err := s.AcceptedTotals(ctx, rec.OrganID)
		if err != nil || !maps.Equal(totals, map[string]int{"draft": 1, "review": 4, "sign_off": 1}) {
			t.Errorf("totals: %v %v", totals, err)
		}
		if err := s.RecordAccepted(ctx, clerk, rec.ID, "review", 0, ""); err == nil {
			t.Error("zero accepted recorded")
		}
		if es, _ := s.ListAudit(ctx, store.AuditFilter{Action: "proofread.accept"}); len(es) != 5 {
			t.Errorf("accept audit: %d entries", len(es))
		}
		if n, err := s.VerifyAudit(ctx); err != nil {
			t.Errorf("audit chain after %d: %v", n, err)
		}
	})
}

// TestAcceptSuggestion: the version with the accepted suggestion and the
// count are written together; the same acceptance sent twice from one
// version (a double click), even at the same moment, saves and counts once;
// a refused save counts nothing.
func TestAcceptSuggestion(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		rec := newDraft(t, s, x, clerk, childOf(x, office.ID, "秘书科"), nil)
		doc := rec.Doc
		doc.Title += "（修改）"

		const tries = 4
		errs := make(chan error, tries)
		var wg sync.WaitGroup
		for range tries {
			wg.Go(func() {
				_, err := s.AcceptSuggestion(ctx, clerk, rec.ID, rec.Version, doc, "采纳校对建议：己经→已经", "draft", "typo/T01/己经")
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, store.ErrStale):
				t.Errorf("second acceptance: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of %d acceptances from one version went through", ok, tries)
		}
		got, err := s.Document(ctx, rec.ID)
		if err != nil || got.Version != rec.Version+1 || got.Doc.Title != doc.Title {
			t.Fatalf("after accepting: v%d %q %v", got.Version, got.Doc.Title, err)
		}
		if counts, _ := s.AcceptedCounts(ctx, rec.ID); !maps.Equal(counts, map[string]int{"draft": 1}) {
			t.Errorf("counts: %v", counts)
		}
		// A save the store refuses (no title) counts nothing.
		bad := got.Doc
		bad.Title = " "
		if _, err := s.AcceptSuggestion(ctx, clerk, rec.ID, got.Version, bad, "采纳", "draft", "format/F08/。"); err == nil {
			t.Fatal("untitled version accepted")
		}
		if counts, _ := s.AcceptedCounts(ctx, rec.ID); counts["draft"] != 1 {
			t.Errorf("a refused save was counted: %v", counts)
		}
		// Someone without a task neither saves nor counts.
		if _, err := s.AcceptSuggestion(ctx, x.byLogin["ducha"], rec.ID, got.Version, got.Doc, "采纳", "draft", "typo/T01/己经"); err == nil {
			t.Error("accepted by someone without a task")
		}
		if counts, _ := s.AcceptedCounts(ctx, rec.ID); counts["draft"] != 1 {
			t.Errorf("counts after a refused acceptance: %v", counts)
		}
		if n, err := s.VerifyAudit(ctx); err != nil {
			t.Errorf("audit chain after %d: %v", n, err)
		}
	})
}
