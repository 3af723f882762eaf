package store_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

func newAccount(t *testing.T, s *store.Store, login string) org.Person {
	t.Helper()
	p := org.Person{ID: uid.New(), Name: "赵敏", Login: login}
	if err := s.Write(ctx, func(tx *store.Tx) error { return tx.CreatePerson(ctx, p, "x", false) }); err != nil {
		t.Fatal(err)
	}
	return p
}

// A reset revokes the person's API tokens; the holder's own change does not.
func TestResetRevokesTokens(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		p := newAccount(t, s, "zhaom")
		now := s.Now()
		var hashes []string
		for i := range 2 {
			_, h, _ := account.NewToken()
			hashes = append(hashes, h)
			tok := store.APIToken{ID: uid.New(), PersonID: p.ID, Name: "脚本", TokenHash: h, Created: now, Expires: now.Add(time.Duration(i+1) * time.Hour)}
			if err := s.Write(ctx, func(tx *store.Tx) error { return tx.CreateAPIToken(ctx, tok) }); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, p.ID, "y", false) }); err != nil {
			t.Fatal(err)
		}
		for _, h := range hashes {
			if tok, _ := s.APITokenByHash(ctx, h); !tok.Live(now) {
				t.Fatal("the holder's own change revoked a token")
			}
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.ResetPassword(ctx, p.ID, "z") }); err != nil {
			t.Fatal(err)
		}
		for _, h := range hashes {
			if tok, _ := s.APITokenByHash(ctx, h); tok.Live(now) {
				t.Error("token survived a reset")
			}
		}
		if cr, _ := s.Credentials(ctx, "zhaom"); !cr.State.MustChange || cr.PasswordHash != "z" {
			t.Errorf("after reset: %+v", cr)
		}
		// A token cannot be made that expires before it is made.
		bad := store.APIToken{ID: uid.New(), PersonID: p.ID, Name: "x", TokenHash: "h", Created: now, Expires: now}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.CreateAPIToken(ctx, bad) }); err == nil {
			t.Error("token without a life accepted")
		}
	})
}

// A rehash replaces the hash only if it is still the one that was checked.
func TestRehashPassword(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		p := newAccount(t, s, "zhaom")
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.RehashPassword(ctx, p.ID, "x", "x2") }); err != nil {
			t.Fatal(err)
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.RehashPassword(ctx, p.ID, "x", "x3") }); err != nil {
			t.Fatal(err)
		}
		if cr, _ := s.Credentials(ctx, "zhaom"); cr.PasswordHash != "x2" {
			t.Errorf("hash %q, want x2", cr.PasswordHash)
		}
	})
}

// Failed sign-ins arriving together on several connections are all counted:
// a stranger cannot get more guesses by sending them at once. Run with
// -count=20 on both stores.
func TestLoginThrottleConcurrent(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		pol := account.DefaultPolicy()
		pol.MaxFailures = 20
		const n = 16
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- s.Write(ctx, func(tx *store.Tx) error {
					th, err := tx.LoginThrottleForUpdate(ctx, "quzhang", "203.0.113.7", false)
					if err != nil {
						return err
					}
					th, _ = pol.Attempt(th, account.State{}, false, tx.Now())
					return tx.SaveLoginThrottle(ctx, "quzhang", "203.0.113.7", th)
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
		th, err := s.LoginThrottle(ctx, "quzhang", "203.0.113.7")
		if err != nil {
			t.Fatal(err)
		}
		if th.Pair.Failures != n || th.Account.Failures != n || th.Source.Failures != n {
			t.Fatalf("counted %d/%d/%d of %d failures", th.Pair.Failures, th.Account.Failures, th.Source.Failures, n)
		}
		// Another source's counters are its own.
		if other, _ := s.LoginThrottle(ctx, "quzhang", "198.51.100.1"); other.Pair.Failures != 0 || other.Account.Failures != n || other.Source.Failures != 0 {
			t.Errorf("other source: %+v", other)
		}
	})
}

