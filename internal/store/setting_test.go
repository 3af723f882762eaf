package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/store"
)

// Two servers each changing their own part of one setting at the same time
// keep both changes: SettingForUpdate holds the row until the writer commits.
func TestSettingForUpdateKeepsBothParts(t *testing.T) {
	twoServers(t, store.Options{}, func(t *testing.T, a, b *store.Store) {
		type parts struct{ A, B int }
		const key = "test.parts"
		found := true
		if err := a.Write(ctx, func(tx *store.Tx) error {
			var p parts
			var err error
			found, err = tx.SettingForUpdate(ctx, key, &p)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if found {
			t.Fatal("a setting never stored was found")
		}
		const rounds = 20
		for i := 1; i <= rounds; i++ {
			var wg sync.WaitGroup
			errs := make(chan error, 2)
			for _, side := range []struct {
				s   *store.Store
				set func(*parts)
			}{{a, func(p *parts) { p.A = i }}, {b, func(p *parts) { p.B = i }}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- side.s.Write(ctx, func(tx *store.Tx) error {
						var p parts
						if _, err := tx.SettingForUpdate(ctx, key, &p); err != nil {
							return err
						}
						side.set(&p)
						return tx.PutSetting(ctx, key, p)
					})
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			var p parts
			if _, err := a.Setting(ctx, key, &p); err != nil {
				t.Fatal(err)
			}
			if p != (parts{i, i}) {
				t.Fatalf("round %d: %s, want both parts %d", i, fmt.Sprint(p), i)
			}
		}
	})
}
