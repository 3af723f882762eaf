package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// benchServer seeds the demo district, gives the clerk n drafts (n 待办), and
// returns the server and a client signed in as the clerk. with adjusts the
// server's options (e.g. a proofreader or a renderer).
func benchServer(b *testing.B, n int, with ...func(*web.Options)) (*httptest.Server, *http.Client, []string) {
	b.Helper()
	now := time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
	s := storetest.SQLite(b, store.Options{Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)})
	d := demo.NewDistrict(now)
	ctx := context.Background()
	if err := demo.Seed(ctx, s, d); err != nil {
		b.Fatal(err)
	}
	var clerk org.Person
	for _, p := range d.People {
		if p.Login == "wenmi" {
			clerk = p
		}
	}
	pos, _ := s.Positions(ctx, clerk.ID)
	var towns []string
	for _, u := range d.Units {
		if u.Kind == org.KindTown && len(towns) < 3 {
			towns = append(towns, u.ID)
		}
	}
	var ids []string
	for i := range n {
		rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: pos[0].UnitID, To: towns, Doc: document.Document{Type: document.Notice,
			Title: fmt.Sprintf("清澜区人民政府办公室关于第%d项工作的通知", i+1), Body: document.ParseBody(draftBody)}})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, rec.ID)
	}
	opt := web.Options{Logger: slog.New(slog.DiscardHandler), DataDir: b.TempDir()}
	for _, w := range with {
		w(&opt)
	}
	h, err := web.New(s, opt)
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	b.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(ts.URL + "/login")
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	resp, err = c.PostForm(ts.URL+"/login", url.Values{"login": {"wenmi"}, "password": {demo.Password}, "csrf": {string(m[1])}, "next": {"/docs"}})
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("login: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	return ts, c, ids
}

func benchGet(b *testing.B, c *http.Client, u string) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		resp, err := c.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%s: %d", u, resp.StatusCode)
		}
	}
}

// BenchmarkDocListPage is the 待办 page of a clerk with 200 open drafts.
func BenchmarkDocListPage(b *testing.B) {
	ts, c, _ := benchServer(b, 200)
	benchGet(b, c, ts.URL+"/docs?tab=todo")
}

// BenchmarkWorkbenchAPI is /api/v1/workbench for the same clerk.
func BenchmarkWorkbenchAPI(b *testing.B) {
	ts, c, _ := benchServer(b, 200)
	benchGet(b, c, ts.URL+"/api/v1/workbench")
}

// BenchmarkDocPage is one document page with its actions and 流转轨迹.
func BenchmarkDocPage(b *testing.B) {
	ts, c, ids := benchServer(b, 20)
	benchGet(b, c, ts.URL+"/docs/"+ids[0])
}
