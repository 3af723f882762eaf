package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

const crashChildEnv = "SHUNIU_CRASH_CHILD_DSN"

// TestCrashChild is the writer that the crash test kills; it does nothing
// unless started by TestCrashLosesNoCommittedWrite.
func TestCrashChild(t *testing.T) {
	dsn := os.Getenv(crashChildEnv)
	if dsn == "" {
		t.Skip("helper process for TestCrashLosesNoCommittedWrite")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 1; ; i++ {
		name := fmt.Sprintf("单位%06d", i)
		err := s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.PutUnit(ctx, org.Unit{ID: uid.FromName("crash", name), Name: name, ShortName: name, Kind: org.KindDepartment}); err != nil {
				return err
			}
			return tx.Audit(ctx, audit.Event{Action: "unit.create", ObjectID: name})
		})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		// Report only after Write returned: the commit is done.
		fmt.Fprintf(w, "committed %d\n", i)
		w.Flush()
	}
}

// TestCrashLosesNoCommittedWrite kills a writing process with SIGKILL in the
// middle of its work and checks that every write it reported as committed is
// there, that each unit has its audit entry (nothing half-done), and that the
// chain verifies.
func TestCrashLosesNoCommittedWrite(t *testing.T) {
	run := func(t *testing.T, dsn string) {
		cmd := storetest.Self("-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dsn)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			if errors.Is(err, syscall.ENOEXEC) {
				t.Fatalf("%v: another CPU's test binary; set %s to its emulator (scripts/test-qemu.sh does)", err, storetest.EnvExec)
			}
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		last := 0
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "error") {
				t.Fatalf("child: %s", line)
			}
			if n, ok := strings.CutPrefix(line, "committed "); ok {
				last, _ = strconv.Atoi(n)
				if last == 300 {
					_ = cmd.Process.Signal(syscall.SIGKILL)
					break
				}
			}
		}
		_ = cmd.Wait()
		if last < 300 {
			t.Fatalf("child stopped early after %d", last)
		}
		s, err := store.Open(context.Background(), dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		units, err := s.Units(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.VerifyAudit(context.Background())
		if err != nil {
			t.Fatalf("chain after crash: %v", err)
		}
		// Every reported commit is present (the child may have committed more
		// before the kill reached it).
		if len(units) < last {
			t.Errorf("units after crash: %d, reported committed: %d", len(units), last)
		}
		if int(n) != len(units) {
			t.Errorf("audit entries %d != units %d: a transaction was half-done", n, len(units))
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "crash.db")) })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresDSN(t)) })
}
