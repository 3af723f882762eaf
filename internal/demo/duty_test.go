package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/duty"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestSeedDuty: the 政府办 has last month's and this month's rosters in
// force, a log filed and a handover for every shift ended, one event
// escalated, an approved 替班, and exactly one handover left open, which the
// 预警 flags; a restart seeds nothing more.
func TestSeedDuty(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 16, 3, 0, 0, 0, time.UTC) // 11:00 in Beijing
	storetest.ForEach(t, store.Options{Now: func() time.Time { return now }}, func(t *testing.T, s *store.Store) {
		d := NewDistrict(now)
		if err := Seed(ctx, s, d); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := SeedDuty(ctx, s, d, now); err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded duty in %v", time.Since(start))
		if err := SeedDuty(ctx, s, d, now); err != nil {
			t.Fatal(err)
		}
		rs, err := s.DutyRosters(ctx)
		if err != nil || len(rs) != 2 {
			t.Fatalf("%d rosters, %v", len(rs), err)
		}
		var office string
		calls, events, open, ended, swaps := 0, 0, 0, 0, 0
		for _, r := range rs {
			office = r.UnitID
			ro, err := s.DutyRoster(ctx, r.ID)
			if err != nil || ro.State != duty.Published {
				t.Fatalf("roster %s: %v", r.Title, err)
			}
			sw, _ := s.DutySwaps(ctx, ro.ID)
			for _, x := range sw {
				if x.State == duty.SwapApproved {
					swaps++
				}
			}
			logged, _ := s.DutyLogDates(ctx, ro.ID)
			hs, _ := s.DutyHandovers(ctx, ro.ID)
			for _, sft := range ro.Shifts {
				if sft.End.After(now) {
					continue
				}
				ended++
				l, err := s.DutyLog(ctx, ro.ID, sft.Date)
				if err != nil || !l.Submitted() || len(l.Entries) == 0 {
					t.Errorf("%s: log %v %+v", sft.Date, err, l)
				}
				for _, e := range l.Entries {
					switch e.Kind {
					case duty.Call:
						calls++
					case duty.Event:
						events++
						if len(e.Escalated) < 2 {
							t.Errorf("the event went only to %v", e.Escalated)
						}
					}
				}
			}
			for _, h := range hs {
				if h.RosterID == ro.ID && !h.Done() {
					open++
				}
			}
			if len(logged) == 0 {
				t.Errorf("%s: no log filed", ro.Title)
			}
		}
		if events != 1 || open != 1 || swaps != 1 || calls < ended {
			t.Errorf("%d shifts ended: %d calls, %d events, %d open handovers, %d swaps", ended, calls, events, open, swaps)
		}
		ws, err := s.DutyWarnings(ctx, []string{office}, now, 60)
		if err != nil || len(ws) != 1 || ws[0].Kind != duty.Unacknowledged {
			t.Errorf("warnings %+v %v", ws, err)
		}
	})
}
