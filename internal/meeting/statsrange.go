package meeting

import (
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// MaxStatsMonths bounds the months one statistics request covers.
const MaxStatsMonths = 24

// StatsRange reads the months the statistics cover, "2026-01" to
// "2026-12" (both included), into the instants [from, to) in Beijing time.
// An empty from is January of now's year, an empty to now's month.
func StatsRange(from, to string, now time.Time) (time.Time, time.Time, error) {
	loc := calendar.Shanghai()
	n := now.In(loc)
	month := func(s string, def time.Time) (time.Time, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			return def, nil
		}
		t, err := time.ParseInLocation("2006-01", s, loc)
		if err != nil {
			if len([]rune(s)) > 20 {
				s = string([]rune(s)[:20]) + "…"
			}
			return time.Time{}, refuse("月份“%s”应为 年-月，例如 2026-12", s)
		}
		return t, nil
	}
	a, err := month(from, time.Date(n.Year(), 1, 1, 0, 0, 0, 0, loc))
	if err != nil {
		return a, a, err
	}
	b, err := month(to, time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc))
	if err != nil {
		return a, b, err
	}
	if b.Before(a) {
		return a, b, refuse("结束月份早于开始月份")
	}
	if months := (b.Year()-a.Year())*12 + int(b.Month()-a.Month()) + 1; months > MaxStatsMonths {
		return a, b, refuse("一次最多统计 %d 个月（现为 %d 个月）", MaxStatsMonths, months)
	}
	return a, b.AddDate(0, 1, 0), nil
}
