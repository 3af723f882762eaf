package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/research"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestSeedResearch: the year of 调研 and 学习 lands — topics in every state,
// the trip ahead on the leader's schedule, the 批示 linked to its
// supervision item, hours for the year, the library — and a restart adds
// nothing.
func TestSeedResearch(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC) // 10:00 in Beijing, a Monday
	s := storetest.SQLite(t, store.Options{Now: func() time.Time { return now }})
	d := NewDistrict(now)
	if err := Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := SeedResearch(ctx, s, d, now); err != nil {
			t.Fatal(err)
		}
	}
	c, err := castOf(d)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := s.ResearchTopics(ctx, store.ResearchFilter{OfficeID: c.officeID})
	if err != nil || len(ts) != 3 {
		t.Fatalf("topics: %d %v", len(ts), err)
	}
	var done research.Topic
	for _, x := range ts {
		if x.Title == "关于进一步优化营商环境的调研" {
			done = x
		}
	}
	if r, ok := done.Report(1); !ok || r.State != research.Returned {
		t.Fatalf("report 1: %+v", r)
	}
	if r, _ := done.Report(2); r.Instructions[0].SupItemID == "" {
		t.Fatalf("the 批示 is not linked: %+v", r.Instructions)
	}
	es, err := s.ScheduleEntriesBySource(ctx, research.ScheduleSource(id("research:集体经济:trip1")))
	if err != nil || len(es) != 1 || es[0].PersonID != c.leader.ID || !es[0].Start.After(now) {
		t.Fatalf("trip ahead: %+v %v", es, err)
	}
	lib, err := s.ResearchLibrary(ctx, store.LibraryFilter{OfficeID: c.officeID})
	if err != nil || len(lib) != 2 {
		t.Fatalf("research library: %+v %v", lib, err)
	}
	hs, err := s.TrainingHours(ctx, c.officeID, now.In(calendar.Shanghai()).Year())
	if err != nil || len(hs) != len(c.staff) || hs[0].Minutes == 0 {
		t.Fatalf("hours: %+v %v", hs, err)
	}
	if es, err := s.StudyLibrary(ctx, store.LibraryFilter{}); err != nil || len(es) != 3 {
		t.Fatalf("library: %d %v", len(es), err)
	}
}
