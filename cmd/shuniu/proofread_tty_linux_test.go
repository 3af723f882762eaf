package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal: the master to read what is written to the
// terminal, the slave to give the command as its standard output.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		master.Close()
		t.Fatalf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		master.Close()
		t.Fatalf("ptsname: %v", e)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		t.Fatal(err)
	}
	return master, slave
}

// TestProofreadColourOnTerminal: the text output is coloured on a terminal,
// and only there — not in a file, not on /dev/null (a character device that
// is no terminal), not with NO_COLOR.
func TestProofreadColourOnTerminal(t *testing.T) {
	master, slave := openPTY(t)
	defer master.Close()
	got := make(chan []byte)
	go func() {
		var buf bytes.Buffer
		io.Copy(&buf, master) // ends with EIO once the slave is closed
		got <- buf.Bytes()
	}()
	var errOut bytes.Buffer
	code := dispatch(context.Background(), []string{"proofread", "-"}, strings.NewReader("要发号司令,明天召开。"), slave, &errOut,
		func(string) string { return "" })
	slave.Close()
	out := string(<-got)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out, "\x1b[1;31m发号司令\x1b[0m") || strings.Contains(out, "【") {
		t.Errorf("terminal output not coloured:\n%q", out)
	}

	m2, s2 := openPTY(t)
	defer m2.Close()
	defer s2.Close()
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	env := func(k, v string) func(string) string {
		return func(key string) string {
			if key == k {
				return v
			}
			return ""
		}
	}
	for _, c := range []struct {
		name   string
		stdout io.Writer
		getenv func(string) string
		want   bool
	}{
		{"terminal", s2, env("", ""), true},
		{"terminal with NO_COLOR", s2, env("NO_COLOR", "1"), false},
		{"dumb terminal", s2, env("TERM", "dumb"), false},
		{"/dev/null", devNull, env("", ""), false},
		{"file", file, env("", ""), false},
		{"buffer", &bytes.Buffer{}, env("", ""), false},
	} {
		if got := useColour(&cli{stdout: c.stdout, getenv: c.getenv}); got != c.want {
			t.Errorf("%s: colour %v, want %v", c.name, got, c.want)
		}
	}
}
