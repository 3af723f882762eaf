package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestListPages: a person's 待办 and 已办 are read a page at a time in a
// stable order (every draft exactly once, even when all were handed over in
// the same microsecond), counted exactly, and a document above the viewer's
// level is neither listed nor counted — also after it was classified later.
func TestListPages(t *testing.T) {
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	storetest.ForEach(t, store.Options{Now: func() time.Time { return now }}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		director := x.withRole(t, org.RoleOfficeDirector, office.ID)
		const n = 7
		titles := map[string]string{}
		var secret string
		for i := range n {
			rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: office.ID, Doc: document.Document{
				Type: document.Notice, Title: fmt.Sprintf("关于第%d项工作的通知", i+1), Body: document.ParseBody("一、要求\n正文。")}})
			if err != nil {
				t.Fatal(err)
			}
			titles[rec.ID] = rec.Doc.Title
			if i == 3 {
				secret = rec.ID
			}
		}
		// 定密 after the fact: the task and the participation follow the level.
		if _, err := s.Classify(ctx, director, secret, 1, document.Classification{Level: document.Confidential, PeriodYears: 5}, "涉及尚未公布的工作安排"); err != nil {
			t.Fatal(err)
		}
		a, err := s.Actor(ctx, clerk.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			max  org.Classification
			want int
		}{{org.Unclassified, n - 1}, {org.Confidential, n}} {
			c, err := s.ListCounts(ctx, a, tc.max, 0)
			if err != nil {
				t.Fatal(err)
			}
			if c.Todo != tc.want || c.ToRead != 0 || c.Done != tc.want || c.Closed != 0 {
				t.Errorf("counts up to %s: %+v, want %d to do and done", tc.max.Label(), c, tc.want)
			}
			// Pages of three, each after the last row of the one before.
			got := map[string]bool{}
			var after *store.TaskCursor
			for page := 0; ; page++ {
				items, err := s.TaskPage(ctx, a, store.TaskQuery{Which: store.TasksTodo, MaxLevel: tc.max, After: after, Limit: 3})
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					if got[it.Doc.ID] {
						t.Errorf("page %d repeats %s", page, it.Doc.Doc.Title)
					}
					got[it.Doc.ID] = true
					if it.Doc.Level() > tc.max {
						t.Errorf("up to %s: listed %s at %s", tc.max.Label(), it.Doc.Doc.Title, it.Doc.Level().Label())
					}
					if it.Doc.Doc.Title != titles[it.Doc.ID] {
						t.Errorf("summary title %q, want %q", it.Doc.Doc.Title, titles[it.Doc.ID])
					}
				}
				if len(items) < 3 {
					break
				}
				last := items[len(items)-1]
				after = &store.TaskCursor{Handed: last.Handed, DocID: last.Doc.ID, TaskID: last.TaskID}
			}
			if len(got) != tc.want || got[secret] != (tc.max >= org.Confidential) {
				t.Errorf("up to %s: paged %d documents (the 秘密 one: %v), want %d", tc.max.Label(), len(got), got[secret], tc.want)
			}
			// 已办 likewise.
			seen := 0
			var pafter *store.PartCursor
			for {
				ps, err := s.ParticipatedPage(ctx, clerk.ID, store.PartQuery{MaxLevel: tc.max, After: pafter, Limit: 2})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range ps {
					if p.Doc.Level() > tc.max {
						t.Errorf("已办 up to %s lists %s", tc.max.Label(), p.Doc.Doc.Title)
					}
				}
				seen += len(ps)
				if len(ps) < 2 {
					break
				}
				pafter = &store.PartCursor{Acted: ps[len(ps)-1].Acted, DocID: ps[len(ps)-1].Doc.ID}
			}
			if seen != tc.want {
				t.Errorf("已办 up to %s: %d, want %d", tc.max.Label(), seen, tc.want)
			}
		}
		// A bounded count stops at its limit.
		if c, err := s.ListCounts(ctx, a, org.Confidential, 3); err != nil || c.Todo != 3 || c.Done != 3 || c.Closed != 0 {
			t.Errorf("counts up to 3: %+v %v", c, err)
		}
		// Filters are applied in the database.
		items, err := s.TaskPage(ctx, a, store.TaskQuery{MaxLevel: org.Confidential, Text: "第5项", Limit: 10})
		if err != nil || len(items) != 1 || items[0].Doc.Doc.Title != "关于第5项工作的通知" {
			t.Errorf("text filter: %d items, %v", len(items), err)
		}
		items, _ = s.TaskPage(ctx, a, store.TaskQuery{MaxLevel: org.Confidential, Direction: store.Incoming, Limit: 10})
		if len(items) != 0 {
			t.Errorf("incoming filter: %d drafts", len(items))
		}
		items, _ = s.TaskPage(ctx, a, store.TaskQuery{MaxLevel: org.Confidential, Text: "100%", Limit: 10})
		if len(items) != 0 {
			t.Errorf("a %% in the text matched %d", len(items))
		}
		items, _ = s.TaskPage(ctx, a, store.TaskQuery{MaxLevel: org.Confidential, Due: store.DueFilter{Set: true, NoDue: true}, Limit: 10})
		if len(items) != n {
			t.Errorf("drafts without a due time: %d, want %d", len(items), n)
		}
		items, _ = s.TaskPage(ctx, a, store.TaskQuery{MaxLevel: org.Confidential, Due: store.DueFilter{Set: true, Due: true, Before: now}, Limit: 10})
		if len(items) != 0 {
			t.Errorf("overdue drafts: %d", len(items))
		}
	})
}
