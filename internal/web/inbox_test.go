package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// TestUnreadBadgeLive: the header's unread badge polls, and shows a message
// written through another server sharing the database at its next poll,
// without a reload of the page (no state in any one server's memory).
func TestUnreadBadgeLive(t *testing.T) {
	e := newEnv(t)
	// A second app server on the same database.
	h2, err := web.New(e.store, web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(h2.Handler())
	t.Cleanup(ts2.Close)
	e2 := *e
	e2.srv = ts2

	office := e.unit("政府办")
	director := e.head(office.ID)
	c := e2.client()
	c.login(director.Login, demo.Password)
	_, page, _ := c.get("/workbench")
	if !strings.Contains(page, `hx-get="/inbox/unread"`) || !strings.Contains(page, "every 15s") {
		t.Fatal("the header's badge does not poll")
	}
	before := unread(t, c)

	// The clerk sends a draft to the director through the first server's store.
	clerk := e.byLogin("wenmi")
	rec, err := e.store.CreateOutgoing(context.Background(), clerk, store.NewOutgoing{UnitID: office.ID, Doc: document.Document{
		Type: document.Notice, Title: "关于做好岁末年初安全生产工作的通知", Body: document.ParseBody("各单位：\n一、压实责任")}})
	if err != nil {
		t.Fatal(err)
	}
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Comment: "请审核"})
	if got := unread(t, c); got != before+1 {
		t.Fatalf("badge after a new task: %d, want %d", got, before+1)
	}
	// The poll answer keeps polling (it replaces itself).
	_, frag, _ := c.get("/inbox/unread")
	if !strings.Contains(frag, `hx-trigger="every 15s"`) {
		t.Fatalf("the badge stops polling after its first answer: %s", frag)
	}
	_, inbox, _ := c.get("/inbox")
	if !strings.Contains(inbox, "关于做好岁末年初安全生产工作的通知") || !strings.Contains(inbox, clerk.Name) {
		t.Fatal("the inbox page lacks the new task's message")
	}
}

// unread is the number the badge shows.
func unread(t *testing.T, c *client) int {
	t.Helper()
	code, frag, _ := c.get("/inbox/unread")
	if code != http.StatusOK {
		t.Fatalf("unread: %d", code)
	}
	i := strings.Index(frag, `data-testid="inbox-unread">`)
	if i < 0 {
		return 0
	}
	var n int
	for _, r := range frag[i+len(`data-testid="inbox-unread">`):] {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}
