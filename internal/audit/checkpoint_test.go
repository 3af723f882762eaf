package audit

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "keys", "audit.key")
	k, err := GenerateKeyFile(p)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v %v, want 0600", fi.Mode(), err)
	}
	if di, err := os.Stat(filepath.Dir(p)); err != nil || di.Mode().Perm() != 0o700 {
		t.Fatalf("key directory mode %v %v, want 0700", di.Mode(), err)
	}
	again, err := ReadKeyFile(p)
	if err != nil || again.ID() != k.ID() || again.Alg() != AlgHMACSHA256 {
		t.Fatalf("read back: %v %v", again, err)
	}
	// Made again (a second server on the same directory at the same
	// moment): the key already there is kept and returned.
	if second, err := GenerateKeyFile(p); err != nil || second.ID() != k.ID() {
		t.Errorf("second make: %v %v", second, err)
	}
	if es, _ := os.ReadDir(filepath.Dir(p)); len(es) != 1 {
		t.Errorf("left behind: %v", es)
	}
	// Readable by group or others: refused, the key would be given away.
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604} {
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadKeyFile(p); err == nil || !strings.Contains(err.Error(), "权限") {
			t.Errorf("mode %04o accepted: %v", mode, err)
		}
	}
	if err := os.Chmod(p, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadKeyFile(p); err != nil {
		t.Errorf("read-only key refused: %v", err)
	}
	for _, bad := range []string{"", "xyz", strings.Repeat("ab", 16)} {
		if _, err := ParseKey([]byte(bad)); err == nil {
			t.Errorf("ParseKey(%q) accepted", bad)
		}
	}
	if k2, err := ParseKey([]byte("  " + strings.Repeat("0f", 32) + "\n")); err != nil || k2.ID() == k.ID() {
		t.Errorf("ParseKey: %v", err)
	}
	if u := UnprotectedKey(); !u.Unprotected() || u.ID() != "unprotected" || k.Unprotected() {
		t.Error("unprotected key not recognisable")
	}
}

