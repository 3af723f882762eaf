package audit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CheckpointSink is where checkpoints are written: somewhere the database's
// administrator cannot write.
type CheckpointSink interface {
	WriteCheckpoint(ctx context.Context, c Checkpoint) error
}

// CheckpointSource gives back the checkpoints written so far, for
// verification.
type CheckpointSource interface {
	ReadCheckpoints() ([]Checkpoint, error)
}

// CheckpointFile is the file a CheckpointDir appends to.
const CheckpointFile = "audit-checkpoints.jsonl"

// CheckpointDir is a directory of append-only JSON lines files: each server
// appends to CheckpointFile in it (O_APPEND, one write and fsync a line, so
// that several servers may share the directory); verification reads every
// file in it, so a syslog server's log of the checkpoints may be put beside.
type CheckpointDir string

// WriteCheckpoint appends c to the directory's file, creating both if needed.
func (d CheckpointDir) WriteCheckpoint(_ context.Context, c Checkpoint) error {
	if err := os.MkdirAll(string(d), 0o700); err != nil {
		return fmt.Errorf("创建检查点目录: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(string(d), CheckpointFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("打开检查点文件: %w", err)
	}
	_, err = f.Write(append(c.JSON(), '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("写入检查点文件: %w", err)
	}
	return nil
}

// ReadCheckpoints reads every regular file in the directory (names starting
// with a dot are skipped); a directory that does not exist holds none.
func (d CheckpointDir) ReadCheckpoints() ([]Checkpoint, error) {
	es, err := os.ReadDir(string(d))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("读取检查点目录: %w", err)
	}
	sort.Slice(es, func(i, j int) bool { return es[i].Name() < es[j].Name() })
	var out []Checkpoint
	for _, e := range es {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(string(d), e.Name())
		f, err := os.Open(p)
		if err != nil {
			return out, err
		}
		cs, err := ParseCheckpoints(f, p)
		f.Close()
		out = append(out, cs...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// Syslog sends checkpoints to a remote syslog server as RFC 5424 messages
// (facility 13 "log audit", severity notice, MSGID audit-checkpoint, the
// checkpoint's JSON as MSG): over UDP one message a datagram (RFC 5426), over
// TCP octet-counted (RFC 6587). For TLS (RFC 5425), relay through a local
// rsyslog or syslog-ng.
type Syslog struct {
	Network  string // "tcp" or "udp"
	Addr     string // host:port
	Hostname string // this server, as the message's HOSTNAME; "-" when empty
	Timeout  time.Duration
}

// ParseSyslog reads tcp://host:port or udp://host:port (port 514 when left
// out).
func ParseSyslog(s string) (Syslog, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "tcp" && u.Scheme != "udp") || u.Host == "" || u.Path != "" {
		return Syslog{}, fmt.Errorf("syslog 地址应为 tcp://主机:端口 或 udp://主机:端口，而不是 %q", s)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "514")
	}
	// url.Parse takes "udp://::0" as host ":" and port "0": check what
	// will be dialled.
	host, port, err := net.SplitHostPort(addr)
	if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
		return Syslog{}, fmt.Errorf("syslog 地址应为 tcp://主机:端口 或 udp://主机:端口（IPv6 地址写在方括号内），而不是 %q", s)
	}
	return Syslog{Network: u.Scheme, Addr: addr}, nil
}

// syslogPRI is RFC 5424's facility 13, "log audit", at severity 5, notice.
const syslogPRI = 13*8 + 5

// Message formats c as one RFC 5424 message (without transport framing).
func (s Syslog) Message(c Checkpoint) []byte {
	host := printableASCII(s.Hostname, 255)
	return fmt.Appendf(nil, "<%d>1 %s %s shuniu %d audit-checkpoint - %s", syslogPRI,
		c.At.UTC().Format("2006-01-02T15:04:05.000000Z07:00"), host, os.Getpid(), c.JSON())
}

// printableASCII keeps a header field within RFC 5424's PRINTUSASCII; "-" (the
// nil value) when nothing is left.
func printableASCII(s string, max int) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 33 && r <= 126 && b.Len() < max {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "-"
	}
	return b.String()
}

// WriteCheckpoint sends c, on a connection of its own (a checkpoint a minute
// at most: keeping one open is not worth its failure modes).
func (s Syslog) WriteCheckpoint(ctx context.Context, c Checkpoint) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, s.Network, s.Addr)
	if err != nil {
		return fmt.Errorf("连接 syslog %s://%s: %w", s.Network, s.Addr, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	msg := s.Message(c)
	if s.Network == "tcp" {
		msg = append(fmt.Appendf(nil, "%d ", len(msg)), msg...)
	}
	if _, err := conn.Write(msg); err != nil {
		return fmt.Errorf("发送到 syslog %s://%s: %w", s.Network, s.Addr, err)
	}
	return nil
}

// Checkpointer writes a checkpoint of the chain's head to its sinks whenever
// the head has moved. Every server runs one; their checkpoints of the same
// head are alike but for the server and time.
type Checkpointer struct {
	Key    *Key
	Head   func(ctx context.Context) (seq int64, hash string, err error)
	Sinks  []CheckpointSink
	Server string
	Now    func() time.Time
	Log    *slog.Logger

	lastSeq  int64
	lastHash string
}

// Once writes a checkpoint of the head if it moved since the last one this
// checkpointer wrote to every sink; it reports whether it wrote.
func (c *Checkpointer) Once(ctx context.Context) (bool, error) {
	seq, hash, err := c.Head(ctx)
	if err != nil {
		return false, fmt.Errorf("读取审计链头: %w", err)
	}
	if seq == 0 || (seq == c.lastSeq && hash == c.lastHash) {
		return false, nil
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	cp := c.Key.SignCheckpoint(seq, hash, c.Server, now())
	var errs []error
	for _, s := range c.Sinks {
		if err := s.WriteCheckpoint(ctx, cp); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		// Tried again next time, on every sink: a duplicate line is harmless.
		return true, errors.Join(errs...)
	}
	c.lastSeq, c.lastHash = seq, hash
	return true, nil
}

// Run writes checkpoints every interval until ctx ends, and a last one then.
func (c *Checkpointer) Run(ctx context.Context, every time.Duration) {
	log := c.Log
	if log == nil {
		log = slog.Default()
	}
	once := func(ctx context.Context) {
		if _, err := c.Once(ctx); err != nil {
			log.Warn("audit checkpoint", "err", err)
		}
	}
	once(ctx)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			once(final)
			cancel()
			return
		case <-t.C:
			once(ctx)
		}
	}
}
