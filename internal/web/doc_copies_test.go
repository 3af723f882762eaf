package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// distributed is a 政府办 notice taken through 复核, 印发 and 分发, so that its
// receivers' copies exist and wait for 签收.
func distributed(t *testing.T) (*env, store.DocRecord) {
	t.Helper()
	e := newProofEnv(t, false)
	rec := e.proofDraft(document.Unclassified)
	e.toReview(rec)
	rec = e.toNumbered(rec)
	clerk := e.byLogin("wenmi")
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Comment: "复核无误"})
	e.act(clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-11-30", "copies": "10"}})
	e.act(clerk, rec.ID, route.Request{Op: route.Approve})
	return e, rec
}

// TestSenderSeesSignFor: after distribution the sender's document page lists
// each receiving unit's copy; one not signed for within its limit is flagged
// 逾期未签收 for the sender and its office.
func TestSenderSeesSignFor(t *testing.T) {
	e, rec := distributed(t)
	c := e.client()
	c.login("wenmi", demo.Password)
	_, body, _ := c.get("/docs/" + rec.ID)
	if !strings.Contains(body, `data-testid="copies"`) || !strings.Contains(body, "待签收") || strings.Contains(body, "逾期未签收") {
		t.Fatalf("after distribution: %s", firstLines(body, "<table class=\"grid compact\" data-testid=\"copies\"", 1))
	}
	e.clock.t = e.clock.t.Add(72 * time.Hour) // past one working day
	c.login("wenmi", demo.Password)
	_, body, _ = c.get("/docs/" + rec.ID)
	if !strings.Contains(body, "逾期未签收") || !strings.Contains(body, `data-testid="flags"`) {
		t.Error("a copy not signed for in time is not flagged for the sender")
	}
}

// TestDocWatch: the office-wide 办文预警 lists the copies its organ sent that
// were not signed for in time, by receiving unit; a 承办人 outside the office
// has no such page.
func TestDocWatch(t *testing.T) {
	e, rec := distributed(t)
	c := e.client()
	c.login("zhuren", demo.Password)
	_, body, _ := c.get("/docs/watch")
	if strings.Contains(body, `data-testid="watch-sent"`) {
		t.Fatal("late copies listed at issuing")
	}
	e.clock.t = e.clock.t.Add(72 * time.Hour)
	c.login("zhuren", demo.Password)
	status, body, _ := c.get("/docs/watch")
	if status != 200 || !strings.Contains(body, `data-testid="watch-sent"`) || !strings.Contains(body, "/docs/"+rec.ID) {
		t.Fatalf("watch after the limit: %d %s", status, firstLines(body, "<h1>", 20))
	}
	_, list, _ := c.get("/docs")
	if !strings.Contains(list, `data-testid="doc-watch"`) {
		t.Error("no link to 办文预警 on the office director's list")
	}
	h := e.client()
	h.login("chengban", demo.Password)
	if st, _, _ := h.get("/api/v1/documents/watch"); st != 403 {
		t.Errorf("a 承办人 reads the office's watch: %d", st)
	}
	if _, list, _ := h.get("/docs"); strings.Contains(list, `data-testid="doc-watch"`) {
		t.Error("a 承办人 is offered 办文预警")
	}
}
