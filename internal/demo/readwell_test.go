package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestDemoReadsWell: the demo's documents are what an office would write
// and do — the app's own proofreader finds nothing in their titles (26 read
// "…做好信访工作工作的通知"), every step was handed over in office hours on a
// working day (some at 02:25–06:25), and everyone has a phone number.
func TestDemoReadsWell(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	s := storetest.SQLite(t, store.Options{Now: func() time.Time { return now }})
	d := NewDistrict(now)
	if err := Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	if err := SeedDocuments(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	for _, p := range d.People {
		if strings.TrimSpace(p.Phone) == "" {
			t.Fatalf("%s has no phone", p.Name)
		}
	}
	seen := map[string]bool{}
	var ids []string
	for _, p := range d.People {
		for _, closed := range []bool{false, true} {
			recs, err := s.ParticipatedDocs(ctx, p.ID, closed, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range recs {
				if !seen[r.ID] {
					seen[r.ID] = true
					ids = append(ids, r.ID)
				}
			}
		}
	}
	if len(ids) < 100 {
		t.Fatalf("found only %d documents", len(ids))
	}
	checker, err := proofread.New(proofread.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cal := s.Calendar()
	inHours := func(at time.Time) bool {
		return cal.WorkingTimeBetween(at.Add(-time.Minute), at) == time.Minute || cal.WorkingTimeBetween(at, at.Add(time.Minute)) == time.Minute
	}
	titles, bad, night := map[string]bool{}, 0, 0
	for _, id := range ids {
		rec, err := s.Document(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !titles[rec.Doc.Title] {
			titles[rec.Doc.Title] = true
			for _, f := range checker.Check(rec.Doc.Title) {
				bad++
				if bad <= 5 {
					t.Errorf("title %q: %s（%s）", rec.Doc.Title, f.Message, f.Text)
				}
			}
		}
		in, err := s.Instance(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range in.Tasks {
			if !inHours(task.HandedAt) {
				night++
				if night <= 5 {
					t.Errorf("%s: %s handed over at %s", rec.Doc.Title, in.Template.Steps[task.Step].Name, task.HandedAt.In(cal.Location()).Format("2006-01-02 Mon 15:04"))
				}
			}
		}
	}
	if bad+night > 0 {
		t.Errorf("%d title findings, %d handovers out of office hours, in %d documents", bad, night, len(ids))
	}
}
