package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

var ctx = context.Background()

func unit(id, parent, name string, kind org.UnitKind, code string) org.Unit {
	return org.Unit{ID: id, ParentID: parent, Name: name, ShortName: name, OrganCode: code, Kind: kind}
}

func seedUnits(t testing.TB, s *store.Store) (gov, office, section string) {
	t.Helper()
	gov, office, section = uid.New(), uid.New(), uid.New()
	err := s.Write(ctx, func(tx *store.Tx) error {
		for _, u := range []org.Unit{
			unit(gov, "", "清河区人民政府", org.KindLeadingBody, "清政"),
			unit(office, gov, "清河区人民政府办公室", org.KindOffice, "清政办"),
			unit(section, office, "秘书科", org.KindSection, ""),
		} {
			if err := tx.PutUnit(ctx, u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return
}

func TestMigrationsIdempotent(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		s, err := store.Open(ctx, filepath.Join(dir, "x.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate: %v %v", applied, err)
		}
		s.Close()
	}
}

func TestUnits(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		gov, office, section := seedUnits(t, s)
		us, err := s.Units(ctx)
		if err != nil || len(us) != 3 {
			t.Fatalf("units: %v %v", us, err)
		}
		if us[0].ID != gov || us[1].ID != office || us[2].ID != section {
			t.Errorf("not in tree order: %+v", us)
		}
		// A cycle is refused and nothing changes.
		err = s.Write(ctx, func(tx *store.Tx) error {
			u := us[0]
			u.ParentID = section
			return tx.PutUnit(ctx, u)
		})
		if err == nil {
			t.Fatal("cycle accepted")
		}
		// Organ codes are unique.
		err = s.Write(ctx, func(tx *store.Tx) error {
			return tx.PutUnit(ctx, unit(uid.New(), gov, "另一个办公室", org.KindOffice, "清政办"))
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate organ code: %v", err)
		}
		// Update in place.
		err = s.Write(ctx, func(tx *store.Tx) error {
			u := us[2]
			u.Name = "秘书一科"
			return tx.PutUnit(ctx, u)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Unit(ctx, section)
		if err != nil || got.Name != "秘书一科" || got.ParentID != office {
			t.Errorf("updated unit: %+v %v", got, err)
		}
		if _, err := s.Unit(ctx, uid.New()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing unit: %v", err)
		}
		// A unit with children cannot be deleted; a leaf can.
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.DeleteUnit(ctx, office) }); err == nil {
			t.Error("deleted a unit with children")
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.DeleteUnit(ctx, section) }); err != nil {
			t.Error(err)
		}
	})
}

func TestPeopleRolesAtomic(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		_, office, section := seedUnits(t, s)
		p := org.Person{ID: uid.New(), Name: "王秀兰", Login: "wangxl", Clearance: org.Confidential}
		err := s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.CreatePerson(ctx, p, "", true); err != nil {
				return err
			}
			if err := tx.SetPositions(ctx, p.ID, []org.Position{
				{ID: uid.New(), UnitID: section, Title: "科员", Primary: true},
				{ID: uid.New(), UnitID: office, Title: "文秘（兼）"},
			}); err != nil {
				return err
			}
			return tx.SetRoles(ctx, p.ID, []org.RoleAssignment{{Role: org.RoleClerk, UnitID: office}})
		})
		if err != nil {
			t.Fatal(err)
		}
		// Duplicate login.
		err = s.Write(ctx, func(tx *store.Tx) error {
			return tx.CreatePerson(ctx, org.Person{ID: uid.New(), Name: "另一人", Login: "wangxl"}, "", true)
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate login: %v", err)
		}
		// The separation of the three administrators is refused and the whole
		// transaction, including its earlier writes, rolls back.
		err = s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.UpdatePerson(ctx, org.Person{ID: p.ID, Name: "王秀兰（改）"}); err != nil {
				return err
			}
			return tx.SetRoles(ctx, p.ID, []org.RoleAssignment{{Role: org.RoleSysAdmin}, {Role: org.RoleAuditor}})
		})
		if !errors.Is(err, org.ErrAdminSeparation) {
			t.Fatalf("admin separation: %v", err)
		}
		got, err := s.Person(ctx, p.ID)
		if err != nil || got.Name != "王秀兰" || got.Clearance != org.Confidential {
			t.Errorf("person after rollback: %+v %v", got, err)
		}
		roles, _ := s.Roles(ctx, p.ID)
		if len(roles) != 1 || roles[0].Role != org.RoleClerk {
			t.Errorf("roles after rollback: %+v", roles)
		}
		pos, _ := s.Positions(ctx, p.ID)
		if len(pos) != 2 || !pos[0].Primary || pos[0].UnitID != section {
			t.Errorf("positions: %+v", pos)
		}
		inUnit, _ := s.People(ctx, store.PeopleFilter{UnitID: office})
		if len(inUnit) != 1 {
			t.Errorf("people in office: %+v", inUnit)
		}
		found, _ := s.People(ctx, store.PeopleFilter{Query: "秀兰"})
		if len(found) != 1 {
			t.Errorf("search: %+v", found)
		}
		// 分管 and delegation.
		leader := org.Person{ID: uid.New(), Name: "李建国", Login: "lijg", Clearance: org.Secret}
		now := s.Now()
		err = s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.CreatePerson(ctx, leader, "", true); err != nil {
				return err
			}
			if err := tx.SetOversight(ctx, leader.ID, []string{office}); err != nil {
				return err
			}
			return tx.AddDelegation(ctx, org.Delegation{ID: uid.New(), FromID: leader.ID, ToID: p.ID, Start: now, End: now.Add(72 * time.Hour), Reason: "外出学习"})
		})
		if err != nil {
			t.Fatal(err)
		}
		ov, _ := s.Oversight(ctx)
		ds, _ := s.Delegations(ctx, p.ID)
		if len(ov) != 1 || len(ds) != 1 || !ds[0].ActiveAt(now.Add(time.Hour)) {
			t.Errorf("oversight %+v delegations %+v", ov, ds)
		}
	})
}