func TestCheckpointDir(t *testing.T) {
	k := testKey(t, 1)
	dir := CheckpointDir(filepath.Join(t.TempDir(), "cp"))
	if cps, err := dir.ReadCheckpoints(); err != nil || len(cps) != 0 {
		t.Fatalf("missing dir: %v %v", cps, err)
	}
	ctx := context.Background()
	for i := int64(1); i <= 3; i++ {
		if err := dir.WriteCheckpoint(ctx, k.SignCheckpoint(i*10, fmt.Sprintf("h%d", i), "srv:1", t0.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(filepath.Join(string(dir), CheckpointFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("checkpoint file mode: %v %v", fi, err)
	}
	// A syslog server's log beside it: lines with a prefix are read, others
	// skipped; hidden files are not read.
	line := string(k.SignCheckpoint(40, "h4", "srv:2", t0).JSON())
	log := "Nov 29 08:00:00 loghost shuniu[12]: " + line + "\nNov 29 08:00:01 loghost sshd[1]: unrelated\n"
	if err := os.WriteFile(filepath.Join(string(dir), "syslog.log"), []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(string(dir), ".partial"), []byte("{\"shuniu_audit_checkpoint\":1,"), 0o600); err != nil {
		t.Fatal(err)
	}
	cps, err := dir.ReadCheckpoints()
	if err != nil || len(cps) != 4 {
		t.Fatalf("read %d checkpoints: %v", len(cps), err)
	}
	v := NewVerifier(k)
	for _, c := range cps {
		if err := v.AddCheckpoint(c); err != nil {
			t.Errorf("%s: %v", c.Source, err)
		}
	}
	if last, ok := v.LastCheckpoint(); !ok || last.Seq != 40 || !strings.HasSuffix(last.Source, "syslog.log:1") {
		t.Errorf("last checkpoint %+v", last)
	}
	// A checkpoint line cut short is an error, not skipped.
	if err := os.WriteFile(filepath.Join(string(dir), "bad.jsonl"), []byte(line[:40]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := dir.ReadCheckpoints(); err == nil || !strings.Contains(err.Error(), "bad.jsonl:1") {
		t.Errorf("truncated checkpoint: %v", err)
	}
}

// rfc5424 matches the message Syslog sends: PRI 109 (log audit, notice),
// version 1, an RFC 3339 time with microseconds, host, app, pid, MSGID, no
// structured data, the checkpoint's JSON.
var rfc5424 = regexp.MustCompile(`^<109>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z (\S+) shuniu (\d+) audit-checkpoint - (\{"shuniu_audit_checkpoint":1,.*\})$`)

func TestSyslogTCPAndUDP(t *testing.T) {
	k := testKey(t, 1)
	ctx := context.Background()
	cp := k.SignCheckpoint(42, "abc", "srv:1", t0)
	check := func(t *testing.T, msg string) {
		m := rfc5424.FindStringSubmatch(msg)
		if m == nil {
			t.Fatalf("not an RFC 5424 message of ours: %q", msg)
		}
		if m[1] != "host-1" || m[2] != strconv.Itoa(os.Getpid()) {
			t.Errorf("header: host %q pid %q", m[1], m[2])
		}
		cps, err := ParseCheckpoints(strings.NewReader(msg), "syslog")
		if err != nil || len(cps) != 1 {
			t.Fatalf("parse: %v %v", cps, err)
		}
		if err := NewVerifier(k).AddCheckpoint(cps[0]); err != nil || cps[0].Seq != 42 {
			t.Errorf("checkpoint from syslog: %+v %v", cps[0], err)
		}
	}
	t.Run("tcp", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		got := make(chan string, 2)
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				// RFC 6587 octet counting: "LEN SP MSG".
				r := bufio.NewReader(c)
				n, err := r.ReadString(' ')
				if err != nil {
					got <- "error: " + err.Error()
					c.Close()
					continue
				}
				size, _ := strconv.Atoi(strings.TrimSpace(n))
				b := make([]byte, size)
				if _, err := io.ReadFull(r, b); err != nil {
					got <- "error: " + err.Error()
				} else {
					got <- string(b)
				}
				c.Close()
			}
		}()
		s, err := ParseSyslog("tcp://" + ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		s.Hostname = "host-1"
		for i := 0; i < 2; i++ {
			if err := s.WriteCheckpoint(ctx, cp); err != nil {
				t.Fatal(err)
			}
			check(t, <-got)
		}
	})
	t.Run("udp", func(t *testing.T) {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Close()
		s, err := ParseSyslog("udp://" + pc.LocalAddr().String())
		if err != nil {
			t.Fatal(err)
		}
		s.Hostname = "host-1"
		if err := s.WriteCheckpoint(ctx, cp); err != nil {
			t.Fatal(err)
		}
		_ = pc.SetReadDeadline(time.Now().Add(5 * time.Second))
		b := make([]byte, 2048)
		n, _, err := pc.ReadFrom(b)
		if err != nil {
			t.Fatal(err)
		}
		check(t, string(b[:n]))
	})
	t.Run("unreachable", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		s, _ := ParseSyslog("tcp://" + addr)
		if err := s.WriteCheckpoint(ctx, cp); err == nil {
			t.Error("no error from a closed port")
		}
	})
	for _, bad := range []string{"syslog.example", "http://x:514", "tcp://", "udp://h:514/path"} {
		if _, err := ParseSyslog(bad); err == nil {
			t.Errorf("ParseSyslog(%q) accepted", bad)
		}
	}
	if s, err := ParseSyslog("udp://loghost"); err != nil || s.Addr != "loghost:514" {
		t.Errorf("default port: %+v %v", s, err)
	}
}

type failingSink struct{ n int }

func (f *failingSink) WriteCheckpoint(context.Context, Checkpoint) error {
	f.n++
	return errors.New("down")
}

func TestCheckpointer(t *testing.T) {
	k := testKey(t, 1)
	ctx := context.Background()
	dir := CheckpointDir(t.TempDir())
	seq, hash := int64(0), ""
	c := &Checkpointer{Key: k, Sinks: []CheckpointSink{dir}, Server: "srv:1", Now: func() time.Time { return t0 },
		Head: func(context.Context) (int64, string, error) { return seq, hash, nil }}
	steps := []struct {
		seq   int64
		hash  string
		wrote bool
	}{
		{0, "", false}, // an empty chain has no head to pin
		{3, "h3", true},
		{3, "h3", false}, // unchanged
		{5, "h5", true},
		{5, "h5x", true}, // same length, another head: written (verification will tell)
	}
	for i, s := range steps {
		seq, hash = s.seq, s.hash
		wrote, err := c.Once(ctx)
		if err != nil || wrote != s.wrote {
			t.Errorf("step %d: wrote %v (%v), want %v", i, wrote, err, s.wrote)
		}
	}
	cps, err := dir.ReadCheckpoints()
	if err != nil || len(cps) != 3 || cps[1].Seq != 5 || cps[1].Hash != "h5" || cps[1].Server != "srv:1" {
		t.Fatalf("written: %+v %v", cps, err)
	}
	// A sink that fails is tried again at the next run, even without news.
	f := &failingSink{}
	c.Sinks = append(c.Sinks, f)
	seq, hash = 6, "h6"
	for i := 0; i < 2; i++ {
		if _, err := c.Once(ctx); err == nil {
			t.Error("sink failure not reported")
		}
	}
	if f.n != 2 {
		t.Errorf("failing sink tried %d times, want 2", f.n)
	}
	// Run writes at start and a last one when stopped.
	seq, hash = 7, "h7"
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	c.Sinks = []CheckpointSink{dir}
	go func() { c.Run(runCtx, time.Hour); close(done) }()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cps, _ := dir.ReadCheckpoints(); len(cps) > 0 && cps[len(cps)-1].Seq == 7 {
			break
		}
	}
	seq, hash = 8, "h8"
	stop()
	<-done
	cps, _ = dir.ReadCheckpoints()
	if last := cps[len(cps)-1]; last.Seq != 8 {
		t.Errorf("last checkpoint at stop: %+v", last)
	}
}

func FuzzParseCheckpoints(f *testing.F) {
	k := testKey(f, 1)
	line := string(k.SignCheckpoint(42, "abc", "srv:1", t0).JSON())
	f.Add(line + "\n")
	f.Add("<109>1 2026-11-29T08:00:00.000000Z h shuniu 1 audit-checkpoint - " + line)
	f.Add(`{"shuniu_audit_checkpoint":2}`)
	f.Add(`{"shuniu_audit_checkpoint":1,"seq":"x"}`)
	f.Add("plain text\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		cps, err := ParseCheckpoints(strings.NewReader(s), "f")
		v := NewVerifier(k)
		for _, c := range cps {
			if c.Format != 1 || c.Source == "" {
				t.Fatalf("parsed %+v", c)
			}
			_ = v.AddCheckpoint(c) // must not panic, whatever it says
		}
		_ = err
	})
}
