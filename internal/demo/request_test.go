package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestSeedRequests: a month of seal and car use in both offices, in every
// state, the register and the statistics filled, and a restart adds nothing.
func TestSeedRequests(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC) // 10:00 in Beijing, a Monday
	s := storetest.SQLite(t, store.Options{Now: func() time.Time { return now }})
	d := NewDistrict(now)
	if err := Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := SeedRequests(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded requests in %v", time.Since(start))
	all, err := s.Requests(ctx, store.ReqFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := SeedRequests(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	again, err := s.Requests(ctx, store.ReqFilter{})
	if err != nil || len(again) != len(all) {
		t.Fatalf("a second seeding: %d requests, was %d (%v)", len(again), len(all), err)
	}
	count := map[string]int{}
	for _, r := range all {
		count[string(r.Kind)+"/"+string(r.Status)]++
	}
	t.Logf("%d requests: %v", len(all), count)
	for _, k := range []string{"seal_use/done", "car_use/done", "car_use/cancelled"} {
		if count[k] == 0 {
			t.Errorf("no %s", k)
		}
	}
	if len(all) < 60 {
		t.Errorf("only %d requests in a month of two offices", len(all))
	}
	office := ""
	for _, u := range d.Units {
		if u.ShortName == "政府办" {
			office = u.ID
		}
	}
	m := request.MonthOf(now.AddDate(0, 0, -7))
	reg, err := s.SealRegister(ctx, office, m.From, m.To)
	if err != nil || len(reg) < 10 {
		t.Fatalf("register of the month: %d rows, %v", len(reg), err)
	}
	st, err := s.CarStats(ctx, office, m)
	if err != nil || st.Total.Trips < 10 || st.Total.Km == 0 || len(st.Units) < 2 {
		t.Fatalf("car statistics: %+v %v", st.Total, err)
	}
}