func TestAccountsSessionsTokens(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		hash, err := account.HashPassword("Demo@2026qh")
		if err != nil {
			t.Fatal(err)
		}
		p := org.Person{ID: uid.New(), Name: "赵敏", Login: "zhaom"}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.CreatePerson(ctx, p, hash, true) }); err != nil {
			t.Fatal(err)
		}
		cr, err := s.Credentials(ctx, "zhaom")
		if err != nil || !cr.State.MustChange || cr.PasswordHash != hash {
			t.Fatalf("credentials: %+v %v", cr, err)
		}
		// A stop from failures (see account.Throttle) is lifted by a new password.
		th0 := account.Throttle{Pair: account.Counter{Failures: 0, LockedUntil: s.Now().Add(15 * time.Minute).Truncate(time.Microsecond).UTC()}}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SaveLoginThrottle(ctx, "zhaom", "10.0.0.9", th0) }); err != nil {
			t.Fatal(err)
		}
		if until, err := s.LoginStoppedUntil(ctx, "zhaom", s.Now()); err != nil || !until.Equal(th0.Pair.LockedUntil) {
			t.Errorf("stopped until %v (%v), want %v", until, err, th0.Pair.LockedUntil)
		}
		secret, th, _ := account.NewToken()
		now := s.Now()
		if err := s.Write(ctx, func(tx *store.Tx) error {
			return tx.CreateSession(ctx, store.Session{TokenHash: th, PersonID: p.ID, CSRF: "c", Created: now, LastSeen: now})
		}); err != nil {
			t.Fatal(err)
		}
		if ss, err := s.Session(ctx, account.HashToken(secret)); err != nil || ss.PersonID != p.ID {
			t.Fatalf("session: %+v %v", ss, err)
		}
		// A new password ends every session and clears the lockout.
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, p.ID, hash, false) }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, th); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session survived password change: %v", err)
		}
		cr, _ = s.Credentials(ctx, "zhaom")
		if until, _ := s.LoginStoppedUntil(ctx, "zhaom", s.Now()); cr.State.MustChange || !until.IsZero() {
			t.Errorf("after set password: %+v, stopped until %v", cr.State, until)
		}
		_, tokHash, _ := account.NewToken()
		tok := store.APIToken{ID: uid.New(), PersonID: p.ID, Name: "脚本", TokenHash: tokHash, Created: now, Expires: now.Add(account.DefaultTokenLife)}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.CreateAPIToken(ctx, tok) }); err != nil {
			t.Fatal(err)
		}
		if got, err := s.APITokenByHash(ctx, tokHash); err != nil || !got.Live(now) || !got.Expires.Equal(tok.Expires.Truncate(time.Microsecond)) {
			t.Fatalf("token: %+v %v", got, err)
		}
		if got, _ := s.APITokenByHash(ctx, tokHash); got.Live(now.Add(account.DefaultTokenLife)) {
			t.Error("token live after its expiry")
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.RevokeAPIToken(ctx, p.ID, tok.ID) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.APITokenByHash(ctx, tokHash); !got.Revoked {
			t.Error("token not revoked")
		}
		// Settings round trip.
		pol := account.DefaultPolicy()
		pol.MinLength = 12
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, "account_policy", pol) }); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Policy(ctx); err != nil || got.MinLength != 12 || got.LockFor != 15*time.Minute {
			t.Errorf("policy: %+v %v", got, err)
		}
	})
}

