package duty

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// ParseHandover reads "HH:MM" into minutes after midnight.
func ParseHandover(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = DefaultHandover
	}
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, refuse("交接班时间“%s”应为 时:分，例如 08:30", limitShown(s))
	}
	return hh*60 + mm, nil
}

// KindOf is what the calendar says of date: a 调休 working day is a
// working day, a listed holiday a holiday, any other Saturday or Sunday a
// weekend. It also returns the calendar's name for a listed date.
func KindOf(cal *calendar.Calendar, date time.Time) (DayKind, string) {
	working, day, listed := cal.DayInfo(date)
	switch {
	case working:
		if listed {
			return Workday, day.Name
		}
		return Workday, ""
	case listed:
		return Holiday, day.Name
	}
	return Weekend, ""
}

// Generate lays out the shifts from one date to another, both included, by
// the rotation's rules:
//
//   - the mode decides which days have a shift (every day, or only those the
//     calendar says are not worked: weekends and holidays, not 调休 working
//     Saturdays);
//   - for each day and post, of the pool's people who are not away that day,
//     the one chosen has done fewest shifts of that day's kind, then the
//     lightest weighted load (a holiday counts 3, a weekend 2, a working day 1),
//     then served longest ago, then comes first in the pool's order; Prior
//     loads count as if done in this roster;
//   - nobody serves two days running, or both posts on one day, while
//     someone else can.
//
// It refuses a day where nobody in a pool can serve, naming it.
func Generate(cal *calendar.Calendar, from, to string, rot Rotation) ([]Shift, error) {
	if cal == nil {
		return nil, refuse("没有工作日历，不能排班")
	}
	loc := cal.Location()
	start, err := ParseDate(from, loc)
	if err != nil {
		return nil, err
	}
	end, err := ParseDate(to, loc)
	if err != nil {
		return nil, err
	}
	if end.Before(start) {
		return nil, refuse("结束日期 %s 早于开始日期 %s", to, from)
	}
	if days := int(end.Sub(start).Hours()/24+0.5) + 1; days > MaxSpanDays {
		return nil, refuse("一张排班表最多排 %d 天（现为 %d 天），请分期排", MaxSpanDays, days)
	}
	if rot.Mode != EveryDay && rot.Mode != DaysOff {
		return nil, refuse("请选择值班方式：每日值班，或周末和节假日值班")
	}
	at, err := ParseHandover(rot.Handover)
	if err != nil {
		return nil, err
	}
	for _, p := range []struct {
		post Post
		pool []string
	}{{Leader, rot.Leaders}, {Staff, rot.Staff}} {
		if len(p.pool) == 0 {
			return nil, refuse("请至少选择一名%s", p.post.Label())
		}
		if len(p.pool) > MaxPool {
			return nil, refuse("%s名单最多 %d 人（现有 %d 人）", p.post.Label(), MaxPool, len(p.pool))
		}
		seen := map[string]bool{}
		for _, id := range p.pool {
			if id == "" {
				return nil, refuse("%s名单中有空项", p.post.Label())
			}
			if seen[id] {
				return nil, refuse("%s名单中有人重复", p.post.Label())
			}
			seen[id] = true
		}
	}
	away := map[string]map[string]bool{}
	for p, dates := range rot.Away {
		away[p] = map[string]bool{}
		for _, d := range dates {
			if _, err := ParseDate(d, loc); err != nil {
				return nil, err
			}
			away[p][strings.TrimSpace(d)] = true
		}
	}
	g := generator{loads: map[string]Load{}, last: map[string]int{}, away: away}
	for p, l := range rot.Prior {
		g.loads[p] = l
	}
	var out []Shift
	for day, i := start, 0; !day.After(end); day, i = day.AddDate(0, 0, 1), i+1 {
		kind, name := KindOf(cal, day)
		if rot.Mode == DaysOff && kind == Workday {
			continue
		}
		date := day.Format(DateLayout)
		s := Shift{Date: date, Kind: kind, DayName: name,
			Start: day.Add(time.Duration(at) * time.Minute),
			End:   day.AddDate(0, 0, 1).Add(time.Duration(at) * time.Minute)}
		leader, ok := g.pick(rot.Leaders, date, i, kind, "")
		if !ok {
			return nil, refuse("%s 没有可以带班的领导（名单中的人都已请假或外出）", date)
		}
		staff, ok := g.pick(rot.Staff, date, i, kind, leader)
		if !ok {
			return nil, refuse("%s 没有可以值班的人员（名单中的人都已请假或外出）", date)
		}
		s.LeaderID, s.StaffID = leader, staff
		g.serve(leader, i, kind)
		g.serve(staff, i, kind)
		out = append(out, s)
	}
	return out, nil
}

// generator is the state of one generation.
type generator struct {
	loads map[string]Load
	last  map[string]int // day index + 1 of the person's last shift; 0: none yet
	away  map[string]map[string]bool
}

func (g *generator) serve(p string, day int, k DayKind) {
	g.loads[p] = g.loads[p].Add(k)
	g.last[p] = day + 1
}

// pick chooses the post's person for the day (see Generate). not is the
// person already on the day's other post.
func (g *generator) pick(pool []string, date string, day int, k DayKind, not string) (string, bool) {
	type cand struct {
		id                    string
		idx                   int
		tired                 bool // served yesterday
		kindN, points, lastAt int
	}
	var cs []cand
	for i, p := range pool {
		if g.away[p][date] {
			continue
		}
		l := g.loads[p]
		cs = append(cs, cand{id: p, idx: i, tired: g.last[p] == day, kindN: l.Of(k), points: l.Points(), lastAt: g.last[p]})
	}
	// One person never holds both posts of a day: leave them out, and if
	// they were the only one, nobody can serve.
	if len(cs) > 1 {
		cs = slices.DeleteFunc(cs, func(c cand) bool { return c.id == not })
	}
	if len(cs) == 0 {
		return "", false
	}
	best := slices.MinFunc(cs, func(a, b cand) int {
		switch {
		case a.tired != b.tired:
			if a.tired {
				return 1
			}
			return -1
		case a.kindN != b.kindN:
			return a.kindN - b.kindN
		case a.points != b.points:
			return a.points - b.points
		case a.lastAt != b.lastAt:
			return a.lastAt - b.lastAt
		}
		return a.idx - b.idx
	})
	if best.id == not {
		return "", false // one person cannot hold both posts
	}
	return best.id, true
}
