package store_test

import (
	"slices"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/opinion"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// withMaster is a store that signs opinions.
func withMaster(t testing.TB) store.Options {
	m, err := gmcrypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	return store.Options{MasterKey: m}
}

// checkSignedOpinions: the document's opinions at the steps that require one
// are signed, one signature per finished task, and each verifies.
func checkSignedOpinions(t *testing.T, s *store.Store, docID string, want ...string) {
	t.Helper()
	sigs, keys, err := s.OpinionSignatures(ctx, docID)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s.Document(ctx, docID)
	if err != nil {
		t.Fatal(err)
	}
	in, err := s.Instance(ctx, docID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for id, sig := range sigs {
		task, ok := in.Task(id)
		if !ok {
			t.Fatalf("signature of task %d, which the route does not have", id)
		}
		o := store.OpinionOf(docID, rec.Version, in, task)
		if st, why := opinion.Verify(o, sig, keys[sig.PersonID]); st != opinion.Verified {
			t.Errorf("task %d (%s, %q): %s %s", id, o.Step, o.Comment, st, why)
		}
		steps = append(steps, o.Step)
	}
	slices.Sort(steps)
	slices.Sort(want)
	if !slices.Equal(steps, want) {
		t.Errorf("signed opinions at %v, want %v", steps, want)
	}
}
