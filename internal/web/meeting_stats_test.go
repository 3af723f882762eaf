package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestMeetingStats, on both stores over the demo's meetings: the statistics
// over a range of months count the meetings the viewer may open (not the
// cancelled), per kind and month with their hours, and each unit's rates,
// named; a range it cannot read is refused in Chinese; the page shows the
// same.
func TestMeetingStats(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC) // a Wednesday, 10:00 in Beijing
		e := newEnvOn(t, s, c)
		ctx := context.Background()
		if err := demo.SeedMeetings(ctx, s, e.d, c.now()); err != nil {
			t.Fatal(err)
		}
		wenmi := e.byLogin("wenmi")
		cl := e.client()
		cl.login("wenmi", demo.Password)
		ms, err := s.Meetings(ctx, store.MeetingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		roles, err := s.Roles(ctx, wenmi.ID)
		if err != nil {
			t.Fatal(err)
		}
		sub := access.Subject{PersonID: wenmi.ID, Roles: roles, Clearance: wenmi.Clearance}
		// Held: begun by now; the rest are counted apart as still to come.
		want, ahead, months := 0, 0, map[string]bool{}
		for i := range ms {
			if ms[i].Status != meeting.Cancelled && access.Decide(sub, access.ReadObject, store.MeetingObject(&ms[i])).Allow {
				if c.now().Before(ms[i].Start) {
					ahead++
				} else {
					want++
				}
				months[ms[i].Start.In(time.FixedZone("CST", 8*3600)).Format("2006-01")] = true
			}
		}
		if want == 0 || ahead == 0 || len(months) < 2 {
			t.Fatalf("the demo gives wenmi %d meetings held and %d to come over %d months", want, ahead, len(months))
		}
		code, out, _ := cl.call("GET", "/api/v1/meetings/stats?from=2026-01&to=2027-12", nil)
		if code != 200 || int(out["meetings"].(float64)) != want || int(out["scheduled"].(float64)) != ahead || out["from"] != "2026-01" || out["to"] != "2027-12" {
			t.Fatalf("stats: %d %v meetings held, %v to come; want %d and %d", code, out["meetings"], out["scheduled"], want, ahead)
		}
		kinds, units := out["by_kind_month"].([]any), out["by_unit"].([]any)
		sum := 0
		for _, k := range kinds {
			sum += int(k.(map[string]any)["meetings"].(float64))
		}
		if sum != want || len(units) == 0 {
			t.Errorf("by kind and month sums to %d, want %d; %d units", sum, want, len(units))
		}
		for _, u := range units {
			if u := u.(map[string]any); u["unit"] == "" || u["unit"] == u["unit_id"] {
				t.Errorf("a unit not named: %v", u)
			}
		}
		// One month only.
		if code, one, _ := cl.call("GET", "/api/v1/meetings/stats?from=2026-12&to=2026-12", nil); code != 200 || int(one["meetings"].(float64)) >= want {
			t.Errorf("December alone: %d %v of %d", code, one["meetings"], want)
		}
		for _, bad := range []string{"from=2026-13", "from=2026-05&to=2026-04", "from=2020-01&to=2026-12"} {
			if code, out, _ := cl.call("GET", "/api/v1/meetings/stats?"+bad, nil); code != http.StatusBadRequest || !strings.ContainsAny(out["error"].(string), "月个") {
				t.Errorf("%s: %d %v", bad, code, out)
			}
		}
		code, page, _ := cl.get("/meetings/stats?from=2026-01&to=2027-12")
		if code != 200 || !strings.Contains(page, `data-testid="mstats-units"`) || !strings.Contains(page, "已召开 "+itoa(want)+" 次会议") || !strings.Contains(page, "另有 "+itoa(ahead)+" 次已安排") {
			t.Errorf("page: %d", code)
		}
		if code, page, _ := cl.get("/meetings/stats?from=x"); code != http.StatusBadRequest || !strings.Contains(page, "月份“x”应为 年-月") {
			t.Errorf("page with a bad month: %d", code)
		}
	})
}
