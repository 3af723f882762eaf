package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// The demo's month of leaders' schedules, kept around the demo's meetings
// (seeded first, as the demo server does): every leader of the 区政府 has a
// full month, no leader is double-booked, all three visibilities appear, the
// week programme of this week is published with the meetings module's
// 常务会议 naming its leaders, next week's is a draft; a second run seeds
// nothing more.
func TestSeedPlanner(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC) // a Monday, 10:00 in Beijing
	s := storetest.SQLite(t, store.Options{Now: func() time.Time { return now }})
	d := NewDistrict(now)
	if err := Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	if err := SeedMeetings(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := SeedPlanner(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded schedules in %v", time.Since(start))
	if err := SeedPlanner(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	from, to := now.AddDate(0, 0, -14), now.AddDate(0, 0, 14)
	all, err := s.ScheduleEntriesBetween(ctx, from.Add(-24*time.Hour), to)
	if err != nil {
		t.Fatal(err)
	}
	vis := map[planner.Visibility]int{}
	people := map[string]int{}
	byPerson := map[string][]planner.Busy{}
	for _, e := range all {
		vis[e.Visibility]++
		people[e.PersonID]++
		if cs := planner.Conflicts(byPerson[e.PersonID], planner.Slot{Start: e.Start, End: e.End}, []string{e.PersonID}); len(cs) > 0 {
			t.Errorf("%s double-booked: %s and %s at %v", e.PersonID, e.Title, cs[0].Title, e.Start)
		}
		byPerson[e.PersonID] = append(byPerson[e.PersonID], planner.BusyOf(e))
	}
	if vis[planner.Organ] < 200 || vis[planner.Leaders] == 0 || vis[planner.Private] == 0 {
		t.Errorf("entries by visibility: %v", vis)
	}
	gov := d.unitByShort(t, "区政府")
	leaders, err := s.OrganLeaders(ctx, gov)
	if err != nil || len(leaders) < 3 {
		t.Fatalf("区政府 leaders: %v %v", leaders, err)
	}
	for _, l := range leaders {
		if people[l.ID] < 15 {
			t.Errorf("%s has %d entries in the month", l.Name, people[l.ID])
		}
	}
	p, err := s.WeekProgramme(ctx, gov, "2026-12-07")
	if err != nil || p.Status != planner.Published || len(p.Rows) < 5 {
		t.Fatalf("this week's programme: %s %d rows %v", p.Status, len(p.Rows), err)
	}
	found := false
	for _, r := range p.Rows {
		if strings.Contains(r.Content, "常务会议") && len(r.Leaders) >= 3 && r.Source.Kind == planner.SourceMeeting {
			found = true
		}
	}
	if !found {
		t.Errorf("no row of the meetings module's 常务会议 naming its leaders: %+v", p.Rows)
	}
	if next, err := s.WeekProgramme(ctx, gov, "2026-12-14"); err != nil || next.Status != planner.Draft || len(next.Rows) == 0 {
		t.Errorf("next week's programme: %s %d rows %v", next.Status, len(next.Rows), err)
	}
}

func (d District) unitByShort(t *testing.T, short string) string {
	t.Helper()
	for _, u := range d.Units {
		if u.ShortName == short {
			return u.ID
		}
	}
	t.Fatalf("no unit %s", short)
	return ""
}
