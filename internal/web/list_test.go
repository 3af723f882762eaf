package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

var (
	docRowID     = regexp.MustCompile(`data-testid="doc-row" data-id="([^"]+)"`)
	nextLink     = regexp.MustCompile(`href="([^"]+)" rel="next"`)
	supRowID     = regexp.MustCompile(`data-testid="sup-row" data-id="([^"]+)"`)
	inboxSubject = regexp.MustCompile(`<b>(第\d+条消息)</b>`)
	tabCount     = regexp.MustCompile(`data-testid="tab-(\w+)">[^<]*<b class="count">(\d+)</b>`)
)

// TestDocListPages: /docs shows a page at a time with a 下一页 link that keeps
// the filters; walking the pages shows every document the clerk may read
// exactly once, and the tabs count them exactly (no cap). Two drafts raised
// to 秘密 after the fact — above the clerk's clearance — are neither shown on
// any page nor counted, nor shown even when the list's own copy of their
// level is stale (the row is decided again with access.Decide).
func TestDocListPages(t *testing.T) {
	forEachDocEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		clerk := e.byLogin("chengban") // 非密
		pos, err := e.store.Positions(ctx, clerk.ID)
		if err != nil || len(pos) == 0 {
			t.Fatalf("positions: %v", err)
		}
		const n = 57
		var secret []string
		for i := range n {
			rec, err := e.store.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: pos[0].UnitID, Doc: document.Document{
				Type: document.Notice, Title: fmt.Sprintf("关于第%d项工作的通知", i+1), Body: document.ParseBody("一、要求\n正文。")}})
			if err != nil {
				t.Fatal(err)
			}
			if i == 3 || i == 40 {
				if _, err := e.store.Classify(ctx, e.byLogin("zhuren"), rec.ID, 1, document.Classification{Level: document.Confidential, PeriodYears: 5}, "涉及尚未公布的工作安排"); err != nil {
					t.Fatal(err)
				}
				secret = append(secret, rec.ID)
			}
		}
		c := e.client()
		if code, body := c.login("chengban", demo.Password); code != 303 {
			t.Fatalf("login: %d %s", code, body)
		}
		walk := func(first string) (map[string]int, map[string]string) {
			t.Helper()
			seen := map[string]int{}
			var counts map[string]string
			next := first
			for pages := 0; next != ""; pages++ {
				if pages > 5 {
					t.Fatal("more pages than rows")
				}
				code, body, _ := c.get(next)
				if code != 200 {
					t.Fatalf("%s: %d", next, code)
				}
				if counts == nil {
					counts = map[string]string{}
					for _, m := range tabCount.FindAllStringSubmatch(body, -1) {
						counts[m[1]] = m[2]
					}
				}
				rows := docRowID.FindAllStringSubmatch(body, -1)
				if len(rows) > 50 {
					t.Errorf("%s: %d rows on one page", next, len(rows))
				}
				for _, m := range rows {
					seen[m[1]]++
				}
				next = ""
				if m := nextLink.FindStringSubmatch(body); m != nil {
					next = html.UnescapeString(m[1])
					u, _ := url.Parse(next)
					f, _ := url.Parse(first)
					if u.Query().Get("q") != f.Query().Get("q") || u.Query().Get("tab") != f.Query().Get("tab") {
						t.Errorf("next page %s lost the filters of %s", next, first)
					}
				}
			}
			return seen, counts
		}
		for _, first := range []string{"/docs?tab=todo", "/docs?tab=done", "/docs?tab=todo&q=" + url.QueryEscape("工作")} {
			seen, counts := walk(first)
			if len(seen) != n-len(secret) {
				t.Errorf("%s: %d documents over the pages, want %d", first, len(seen), n-len(secret))
			}
			for id, k := range seen {
				if k != 1 {
					t.Errorf("%s: %s shown %d times", first, id, k)
				}
			}
			for _, id := range secret {
				if seen[id] > 0 {
					t.Errorf("%s: the 秘密 document %s is listed to a 非密 clerk", first, id)
				}
			}
			if want := fmt.Sprint(n - len(secret)); counts["todo"] != want || counts["done"] != want {
				t.Errorf("%s: counts %v, want %s to do and done", first, counts, want)
			}
		}
		// The JSON list pages the same way and counts the same.
		code, body, _ := c.get("/api/v1/documents?tab=todo&limit=20")
		if code != 200 || !strings.Contains(body, fmt.Sprintf(`"todo":%d`, n-len(secret))) || !strings.Contains(body, `"next":"`) {
			t.Errorf("API list: %d %.300s", code, body)
		}
		// A stale level in the list's index (as if a trigger had missed a
		// change): the database offers the row, access.Decide refuses it.
		if e.store.Dialect() == store.SQLite {
			raw, err := sql.Open("sqlite", "file:"+e.store.Path()+"?_pragma=busy_timeout(10000)")
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec(`UPDATE open_tasks SET level = 0 WHERE instance_id IN (?, ?)`, secret[0], secret[1]); err != nil {
				t.Fatal(err)
			}
			seen, _ := walk("/docs?tab=todo")
			if seen[secret[0]]+seen[secret[1]] > 0 || len(seen) != n-len(secret) {
				t.Errorf("with a stale level: %d shown, the 秘密 ones %d and %d times", len(seen), seen[secret[0]], seen[secret[1]])
			}
		}
	})
}

