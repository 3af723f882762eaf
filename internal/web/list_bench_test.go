package web_test

import (
	"context"
	"database/sql"
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
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// backlogServer seeds the demo district on the given store ("sqlite" or
// "postgres"), gives the clerk wenmi n open drafts (n 待办 and n 已办; bulk
// SQL, not the route engine, so that 100,000 take seconds), and returns the
// server, a client signed in as the clerk and the store.
func backlogServer(tb testing.TB, dialect string, n int) (*httptest.Server, *http.Client, *store.Store) {
	tb.Helper()
	now := time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
	opt := store.Options{Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)}
	ctx := context.Background()
	var s *store.Store
	var raw *sql.DB
	var err error
	switch dialect {
	case "postgres":
		dsn := storetest.PostgresDSN(tb)
		if s, err = store.Open(ctx, dsn, opt); err != nil {
			tb.Fatal(err)
		}
		raw, err = sql.Open("pgx", dsn)
	default:
		s = storetest.SQLite(tb, opt)
		raw, err = sql.Open("sqlite", "file:"+s.Path()+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close(); s.Close() })
	d := demo.NewDistrict(now)
	if err := demo.Seed(ctx, s, d); err != nil {
		tb.Fatal(err)
	}
	var clerk org.Person
	for _, p := range d.People {
		if p.Login == "wenmi" {
			clerk = p
		}
	}
	pos, err := s.Positions(ctx, clerk.ID)
	if err != nil || len(pos) == 0 {
		tb.Fatalf("clerk's positions: %v", err)
	}
	if err := bulkDrafts(ctx, raw, clerk.ID, pos[0].UnitID, n, now); err != nil {
		tb.Fatal(err)
	}
	if dialect == "postgres" {
		_, _ = raw.ExecContext(ctx, `ANALYZE`)
	}
	h, err := web.New(s, web.Options{Logger: slog.New(slog.DiscardHandler), DataDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	tb.Cleanup(ts.Close)
	return ts, signIn(tb, ts, "wenmi"), s
}

// signIn returns a client with a session for login.
func signIn(tb testing.TB, ts *httptest.Server, login string) *http.Client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(ts.URL + "/login")
	if err != nil {
		tb.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		tb.Fatal("no csrf field on the login page")
	}
	resp, err = c.PostForm(ts.URL+"/login", url.Values{"login": {login}, "password": {demo.Password}, "csrf": {string(m[1])}, "next": {"/"}})
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		tb.Fatalf("login: %d", resp.StatusCode)
	}
	return c
}

// bulkDrafts inserts n drafts of the person in unit, each with its open 起草
// task and the person as participant, as INSERT … SELECT over a generated
// series (the same statement on both stores).
func bulkDrafts(ctx context.Context, raw *sql.DB, personID, unitID string, n int, now time.Time) error {
	if n <= 0 {
		return nil
	}
	base := now.Add(-time.Duration(n+10) * time.Minute).UnixMicro()
	series := fmt.Sprintf(`WITH RECURSIVE g(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM g WHERE i < %d) `, n)
	id := `'bench-' || CAST(i AS TEXT)`
	at := fmt.Sprintf(`(%d + i * 60000000)`, base)
	content := `{"type":"notice","title":"关于开展工作的通知","body":[]}`
	stmts := []string{
		series + `INSERT INTO documents (id, direction, unit_id, organ_id, source_id, title, doc_type, level, urgency, doc_number, in_number, sender, step, status, version, content, created_by, created_at, updated_at, closed_at)
			SELECT ` + id + `, 'outgoing', '` + unitID + `', '` + unitID + `', '', '关于第' || CAST(i AS TEXT) || '项工作的通知', 'notice', 0, '', '', '', '', '起草', 'active', 1, '` + content + `', '` + personID + `', ` + at + `, ` + at + `, 0 FROM g`,
		series + `INSERT INTO route_instances (id, seq, state, updated_at) SELECT ` + id + `, 1, '{"status":"active"}', ` + at + ` FROM g`,
		series + `INSERT INTO open_tasks (instance_id, task_id, kind, person, role, unit, step, circulate, handed_at, due_at, ack_due_at, acked)
			SELECT ` + id + `, 1, 'person', '` + personID + `', '', '', '起草', 0, ` + at + `, 0, 0, 0 FROM g`,
		series + `INSERT INTO participants (doc_id, person_id, acted_at) SELECT ` + id + `, '` + personID + `', ` + at + ` FROM g`,
	}
	for _, q := range stmts {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("bulk drafts: %w", err)
		}
	}
	return nil
}

// BenchmarkBacklog serves the clerk's /docs (待办) and /workbench with 100 and
// with 100,000 open drafts, on both stores: a page must cost the same
// however long the backlog is.
//
//	SHUNIU_TEST_POSTGRES=… go test ./internal/web -run '^$' -bench Backlog -benchtime 200x
func BenchmarkBacklog(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		for _, n := range []int{100, 100_000} {
			b.Run(fmt.Sprintf("%s/%d", dialect, n), func(b *testing.B) {
				ts, c, s := backlogServer(b, dialect, n)
				for _, page := range []string{"/docs?tab=todo", "/workbench"} {
					b.Run(page[1:], func(b *testing.B) {
						r0 := s.Reads()
						benchGet(b, c, ts.URL+page)
						// Statements per page: each a round trip on PostgreSQL.
						b.ReportMetric(float64(s.Reads()-r0)/float64(b.N), "stmts/op")
					})
				}
			})
		}
	}
}
