package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// lockedBuffer is a bytes.Buffer safe to write from the server's goroutine
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The metrics are served on their own, loopback address, whose URL the
// server prints; the public address does not serve them.
func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb lockedBuffer
	done := make(chan int)
	env := map[string]string{"SHUNIU_DATA_DIR": t.TempDir()}
	go func() {
		done <- dispatch(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	}()
	public := regexp.MustCompile(`枢纽已启动：(http://127\.0\.0\.1:\d+)/`)
	metrics := regexp.MustCompile(`监控指标：(http://127\.0\.0\.1:\d+/metrics)`)
	deadline := time.Now().Add(30 * time.Second)
	for !public.MatchString(out.String()) || !metrics.MatchString(out.String()) {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server did not start: %q %q", out.String(), errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	base := public.FindStringSubmatch(out.String())[1]
	if code, _ := get(base + "/healthz"); code != 200 {
		t.Errorf("healthz: %d", code)
	}
	if code, body := get(base + "/metrics"); code == 200 || strings.Contains(body, "shuniu_http_requests_total") {
		t.Errorf("public /metrics: %d", code)
	}
	if code, body := get(metrics.FindStringSubmatch(out.String())[1]); code != 200 || !strings.Contains(body, `route="GET /healthz"`) {
		t.Errorf("metrics address: %d", code)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d: %s", code, errb.String())
	}
}

// The demo and the server keep /metrics on loopback unless told otherwise.
func TestMetricsAddressDefaults(t *testing.T) {
	for _, tt := range []struct{ dir, want string }{{"shuniu-data", "127.0.0.1:9464"}, {"shuniu-demo", "127.0.0.1:0"}} {
		var cfg config
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		cfg.flags(fs, func(string) string { return "" }, true, tt.dir)
		if err := fs.Parse(nil); err != nil || cfg.metrics != tt.want {
			t.Errorf("%s: metrics address %q, want %q", tt.dir, cfg.metrics, tt.want)
		}
	}
}

// shuniu user passwd is how an administrator's password is reset; it ends
// the sessions and revokes the API tokens like any reset.
func TestUserPasswdRevokesTokens(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SHUNIU_DATA_DIR": dir}
	if code, _, errs := run(t, env, "user", "add", "--login", "auditor", "--name", "王五", "--role", "auditor"); code != 0 {
		t.Fatalf("user add: %d %s", code, errs)
	}
	ctx := context.Background()
	// Opened as the commands open it: with the audit key they made.
	auditKey, err := audit.ReadKeyFile(filepath.Join(dir, "keys", "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, filepath.Join(dir, "shuniu.db"), store.Options{AuditKey: auditKey})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.PersonByLogin(ctx, "auditor")
	if err != nil {
		t.Fatal(err)
	}
	_, hash, _ := account.NewToken()
	now := s.Now()
	if err := s.Write(ctx, func(tx *store.Tx) error {
		return tx.CreateAPIToken(ctx, store.APIToken{ID: uid.New(), PersonID: p.ID, Name: "审计脚本", TokenHash: hash, Created: now, Expires: now.Add(account.DefaultTokenLife)})
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// A password with the holder's name in pinyin is refused here too.
	if code, _, errs := run(t, env, "user", "passwd", "--login", "auditor", "--password", "Wangwu@2026x"); code != 2 || !strings.Contains(errs, "拼音") {
		t.Errorf("pinyin password: %d %q", code, errs)
	}
	if code, out, errs := run(t, env, "user", "passwd", "--login", "auditor"); code != 0 || !strings.Contains(out, "一次性密码") {
		t.Fatalf("user passwd: %d %q %q", code, out, errs)
	}
	s, err = store.Open(ctx, filepath.Join(dir, "shuniu.db"), store.Options{AuditKey: auditKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if tok, err := s.APITokenByHash(ctx, hash); err != nil || tok.Live(s.Now()) {
		t.Errorf("token after user passwd: %+v %v", tok, err)
	}
}
