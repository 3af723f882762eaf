package store_test

import (
	"slices"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The principals a server caches are dropped as soon as any server changes
// the organisation: a role taken away on one server stops counting on the
// other at its next read, with no restart and no process-local trust.
func TestPrincipalCacheAcrossServers(t *testing.T) {
	twoServers(t, store.Options{}, func(t *testing.T, a, b *store.Store) {
		d := demo.NewDistrict(a.Now())
		if err := demo.Seed(ctx, a, d); err != nil {
			t.Fatal(err)
		}
		var clerk org.Person
		for _, p := range d.People {
			if p.Login == "wenmi" {
				clerk = p
			}
		}
		roles := func(s *store.Store) []string {
			t.Helper()
			act, err := s.Actor(ctx, clerk.ID, s.Now())
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, g := range act.Principal.Roles {
				out = append(out, g.Role)
			}
			return out
		}
		before := roles(b) // b caches the clerk's principal
		if len(before) == 0 {
			t.Fatal("the clerk has no route roles")
		}
		if got := roles(b); !slices.Equal(got, before) {
			t.Fatalf("cached read differs: %v vs %v", got, before)
		}
		// Server a takes the clerk's roles away.
		if err := a.Write(ctx, func(tx *store.Tx) error { return tx.SetRoles(ctx, clerk.ID, nil) }); err != nil {
			t.Fatal(err)
		}
		if got := roles(b); len(got) != 0 {
			t.Fatalf("server b still grants the removed roles: %v", got)
		}
		// And gives them back: b sees that too.
		var as []org.RoleAssignment
		for _, r := range d.Roles {
			if r.PersonID == clerk.ID {
				as = append(as, r)
			}
		}
		if err := a.Write(ctx, func(tx *store.Tx) error { return tx.SetRoles(ctx, clerk.ID, as) }); err != nil {
			t.Fatal(err)
		}
		if got := roles(b); !slices.Equal(got, before) {
			t.Fatalf("after restoring: %v, want %v", got, before)
		}
	})
}
