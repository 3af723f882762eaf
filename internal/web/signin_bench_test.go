package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// BenchmarkSignIn: one sign-in over HTTP (the password POST, the login page
// before it not counted) against the demo district on SQLite, from many
// browsers at once. Its CPU profile shows where a sign-in's time goes besides
// argon2id. The burst over a running server is cmd/loginburst (docs/perf.md).
func BenchmarkSignIn(b *testing.B) {
	now := time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
	s := storetest.SQLite(b, store.Options{Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)})
	d := demo.NewDistrict(now)
	if err := demo.Seed(context.Background(), s, d); err != nil {
		b.Fatal(err)
	}
	h, err := web.New(s, web.Options{Logger: slog.New(slog.DiscardHandler), DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	b.Cleanup(srv.Close)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	b.SetParallelism(25) // 50 browsers on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			b.StopTimer()
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := c.Get(srv.URL + "/login")
			if err != nil {
				b.Error(err)
				return
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			m := csrf.FindSubmatch(page)
			b.StartTimer()
			resp, err = c.PostForm(srv.URL+"/login", url.Values{"csrf": {string(m[1])}, "login": {"wenmi"}, "password": {demo.Password}, "next": {"/"}})
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				b.Errorf("sign-in: %d", resp.StatusCode)
			}
		}
	})
}