// TestAuditChainConcurrent appends from many goroutines and checks the chain.
func TestAuditChainConcurrent(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		base, err := s.VerifyAudit(ctx) // entries a new store writes itself
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for g := 0; g < 20; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					errs <- s.AuditAlone(ctx, audit.Event{ActorName: fmt.Sprintf("g%d", g), Action: "test.append", Detail: fmt.Sprint(i)})
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.VerifyAudit(ctx)
		if err != nil || n != base+200 {
			t.Fatalf("verify: %d %v", n, err)
		}
		es, err := s.ListAudit(ctx, store.AuditFilter{Query: "g1", Limit: 5})
		if err != nil || len(es) != 5 || es[0].Seq < es[1].Seq {
			t.Errorf("list: %d %v", len(es), err)
		}
	})
}

// TestAuditChainServers appends through several servers on one PostgreSQL
// database at once, each with its own connections and sealer: every entry
// must end up in one gap-free chain, in the order of no one server, keyed
// with the key they share whichever server chained it.
func TestAuditChainServers(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	key, err := audit.NewKey(audit.AlgHMACSHA256, []byte("the key all three servers are given"))
	if err != nil {
		t.Fatal(err)
	}
	var servers []*store.Store
	for i := 0; i < 3; i++ {
		s, err := store.Open(ctx, dsn, store.Options{AuditKey: key, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		servers = append(servers, s)
	}
	base, err := servers[0].VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 300)
	for i, s := range servers {
		for g := 0; g < 10; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < 10; k++ {
					// Some writes fail after appending: their entries must
					// never reach the chain.
					err := s.Write(ctx, func(tx *store.Tx) error {
						if err := tx.Audit(ctx, audit.Event{ActorName: fmt.Sprintf("s%d/g%d", i, g), Action: "test.append", Detail: fmt.Sprint(k)}); err != nil {
							return err
						}
						if k == 9 {
							return errors.New("规则不允许")
						}
						return nil
					})
					if k != 9 {
						errs <- err
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// Each Write returned after its entry was chained: no sealing needed.
	es, err := servers[1].ListAudit(ctx, store.AuditFilter{Action: "test.append", Limit: 500})
	if err != nil || len(es) != 270 {
		t.Fatalf("listed %d entries (want 270): %v", len(es), err)
	}
	for _, e := range es {
		if e.KeyID != key.ID() {
			t.Fatalf("entry %d keyed with %q", e.Seq, e.KeyID)
		}
	}
	for i, s := range servers {
		n, err := s.VerifyAudit(ctx)
		if err != nil || n != base+270 {
			t.Fatalf("server %d verify: %d %v", i, n, err)
		}
	}
}

// TestAuditTamper edits a stored row behind the application's back and checks
// that verification names it.
func TestAuditTamper(t *testing.T) {
	run := func(t *testing.T, s *store.Store, raw *sql.DB, disable, enable string) {
		for i := 0; i < 5; i++ {
			if err := s.AuditAlone(ctx, audit.Event{ActorName: "张三", Action: "login", Detail: fmt.Sprint(i)}); err != nil {
				t.Fatal(err)
			}
		}
		// The application cannot change the log.
		if _, err := raw.ExecContext(ctx, `UPDATE audit_log SET detail = 'x' WHERE seq = 3`); err == nil {
			t.Fatal("update of audit_log was allowed")
		}
		// Someone with direct database access can, after disabling the guard.
		if _, err := raw.ExecContext(ctx, disable); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, `UPDATE audit_log SET actor_name = '李四' WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		_, err := s.VerifyAudit(ctx)
		var be *audit.BrokenError
		if !errors.As(err, &be) || be.Seq != 3 {
			t.Fatalf("tamper not caught at 3: %v", err)
		}
		// Deleting the last row is caught through the head.
		if _, err := raw.ExecContext(ctx, `UPDATE audit_log SET actor_name = '张三' WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Fatalf("restored chain: %v", err)
		}
		if _, err := raw.ExecContext(ctx, `DELETE FROM audit_log WHERE seq = 5`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VerifyAudit(ctx); !errors.As(err, &be) || be.Seq != 5 {
			t.Fatalf("truncation not caught: %v", err)
		}
		_, _ = raw.ExecContext(ctx, enable)
	}
	t.Run("sqlite", func(t *testing.T) {
		s := storetest.SQLite(t, store.Options{})
		raw, err := sql.Open("sqlite", s.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		run(t, s, raw, `DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete`, `SELECT 1`)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		s, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		run(t, s, raw, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`)
	})
}

// TestWritesFailAlone runs many writes at once, some of which fail or panic
// after writing: on SQLite they share group commits, and each failure must
// roll back only its own writes.
func TestWritesFailAlone(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		base, err := s.VerifyAudit(ctx) // entries a new store writes itself
		if err != nil {
			t.Fatal(err)
		}
		const n = 60
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs[i] = s.Write(ctx, func(tx *store.Tx) error {
					name := fmt.Sprintf("单位%02d", i)
					if err := tx.PutUnit(ctx, org.Unit{ID: uid.New(), Name: name, ShortName: name, Kind: org.KindDepartment}); err != nil {
						return err
					}
					if err := tx.Audit(ctx, audit.Event{Action: "unit.create", ObjectID: name}); err != nil {
						return err
					}
					switch i % 6 {
					case 1:
						return errors.New("规则不允许")
					case 2:
						panic("bug")
					}
					return nil
				})
			}(i)
		}
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch {
			case i%6 == 1 || i%6 == 2:
				if err == nil {
					t.Errorf("write %d: failure not reported", i)
				}
			case err != nil:
				t.Errorf("write %d: %v", i, err)
			default:
				ok++
			}
		}
		units, _ := s.Units(ctx)
		entries, err := s.VerifyAudit(ctx)
		if err != nil || len(units) != ok || int(entries-base) != ok {
			t.Errorf("units %d, audit %d, successes %d, verify %v", len(units), entries, ok, err)
		}
	})
}