// An administrator's unlock lifts the stops but keeps the usual sources;
// pruning forgets only counters that no longer matter.
func TestLoginLimitsUnlockAndPrune(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		p := newAccount(t, s, "quzhang")
		now := s.Now().Truncate(time.Microsecond)
		stopped := account.Throttle{
			Pair:    account.Counter{LockedUntil: now.Add(time.Hour), LastOK: now.Add(-time.Hour), LastFailure: now},
			Account: account.Counter{Failures: 3, LockedUntil: now.Add(time.Hour), LastFailure: now},
			Source:  account.Counter{Failures: 3, LastFailure: now},
		}
		err := s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.SaveLoginThrottle(ctx, "quzhang", "10.1.1.1", stopped); err != nil {
				return err
			}
			// A stranger's counters for a name that does not exist, long ago.
			return tx.SaveLoginThrottle(ctx, "nobody", "10.9.9.9", account.Throttle{Pair: account.Counter{Failures: 1, LastFailure: now.Add(-48 * time.Hour)}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if until, _ := s.LoginStoppedUntil(ctx, "quzhang", now); !until.Equal(now.Add(time.Hour)) {
			t.Fatalf("stopped until %v", until)
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetDisabled(ctx, p.ID, false) }); err != nil {
			t.Fatal(err)
		}
		th, _ := s.LoginThrottle(ctx, "quzhang", "10.1.1.1")
		if until, _ := s.LoginStoppedUntil(ctx, "quzhang", now); !until.IsZero() || !th.Pair.LastOK.Equal(stopped.Pair.LastOK) || th.Source.Failures != 3 {
			t.Fatalf("after unlock: stopped until %v, %+v", until, th)
		}
		var pruned int64
		if err := s.Write(ctx, func(tx *store.Tx) error {
			var err error
			pruned, err = tx.PruneLoginLimits(ctx, now, 24*time.Hour)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if pruned != 3 { // the stranger's three rows
			t.Errorf("pruned %d rows, want 3", pruned)
		}
		if th, _ := s.LoginThrottle(ctx, "quzhang", "10.1.1.1"); !th.Pair.LastOK.Equal(stopped.Pair.LastOK) || th.Account.LastFailure.IsZero() {
			t.Errorf("pruned a live counter: %+v", th)
		}
	})
}

// A successful sign-in changes only its own pair's counter, so it neither
// waits for nor overwrites the counters that failures from the same address
// hold: every sign-in from an office behind one gateway address would
// otherwise queue on that address's row, each holding a connection (issue 11,
// PostgreSQL under load). Failures and successes from one source at once:
// every failure is counted, every success recorded. Run with -count=20.
func TestLoginSuccessBesideFailures(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		pol := account.DefaultPolicy()
		pol.MaxFailures = 50
		const src = "203.0.113.9"
		logins := []string{"quzhang", "wenmi", "zhuren", "lingdao"}
		const fails = 12
		var wg sync.WaitGroup
		errs := make(chan error, fails+len(logins))
		attempt := func(login string, ok bool) {
			defer wg.Done()
			errs <- s.Write(ctx, func(tx *store.Tx) error {
				before, err := tx.LoginThrottleForUpdate(ctx, login, src, ok)
				if err != nil {
					return err
				}
				th, _ := pol.Attempt(before, account.State{}, ok, tx.Now())
				return tx.SaveLoginAttempt(ctx, login, src, before, th)
			})
		}
		for i := range fails {
			wg.Add(1)
			go attempt("stranger"+strconv.Itoa(i%3), false)
		}
		for _, l := range logins {
			wg.Add(1)
			go attempt(l, true)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		th, err := s.LoginThrottle(ctx, "quzhang", src)
		if err != nil {
			t.Fatal(err)
		}
		if th.Source.Failures != fails {
			t.Errorf("source counted %d of %d failures", th.Source.Failures, fails)
		}
		for _, l := range logins {
			th, err := s.LoginThrottle(ctx, l, src)
			if err != nil {
				t.Fatal(err)
			}
			if th.Pair.LastOK.IsZero() || th.Pair.Failures != 0 {
				t.Errorf("%s: success not recorded: %+v", l, th.Pair)
			}
		}
	})
}

// A success does not wait for a failure in progress from the same address.
func TestLoginSuccessDoesNotQueueOnSource(t *testing.T) {
	s := storetest.Postgres(t, store.Options{})
	const src = "198.51.100.20"
	holding, release := make(chan struct{}), make(chan struct{})
	failed := make(chan error, 1)
	go func() {
		failed <- s.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.LoginThrottleForUpdate(ctx, "stranger", src, false); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	// Were the success to lock the source's row it would wait for the
	// failure, which waits for it: the deadline ends that wait.
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := s.Write(wctx, func(tx *store.Tx) error {
		before, err := tx.LoginThrottleForUpdate(wctx, "wenmi", src, true)
		if err != nil {
			return err
		}
		th, _ := account.DefaultPolicy().Attempt(before, account.State{}, true, tx.Now())
		return tx.SaveLoginAttempt(wctx, "wenmi", src, before, th)
	})
	close(release)
	if err != nil {
		t.Fatalf("success beside a failure in progress: %v", err)
	}
	if err := <-failed; err != nil {
		t.Fatal(err)
	}
}