// TestListRoundTrips: the workbench and the lists run the same number of
// statements — round trips on PostgreSQL — with 5 open items as with 200
// (no statement per row), and few of them.
func TestListRoundTrips(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			pages := []string{"/workbench", "/workbench?tab=done", "/docs?tab=todo", "/docs?tab=done", "/api/v1/workbench", "/api/v1/documents?tab=todo"}
			cost := map[string][]int64{}
			for _, n := range []int{5, 200} {
				ts, c, s := backlogServer(t, dialect, n)
				for _, p := range pages {
					get(t, c, ts.URL+p) // the first load prepares statements
					r0 := s.Reads()
					get(t, c, ts.URL+p)
					cost[p] = append(cost[p], s.Reads()-r0)
				}
			}
			for _, p := range pages {
				if c := cost[p]; c[0] != c[1] || c[1] > 18 {
					t.Errorf("%s: %d statements with 5 open items, %d with 200 (want equal, at most 18)", p, c[0], c[1])
				}
			}
			t.Logf("statements per page: %v", cost)
		})
	}
}

func get(t *testing.T, c *http.Client, u string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d", u, resp.StatusCode)
	}
}

// TestSupListPages: the 督办 list shows 50 items a page, in a stable order,
// with links that keep the filters, and every item once.
func TestSupListPages(t *testing.T) {
	forEachDocEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ducha := e.byLogin("ducha")
		roles, err := e.store.Roles(ctx, ducha.ID)
		if err != nil {
			t.Fatal(err)
		}
		office := ""
		for _, r := range roles {
			if r.Role == org.RoleSupervisor {
				office = r.UnitID
			}
		}
		lead := e.unit("区发改局")
		const n = 53
		for i := range n {
			_, err := e.store.CreateSupItem(ctx, ducha, supervise.NewItem{ID: fmt.Sprintf("page-%02d", i), Source: supervise.FromLeader,
				Title: fmt.Sprintf("第%d项督办事项", i+1), Instruction: "请按时完成。", Office: office,
				Schedule: supervise.Schedule{Kind: supervise.Weekly, Weekday: time.Friday}, Deadline: supervise.DeadlineSpec{Workdays: 10},
				Units: []supervise.Unit{{UnitID: lead.ID, Lead: true, Responsible: e.head(lead.ID).ID}}}, false)
			if err != nil {
				t.Fatal(err)
			}
		}
		c := e.client()
		if code, body := c.login("ducha", demo.Password); code != 303 {
			t.Fatalf("login: %d %s", code, body)
		}
		seen := map[string]int{}
		next := "/supervise?tab=all&q=" + url.QueryEscape("督办事项")
		for pages := 0; next != ""; pages++ {
			if pages > 3 {
				t.Fatal("too many pages")
			}
			code, body, _ := c.get(next)
			if code != 200 {
				t.Fatalf("%s: %d", next, code)
			}
			rows := supRowID.FindAllStringSubmatch(body, -1)
			if len(rows) > 50 {
				t.Errorf("%d items on one page", len(rows))
			}
			for _, m := range rows {
				seen[m[1]]++
			}
			next = ""
			if m := nextLink.FindStringSubmatch(body); m != nil {
				next = html.UnescapeString(m[1])
				if u, _ := url.Parse(next); u.Query().Get("q") != "督办事项" || u.Query().Get("tab") != "all" {
					t.Errorf("next page %s lost the filters", next)
				}
			}
		}
		if len(seen) != n {
			t.Errorf("%d items over the pages, want %d", len(seen), n)
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("%s shown %d times", id, k)
			}
		}
	})
}

// TestInboxPages: the inbox shows 50 messages a page, newest first, with a
// link to the older ones (also when all were written in the same
// microsecond), each message once, and the unread count is the database's,
// not the page's.
func TestInboxPages(t *testing.T) {
	forEachDocEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		p := e.byLogin("chengban")
		const n = 57
		if err := e.store.Write(ctx, func(tx *store.Tx) error {
			for i := range n {
				if _, err := tx.Notify(ctx, notify.Message{Key: fmt.Sprintf("page-%02d", i), PersonID: p.ID, Kind: "test",
					Subject: fmt.Sprintf("第%d条消息", i+1), Body: "正文"}, nil); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		if code, body := c.login("chengban", demo.Password); code != 303 {
			t.Fatalf("login: %d %s", code, body)
		}
		seen := map[string]int{}
		next := "/inbox"
		for pages := 0; next != ""; pages++ {
			if pages > 3 {
				t.Fatal("too many pages")
			}
			code, body, _ := c.get(next)
			if code != 200 {
				t.Fatalf("%s: %d", next, code)
			}
			if !strings.Contains(body, fmt.Sprintf("未读 %d", n)) {
				t.Errorf("%s: the unread count is not %d", next, n)
			}
			items := inboxSubject.FindAllStringSubmatch(body, -1)
			if len(items) > 50 {
				t.Errorf("%d messages on one page", len(items))
			}
			for _, m := range items {
				seen[m[1]]++
			}
			next = ""
			if m := nextLink.FindStringSubmatch(body); m != nil {
				next = html.UnescapeString(m[1])
			}
		}
		if len(seen) != n {
			t.Errorf("%d messages over the pages, want %d", len(seen), n)
		}
		for s, k := range seen {
			if k != 1 {
				t.Errorf("%s shown %d times", s, k)
			}
		}
	})
}
