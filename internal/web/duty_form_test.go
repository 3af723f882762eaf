package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestDutyFormAbsences, on both stores: the new-roster form takes each
// person's 请假、外出 dates (single days and ranges) beside their pools, and
// the roster generated leaves them off those days; a date it cannot read is
// refused naming the person, with the form given back as typed and nothing
// written.
func TestDutyFormAbsences(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
		e := newEnvOn(t, s, c)
		office := e.unit("政府办")
		zhuren := e.client()
		zhuren.login("zhuren", demo.Password)
		lingdao, boss := e.byLogin("lingdao"), e.byLogin("zhuren")
		wenmi, ducha, jiyao := e.byLogin("wenmi"), e.byLogin("ducha"), e.byLogin("jiyao")
		if code, page, _ := zhuren.get("/duty/rosters/new?unit_id=" + office.ID); code != 200 || !strings.Contains(page, `name="away.`+wenmi.ID+`"`) {
			t.Fatalf("form: %d, no absence box for %s", code, wenmi.Name)
		}
		form := func(wenmiAway string) url.Values {
			return url.Values{"unit_id": {office.ID}, "title": {"十二月上旬值班"}, "from": {"2026-12-07"}, "to": {"2026-12-13"}, "mode": {"daily"},
				"handover": {"08:30"}, "leaders": {lingdao.ID, boss.ID}, "staff": {wenmi.ID, ducha.ID, jiyao.ID},
				"away." + wenmi.ID: {wenmiAway}, "away." + lingdao.ID: {"2026-12-12"}}
		}
		code, page, _ := zhuren.post("/duty/rosters", form("2026-12-08、2026-12-10至12-12"))
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, wenmi.Name+"的请假日期：日期“12-12”格式应为 YYYY-MM-DD") ||
			!strings.Contains(page, `value="2026-12-08、2026-12-10至12-12"`) || !regexp.MustCompile(`value="`+ducha.ID+`" data-testid="pool-staff"[^>]* checked>`).MatchString(page) {
			t.Fatalf("bad dates: %d, form not given back with the person named:\n%s", code, page)
		}
		if ros, err := s.DutyRosters(context.Background()); err != nil || len(ros) != 0 {
			t.Fatalf("a refused form wrote %d rosters (%v)", len(ros), err)
		}
		code, _, h := zhuren.post("/duty/rosters", form("2026-12-08、2026-12-10至2026-12-12"))
		if code != http.StatusSeeOther {
			t.Fatalf("create: %d", code)
		}
		ros, err := s.DutyRosters(context.Background())
		if err != nil || len(ros) != 1 || !strings.Contains(h.Get("Location"), ros[0].ID) {
			t.Fatalf("rosters: %d %v", len(ros), err)
		}
		ro, err := s.DutyRoster(context.Background(), ros[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		away := map[string]bool{"2026-12-08": true, "2026-12-10": true, "2026-12-11": true, "2026-12-12": true}
		for _, sh := range ro.Shifts {
			if away[sh.Date] && sh.StaffID == wenmi.ID {
				t.Errorf("%s on duty on %s, a day away", wenmi.Name, sh.Date)
			}
			if sh.Date == "2026-12-12" && sh.LeaderID == lingdao.ID {
				t.Errorf("%s leads on %s, a day away", lingdao.Name, sh.Date)
			}
		}
		if len(ro.Shifts) != 7 {
			t.Errorf("%d shifts", len(ro.Shifts))
		}
	})
}
