package store_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// rawStore is a store with a second, direct connection to its database: what
// an insider with database access holds.
type rawStore struct {
	s        *store.Store
	raw      *sql.DB
	dsn      string // PostgreSQL DSN or SQLite path
	dialect  store.Dialect
	unguard  string // SQL that lifts the append-only guard
	reguard  string // SQL that puts it back
	rebindPG bool
}

func (r rawStore) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if r.rebindPG {
		q = pgRebind(q)
	}
	if _, err := r.raw.ExecContext(ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func pgRebind(q string) string {
	out, n := []byte{}, 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

// forEachRaw runs fn on SQLite and on PostgreSQL with direct access to the
// database beside the store, opened with the options mkOpt gives (nil: none).
func forEachRaw(t *testing.T, mkOpt func(t *testing.T) store.Options, fn func(t *testing.T, r rawStore)) {
	options := func(t *testing.T) store.Options {
		if mkOpt == nil {
			return store.Options{}
		}
		return mkOpt(t)
	}
	t.Run("sqlite", func(t *testing.T) {
		s := storetest.SQLite(t, options(t))
		raw, err := sql.Open("sqlite", s.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		fn(t, rawStore{s: s, raw: raw, dsn: s.Path(), dialect: store.SQLite,
			unguard: `DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete`,
			reguard: `SELECT 1`})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		opt := options(t)
		opt.Logger = slog.New(slog.DiscardHandler)
		s, err := store.Open(ctx, dsn, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		fn(t, rawStore{s: s, raw: raw, dsn: dsn, dialect: store.Postgres, rebindPG: true,
			unguard: `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`,
			reguard: `ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`})
	})
}

// plainHash is the unkeyed SHA-256 of an entry as the chain used to be made:
// the attacker has read the source and needs nothing else to recompute it.
func plainHash(seq int64, at time.Time, fields ...string) string {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(seq))
	h.Write(n[:])
	for _, f := range append([]string{at.UTC().Format(time.RFC3339Nano)}, fields...) {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rehashFrom recomputes, directly in the database, the plain SHA-256 of every
// entry from seq on and the head, as an insider covering an edit would.
func rehashFrom(t *testing.T, r rawStore, from int64) {
	t.Helper()
	type row struct {
		seq    int64
		at     int64
		fields [8]string
	}
	var prev string
	if from > 1 {
		if err := r.raw.QueryRowContext(ctx, pgRebindIf(r, `SELECT hash FROM audit_log WHERE seq = ?`), from-1).Scan(&prev); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := r.raw.QueryContext(ctx, pgRebindIf(r, `SELECT seq, at, actor_id, actor_name, action, object_kind, object_id, outcome, ip, detail
		FROM audit_log WHERE seq >= ? ORDER BY seq`), from)
	if err != nil {
		t.Fatal(err)
	}
	var rs []row
	for rows.Next() {
		var x row
		f := &x.fields
		if err := rows.Scan(&x.seq, &x.at, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, x)
	}
	rows.Close()
	var last int64
	for _, x := range rs {
		h := plainHash(x.seq, time.UnixMicro(x.at), append(x.fields[:], prev)...)
		r.exec(t, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?`, prev, h, x.seq)
		prev, last = h, x.seq
	}
	r.exec(t, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, last, prev)
}

func pgRebindIf(r rawStore, q string) string {
	if r.rebindPG {
		return pgRebind(q)
	}
	return q
}

func appendEntries(t *testing.T, s *store.Store, n int) (first int64) {
	t.Helper()
	base, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := s.AuditAlone(ctx, audit.Event{ActorName: "张三", Action: "document.read", ObjectKind: "document", Detail: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	return base + 1
}

func withKey(t *testing.T) store.Options { return store.Options{AuditKey: newKey(t)} }

func newKey(t *testing.T) *audit.Key {
	t.Helper()
	k, err := audit.GenerateKeyFile(filepath.Join(t.TempDir(), "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// reopen opens another store (another server, or the same after a restart)
// on r's database.
func (r rawStore) reopen(t *testing.T, opt store.Options) (*store.Store, error) {
	t.Helper()
	opt.Logger = slog.New(slog.DiscardHandler)
	s, err := store.Open(ctx, r.dsn, opt)
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

func brokenAt(t *testing.T, err error, seq int64, kind audit.Kind) {
	t.Helper()
	var be *audit.BrokenError
	if !errors.As(err, &be) || be.Seq != seq || be.Kind != kind {
		t.Fatalf("want broken at %d (%s), got %v", seq, kind, err)
	}
}

// TestAuditInsiderRewrite is the attack of issue 11: someone with write access
// to the database edits an entry, recomputes every later hash and the head
// directly in the database, and verification must still name the edited
// entry. Before the chain was keyed, it said the chain was intact.
func TestAuditInsiderRewrite(t *testing.T) {
	for _, variant := range []string{"plain SHA-256", "downgraded to legacy", "under the unprotected key"} {
		t.Run(variant, func(t *testing.T) {
			forEachRaw(t, withKey, func(t *testing.T, r rawStore) {
				first := appendEntries(t, r.s, 6)
				target := first + 2
				r.exec(t, r.unguard)
				r.exec(t, `UPDATE audit_log SET actor_name = '李四', outcome = 'denied' WHERE seq = ?`, target)
				switch variant {
				case "plain SHA-256":
					rehashFrom(t, r, target)
				case "downgraded to legacy":
					r.exec(t, `UPDATE audit_log SET alg = '', key_id = '' WHERE seq >= ?`, target)
					rehashFrom(t, r, target)
				case "under the unprotected key":
					rekeyFrom(t, r, target, audit.UnprotectedKey(), false)
				}
				_, err := r.s.VerifyAudit(ctx)
				brokenAt(t, err, target, audit.KindChain)
			})
		})
	}
}

// rekeyFrom rewrites the entries from seq on with their links and MACs under
// k, keeping the key ID they claim unless claimK, and moves the head: what an
// insider holding a key can do.
func rekeyFrom(t *testing.T, r rawStore, from int64, k *audit.Key, claimK bool) {
	t.Helper()
	es, err := r.s.ListAudit(ctx, store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var prev *audit.Entry
	for i := len(es) - 1; i >= 0; i-- { // oldest first
		e := es[i]
		if e.Seq < from {
			prev = &e
			continue
		}
		n := audit.Seal(k, prev, e.Event, e.At)
		if !claimK {
			n.KeyID = e.KeyID
		}
		r.exec(t, `UPDATE audit_log SET prev_hash = ?, hash = ?, alg = ?, key_id = ? WHERE seq = ?`, n.PrevHash, n.Hash, n.Alg, n.KeyID, n.Seq)
		prev = &n
	}
	r.exec(t, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, prev.Seq, prev.Hash)
}

// checkpointer writes the store's head to a directory, as every server does.
func checkpointer(s *store.Store, k *audit.Key, dir string) *audit.Checkpointer {
	return &audit.Checkpointer{Key: k, Head: s.AuditHead, Sinks: []audit.CheckpointSink{audit.CheckpointDir(dir)}, Server: "test:1"}
}

// TestAuditCheckpoints: signed checkpoints of the head, kept where the
// database's administrator cannot write, catch a tail deleted after them (with
// the head row moved back to match) and a rewrite by someone who has the key
// as well.
func TestAuditCheckpoints(t *testing.T) {
	for _, variant := range []string{"tail deleted", "rewritten with the key"} {
		t.Run(variant, func(t *testing.T) {
			var k *audit.Key
			var dir string
			mkOpt := func(t *testing.T) store.Options {
				k, dir = newKey(t), t.TempDir()
				return store.Options{AuditKey: k, AuditCheckpoints: audit.CheckpointDir(dir)}
			}
			forEachRaw(t, mkOpt, func(t *testing.T, r rawStore) {
				first := appendEntries(t, r.s, 6)
				cpr := checkpointer(r.s, k, dir)
				if wrote, err := cpr.Once(ctx); err != nil || !wrote {
					t.Fatalf("checkpoint: %v %v", wrote, err)
				}
				headSeq, _, _ := r.s.AuditHead(ctx)
				appendEntries(t, r.s, 2) // after the checkpoint
				res, err := r.s.VerifyAuditFull(ctx)
				if err != nil || res.Checkpoints != 1 || res.LastCheckpoint.Seq != headSeq {
					t.Fatalf("checkpointed chain: %+v %v", res, err)
				}
				r.exec(t, r.unguard)
				switch variant {
				case "tail deleted":
					// The last two checkpointed entries and what followed go;
					// the head is set back so that the chain itself agrees.
					cut := headSeq - 1
					var hash string
					if err := r.raw.QueryRowContext(ctx, pgRebindIf(r, `SELECT hash FROM audit_log WHERE seq = ?`), cut-1).Scan(&hash); err != nil {
						t.Fatal(err)
					}
					r.exec(t, `DELETE FROM audit_log WHERE seq >= ?`, cut)
					r.exec(t, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, cut-1, hash)
					_, err = r.s.VerifyAudit(ctx)
					brokenAt(t, err, cut, audit.KindCheckpoint)
				case "rewritten with the key":
					target := first + 1
					r.exec(t, `UPDATE audit_log SET detail = '改写' WHERE seq = ?`, target)
					rekeyFrom(t, r, target, k, true)
					_, err = r.s.VerifyAudit(ctx)
					// The keyed hashes agree; the checkpoint of the head
					// then does not.
					brokenAt(t, err, headSeq, audit.KindCheckpoint)
				}
			})
		})
	}
}

// TestAuditWrongKey: a verification with another key says so, naming the
// first entry; a server given another key refuses to start rather than
// extend the chain with it.
func TestAuditWrongKey(t *testing.T) {
	forEachRaw(t, withKey, func(t *testing.T, r rawStore) {
		first := appendEntries(t, r.s, 3)
		other := newKey(t)
		v, err := r.reopen(t, store.Options{AuditKey: other, NoMigrate: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.VerifyAudit(ctx)
		brokenAt(t, err, first, audit.KindKey)
		if !strings.Contains(err.Error(), "审计密钥不符") || !strings.Contains(err.Error(), other.ID()) {
			t.Errorf("message: %v", err)
		}
		if _, err := r.reopen(t, store.Options{AuditKey: other}); !errors.Is(err, store.ErrAuditKey) {
			t.Fatalf("server with another key started: %v", err)
		}
		if _, err := r.reopen(t, store.Options{}); !errors.Is(err, store.ErrAuditKey) {
			t.Fatalf("server without a key started: %v", err)
		}
		if n, err := r.s.VerifyAudit(ctx); err != nil || n != first+2 {
			t.Fatalf("chain after the refusals: %d %v", n, err)
		}
	})
}

// TestAuditLegacyChainMigrated: a database from before the chain was keyed
// (its entries plain SHA-256, no alg or key_id columns) is migrated: its
// entries verify as the legacy chain, the store seals their head with a keyed
// entry, every entry after is keyed, and a rewrite of a legacy entry is still
// caught at the seal.
func TestAuditLegacyChainMigrated(t *testing.T) {
	forEachRaw(t, nil, func(t *testing.T, r rawStore) {
		if n, _ := r.s.VerifyAudit(ctx); n != 0 {
			t.Fatalf("a new store wrote %d entries", n)
		}
		r.s.Close()
		// Back to the schema before 0017, with three entries of the old code.
		r.exec(t, r.unguard)
		r.exec(t, `ALTER TABLE audit_log DROP COLUMN alg`)
		r.exec(t, `ALTER TABLE audit_log DROP COLUMN key_id`)
		r.exec(t, `DELETE FROM schema_migrations WHERE version = 17`)
		var prev string
		at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		for i := int64(1); i <= 3; i++ {
			f := []string{"p1", "张三", "login", "session", "", "ok", "10.0.0.1", fmt.Sprint(i)}
			h := plainHash(i, at, append(f, prev)...)
			r.exec(t, `INSERT INTO audit_log (seq, at, actor_id, actor_name, action, object_kind, object_id, outcome, ip, detail, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, i, at.UnixMicro(), f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], prev, h)
			prev = h
		}
		r.exec(t, `UPDATE audit_head SET seq = 3, hash = ? WHERE id = 1`, prev)
		r.exec(t, r.reguard)

		// Verification of the unmigrated database asks for the migration.
		k := newKey(t)
		old, err := r.reopen(t, store.Options{AuditKey: k, NoMigrate: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.VerifyAudit(ctx); err == nil || !strings.Contains(err.Error(), "shuniu migrate") {
			t.Fatalf("unmigrated: %v", err)
		}
		if id, err := old.AuditKeyID(ctx); id != "" || err != nil {
			t.Fatalf("key of an unmigrated chain: %q %v", id, err)
		}
		old.Close()

		// Two servers start at once: one seal between them.
		var wg sync.WaitGroup
		opened := make([]*store.Store, 2)
		errs := make([]error, 2)
		for i := range opened {
			wg.Add(1)
			go func() {
				defer wg.Done()
				opened[i], errs[i] = r.reopen(t, store.Options{AuditKey: k})
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		s := opened[0]
		appendEntries(t, opened[1], 2)
		n, err := s.VerifyAudit(ctx)
		if err != nil || n != 6 {
			t.Fatalf("migrated chain: %d %v", n, err)
		}
		es, err := s.ListAudit(ctx, store.AuditFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		seal := es[2] // newest first: 6, 5, 4
		if seal.Seq != 4 || seal.Action != "audit.key" || seal.Alg != audit.AlgHMACSHA256 || seal.KeyID != k.ID() || seal.PrevHash != prev ||
			!strings.Contains(seal.Detail, `"legacy_entries":3`) || es[5].Alg != audit.AlgLegacy {
			t.Fatalf("seal entry: %+v; legacy %+v", seal, es[5])
		}
		if id, err := s.AuditKeyID(ctx); id != k.ID() || err != nil {
			t.Fatalf("key of the chain: %q %v", id, err)
		}
		if r.dialect == store.Postgres {
			// A server still on the old code cannot append after the seal.
			if _, err := r.raw.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor_name, action, object_kind, object_id, outcome, ip, detail, prev_hash, hash)
				VALUES (99, 0, '', '', 'x', '', '', 'ok', '', '', '', '')`); err == nil {
				t.Error("an unkeyed append was accepted")
			}
		}
		// Rewriting a legacy entry and its successors as plain SHA-256 still
		// breaks at the seal, whose link is keyed.
		r.exec(t, r.unguard)
		r.exec(t, `UPDATE audit_log SET actor_name = '李四' WHERE seq = 2`)
		var h1 string
		if err := r.raw.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = 1`).Scan(&h1); err != nil {
			t.Fatal(err)
		}
		h2 := plainHash(2, at, "p1", "李四", "login", "session", "", "ok", "10.0.0.1", "2", h1)
		h3 := plainHash(3, at, "p1", "张三", "login", "session", "", "ok", "10.0.0.1", "3", h2)
		r.exec(t, `UPDATE audit_log SET hash = ? WHERE seq = 2`, h2)
		r.exec(t, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = 3`, h2, h3)
		_, err = s.VerifyAudit(ctx)
		brokenAt(t, err, 4, audit.KindChain)
		r.exec(t, `UPDATE audit_log SET prev_hash = ? WHERE seq = 4`, h3)
		_, err = s.VerifyAudit(ctx)
		brokenAt(t, err, 4, audit.KindChain)
	})
}

// TestAuditSwitchToSM3: a server started with the chain's secret under
// SM3-HMAC (--audit-alg hmac-sm3) seals the HMAC-SHA256 entries with an
// audit.alg entry and makes every later one with SM3; the whole chain
// verifies with the one secret, and another secret is still refused.
func TestAuditSwitchToSM3(t *testing.T) {
	var key *audit.Key
	forEachRaw(t, func(t *testing.T) store.Options { key = newKey(t); return store.Options{AuditKey: key} }, func(t *testing.T, r rawStore) {
		appendEntries(t, r.s, 3)
		sm3, err := key.WithAlg(audit.AlgHMACSM3)
		if err != nil || sm3.ID() == key.ID() || sm3.Alg() != audit.AlgHMACSM3 {
			t.Fatalf("sm3 key: %v %v", sm3, err)
		}
		other, _ := newKey(t).WithAlg(audit.AlgHMACSM3)
		if _, err := r.reopen(t, store.Options{AuditKey: other}); !errors.Is(err, store.ErrAuditKey) {
			t.Fatalf("another secret under SM3 started: %v", err)
		}
		s2, err := r.reopen(t, store.Options{AuditKey: sm3})
		if err != nil {
			t.Fatal(err)
		}
		appendEntries(t, s2, 2)
		if id, err := s2.AuditKeyID(ctx); err != nil || id != sm3.ID() {
			t.Fatalf("chain's key after the switch: %q %v, want %s", id, err, sm3.ID())
		}
		var nSM3, nSwitch int
		if err := r.raw.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE alg = 'hmac-sm3'`).Scan(&nSM3); err != nil || nSM3 < 3 {
			t.Fatalf("SM3 entries: %d %v", nSM3, err)
		}
		if err := r.raw.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'audit.alg'`).Scan(&nSwitch); err != nil || nSwitch != 1 {
			t.Fatalf("audit.alg entries: %d %v", nSwitch, err)
		}
		for _, k := range []*audit.Key{sm3, key} {
			v, err := r.reopen(t, store.Options{AuditKey: k, NoMigrate: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.VerifyAudit(ctx); err != nil {
				t.Fatalf("verify with %s: %v", k.Alg(), err)
			}
		}
		// A rewrite of an SM3 entry is named at that entry.
		last, _, err := s2.AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r.exec(t, r.unguard)
		r.exec(t, `UPDATE audit_log SET actor_name = '李四' WHERE seq = ?`, last)
		r.exec(t, r.reguard)
		_, err = s2.VerifyAudit(ctx)
		brokenAt(t, err, last, audit.KindChain)
	})
}
