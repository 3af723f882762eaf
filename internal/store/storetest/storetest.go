// Package storetest opens real stores for tests: a fresh SQLite file, and a
// fresh schema on the PostgreSQL server named by SHUNIU_TEST_POSTGRES.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/store"
)

// EnvPostgres names the variable holding the test PostgreSQL DSN.
const EnvPostgres = "SHUNIU_TEST_POSTGRES"

// EnvExec names the emulator the tests run under, set by scripts/test-qemu.sh
// (e.g. qemu-aarch64-static); empty on a native run.
const EnvExec = "SHUNIU_TEST_EXEC"

// Self returns a command running this test binary again with args. Under
// qemu-user it runs through the same emulator: the host cannot start another
// CPU's binary itself (no binfmt_misc in a container), and the child's
// writes, crash and recovery are then the emulated CPU's too.
func Self(args ...string) *exec.Cmd {
	if emu := os.Getenv(EnvExec); emu != "" {
		return exec.Command(emu, append([]string{os.Args[0]}, args...)...)
	}
	return exec.Command(os.Args[0], args...)
}

func quiet(opt store.Options) store.Options {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return opt
}

// SQLite opens a new store in a temporary directory.
func SQLite(t testing.TB, opt store.Options) *store.Store {
	t.Helper()
	opt = quiet(opt)
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "shuniu.db"), opt)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresDSN returns a DSN for a new, empty schema that is dropped when the
// test ends; it skips the test when SHUNIU_TEST_POSTGRES is unset.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skipf("%s is not set: skipping the PostgreSQL run (e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", EnvPostgres, EnvPostgres)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres opens a store on a fresh schema (or skips, see PostgresDSN).
func Postgres(t testing.TB, opt store.Options) *store.Store {
	t.Helper()
	opt = quiet(opt)
	s, err := store.Open(context.Background(), PostgresDSN(t), opt)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// ForEach runs fn as a subtest on SQLite and on PostgreSQL.
func ForEach(t *testing.T, opt store.Options, fn func(t *testing.T, s *store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t, opt)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t, opt)) })
}
