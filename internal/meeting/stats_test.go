package meeting

import (
	"strings"
	"testing"
)

func TestStatistics(t *testing.T) {
	m := noticed() // 12-09 09:00–11:00: 区长, 副区长 (政府), 局长 (发改局)
	_ = m.Answer(actor("局长"), "局长", Reply{Answer: Absent, Reason: "出差"}, at(8, 9, 0))
	_ = m.Answer(actor("副区长"), "副区长", Reply{Answer: Attend}, at(8, 9, 0))
	_ = m.SignIn(actor("副区长"), "副区长", "qr", at(9, 8, 55))
	booked := Book(NewMeeting{ID: "m2", Kind: Work, Start: at(20, 14, 30), End: at(20, 16, 0), Invitees: []Invitee{{PersonID: "x", UnitID: "镇"}}}, "秘书", nil, at(7, 9, 0))
	cancelled := Book(NewMeeting{ID: "m3", Kind: Work, Start: at(21, 9, 0), End: at(21, 10, 0)}, "秘书", nil, at(7, 9, 0))
	cancelled.Status = Cancelled
	s := Statistics([]Meeting{*m, booked, cancelled}, at(9, 12, 0))
	if len(s.ByKind) != 1 || s.ByKind[0].Meetings != 1 || s.ByKind[0].Hours != 2 || s.ByKind[0].Scheduled != 1 || s.ByKind[0].Month != "2026-12" {
		t.Errorf("by kind: %+v", s.ByKind)
	}
	rates := map[string]UnitRates{}
	for _, u := range s.ByUnit {
		rates[u.UnitID] = u
	}
	if g := rates["政府"]; g.Invited != 2 || g.Answered != 1 || g.Expected != 2 || g.SignedIn != 1 || g.ReplyRate != 0.5 || g.SignRate != 0.5 {
		t.Errorf("政府: %+v", g)
	}
	if d := rates["发改局"]; d.Invited != 1 || d.Answered != 1 || d.Expected != 0 || d.SignRate != 0 {
		t.Errorf("发改局 (absent, not expected): %+v", d)
	}
	if _, ok := rates["镇"]; ok {
		t.Error("a meeting not noticed counted in the rates")
	}
}

func TestStatsRange(t *testing.T) {
	now := at(9, 12, 0) // 2026-12-09
	for _, c := range []struct {
		from, to, want, err string
	}{
		{"", "", "2026-01-01 00:00 2027-01-01 00:00", ""},
		{"2026-03", "2026-03", "2026-03-01 00:00 2026-04-01 00:00", ""},
		{" 2025-11 ", "2026-02", "2025-11-01 00:00 2026-03-01 00:00", ""},
		{"2025-01", "2026-12", "2025-01-01 00:00 2027-01-01 00:00", ""},
		{"2024-12", "2026-12", "", "一次最多统计 24 个月（现为 25 个月）"},
		{"2026-05", "2026-04", "", "结束月份早于开始月份"},
		{"2026-13", "", "", "月份“2026-13”应为 年-月，例如 2026-12"},
		{"", "十二月", "", "月份“十二月”应为 年-月"},
	} {
		a, b, err := StatsRange(c.from, c.to, now)
		if c.err != "" {
			if err == nil || !IsRefusal(err) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q–%q: %v, want %q", c.from, c.to, err, c.err)
			}
			continue
		}
		if got := a.Format("2006-01-02 15:04") + " " + b.Format("2006-01-02 15:04"); err != nil || got != c.want || a.Location().String() != "Asia/Shanghai" {
			t.Errorf("%q–%q: %s %v, want %s", c.from, c.to, got, err, c.want)
		}
	}
}

// FuzzStatsRange: whatever months are typed, StatsRange answers a range of
// whole months no longer than the limit, or a refusal.
func FuzzStatsRange(f *testing.F) {
	for _, s := range [][2]string{{"", ""}, {"2026-01", "2026-12"}, {"2026-12", "2026-01"}, {"2000-01", "2099-12"}, {"x", "2026-1"}} {
		f.Add(s[0], s[1])
	}
	now := at(9, 12, 0)
	f.Fuzz(func(t *testing.T, from, to string) {
		a, b, err := StatsRange(from, to, now)
		if err != nil {
			if !IsRefusal(err) {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		if !a.Before(b) || a.Day() != 1 || b.Day() != 1 || b.After(a.AddDate(0, MaxStatsMonths, 0)) {
			t.Fatalf("%q–%q: %v – %v", from, to, a, b)
		}
	})
}
