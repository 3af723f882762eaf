package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// plannerSeededKey marks a database that holds the demo's leaders' schedules.
const plannerSeededKey = "demo_planner_seeded"

// SeedPlanner gives the leaders of the demo's four leading bodies a month of
// schedule around now — two weeks back, two ahead — as their offices keep
// them, around what the demo's meetings already put there (SeedMeetings runs
// first; nothing added clashes with them): the weekly 常委会/主任会议/主席会议
// of the other organs, 调研 in the
// towns, 接访, 会见, 专题会, study sessions, trips of several days, with a
// talk for leaders only and a private appointment here and there; and the
// 区政府's week programme for this week, assembled, approved and published,
// with next week's drafted. It is done once (a setting marks it); the same
// now gives the same schedule.
func SeedPlanner(ctx context.Context, s *store.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, plannerSeededKey, &v); err != nil || done {
		return err
	}
	loc := calendar.Shanghai()
	cal := s.Calendar()
	units := map[string]org.Unit{}
	for _, u := range d.Units {
		units[u.ID] = u
	}
	people := map[string]org.Person{}
	for _, p := range d.People {
		people[p.ID] = p
	}
	// Each organ's leaders, in their order, and a clerk of its office.
	leadersOf := map[string][]org.Person{}
	clerkOf := map[string]org.Person{}
	var organs []string
	for _, r := range d.Roles {
		if r.Role == org.RoleLeader {
			if _, ok := leadersOf[r.UnitID]; !ok {
				organs = append(organs, r.UnitID)
			}
			leadersOf[r.UnitID] = append(leadersOf[r.UnitID], people[r.PersonID])
		}
	}
	for _, o := range organs {
		office := org.OfficeOf(units, o)
		for _, r := range d.Roles {
			if r.Role == org.RoleClerk && r.UnitID == office {
				clerkOf[o] = people[r.PersonID]
				break
			}
		}
		slices.SortStableFunc(leadersOf[o], func(a, b org.Person) int { return a.Sort - b.Sort })
	}
	towns := []string{}
	for _, u := range d.Units {
		if u.Kind == org.KindTown {
			towns = append(towns, u.Name)
		}
	}
	if len(towns) == 0 {
		towns = []string{"各镇街"}
	}
	weekly := map[string]string{}
	for _, o := range organs {
		switch n := units[o].ShortName; {
		case n == "区委":
			weekly[o] = "区委常委会会议"
		case n == "区政府":
			weekly[o] = "区政府常务会议"
		case n == "区人大常委会" || n == "区人大":
			weekly[o] = "区人大常委会主任会议"
		case n == "区政协":
			weekly[o] = "区政协主席会议"
		default:
			weekly[o] = n + "班子会议"
		}
	}
	r := rand.New(rand.NewPCG(2026, 12))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	morning := []string{"赴%s调研乡村振兴工作", "赴%s督导安全生产", "赴%s调研重点项目建设", "参加%s现场办公会", "赴%s开展信访接待"}
	afternoon := []string{"主持召开优化营商环境专题会", "听取区发改局工作汇报", "会见来访客商代表", "主持召开防汛抗旱调度会", "参加全市视频会议",
		"主持召开民生实事项目推进会", "参加区委理论学习中心组学习", "听取区财政局预算执行情况汇报", "主持召开招商引资工作例会"}
	rooms := []string{"区政府第一会议室", "区委第二会议室", "区行政中心三楼视频会议室", "区政务服务中心"}
	at := func(day time.Time, h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
	}
	monday := planner.WeekStart(now, loc)
	from, to := monday.AddDate(0, 0, -14), monday.AddDate(0, 0, 14)
	err := s.Write(ctx, func(tx *store.Tx) error {
		// What is already on the leaders' schedules (the demo's meetings)
		// stays; an entry that would clash with it, or with one added
		// here, is left out, as an office keeping the calendar would.
		busy := map[string][]planner.Busy{}
		var all []string
		for _, o := range organs {
			for _, l := range leadersOf[o] {
				all = append(all, l.ID)
			}
		}
		have, err := tx.BusyIntervals(ctx, all, from.AddDate(0, 0, -1), to.AddDate(0, 0, 1))
		if err != nil {
			return err
		}
		for _, b := range have {
			busy[b.PersonID] = append(busy[b.PersonID], b)
		}
		add := func(by org.Person, e planner.Entry) error {
			if len(planner.Conflicts(busy[e.PersonID], planner.Slot{Start: e.Start, End: e.End}, []string{e.PersonID})) > 0 {
				return nil
			}
			saved, err := tx.AddScheduleEntry(ctx, by, e)
			if err != nil {
				return fmt.Errorf("demo schedule of %s: %w", people[e.PersonID].Name, err)
			}
			busy[e.PersonID] = append(busy[e.PersonID], planner.BusyOf(saved))
			return nil
		}
		for _, o := range organs {
			clerk := clerkOf[o]
			if clerk.ID == "" {
				continue
			}
			leaders := leadersOf[o]
			for day := from; day.Before(to); day = day.AddDate(0, 0, 1) {
				if !cal.IsWorkday(day) {
					continue
				}
				// The organ's weekly meeting on Tuesday morning (Monday for the 区委).
				wd := day.Weekday()
				// (The 区政府's meetings are the meetings module's: booked there.)
				if units[o].ShortName != "区政府" && ((wd == time.Tuesday && units[o].ShortName != "区委") || (wd == time.Monday && units[o].ShortName == "区委")) {
					for _, l := range leaders {
						if err := add(clerk, planner.Entry{PersonID: l.ID, Title: weekly[o], Place: rooms[0], Start: at(day, 9, 0), End: at(day, 11, 30), Visibility: planner.Organ}); err != nil {
							return err
						}
					}
				}
				for i, l := range leaders {
					busyMorning := (wd == time.Tuesday && units[o].ShortName != "区委") || (wd == time.Monday && units[o].ShortName == "区委")
					// A trip of three days now and then (the first leader stays).
					if i > 0 && wd == time.Wednesday && r.IntN(9) == 0 {
						s, e := planner.AllDayRange(day, day.AddDate(0, 0, 2), loc)
						if err := add(clerk, planner.Entry{PersonID: l.ID, Title: pick([]string{"赴省委党校参加专题培训班", "带队赴对口协作地区考察", "赴市里参加全市重点工作推进会"}),
							Start: s, End: e, AllDay: true, Visibility: planner.Organ}); err != nil {
							return err
						}
						continue
					}
					if !busyMorning && r.IntN(3) > 0 {
						h := 8 + r.IntN(2)
						if err := add(clerk, planner.Entry{PersonID: l.ID, Title: fmt.Sprintf(pick(morning), pick(towns)), Place: "", Start: at(day, h, 30), End: at(day, 11, 30), Visibility: planner.Organ}); err != nil {
							return err
						}
					}
					switch n := r.IntN(10); {
					case n < 6:
						h := 14 + r.IntN(2)
						if err := add(clerk, planner.Entry{PersonID: l.ID, Title: pick(afternoon), Place: pick(rooms), Start: at(day, h, 30), End: at(day, h+2, 0), Visibility: planner.Organ}); err != nil {
							return err
						}
					case n == 6:
						if err := add(clerk, planner.Entry{PersonID: l.ID, Title: "与新任职干部谈话", Place: "本人办公室", Start: at(day, 15, 0), End: at(day, 16, 30), Visibility: planner.Leaders}); err != nil {
							return err
						}
					case n == 7:
						if err := add(clerk, planner.Entry{PersonID: l.ID, Title: "个人事务", Start: at(day, 16, 0), End: at(day, 17, 30), Visibility: planner.Private}); err != nil {
							return err
						}
					}
					if r.IntN(12) == 0 {
						if err := add(clerk, planner.Entry{PersonID: l.ID, Title: "夜查安全生产和消防工作", Place: pick(towns), Start: at(day, 19, 30), End: at(day, 22, 0), Visibility: planner.Organ}); err != nil {
							return err
						}
					}
				}
			}
		}
		return tx.PutSetting(ctx, plannerSeededKey, d.Name)
	})
	if err != nil {
		return err
	}
	// The 区政府's programme: this week published, next week drafted.
	for _, o := range organs {
		if units[o].ShortName != "区政府" {
			continue
		}
		clerk := clerkOf[o]
		var director org.Person
		office := org.OfficeOf(units, o)
		for _, ra := range d.Roles {
			if ra.Role == org.RoleOfficeDirector && ra.UnitID == office {
				director = people[ra.PersonID]
				break
			}
		}
		if clerk.ID == "" || director.ID == "" {
			continue
		}
		steps := []struct {
			by org.Person
			op planner.Op
		}{{clerk, planner.OpAssemble}, {clerk, planner.OpSubmit}, {director, planner.OpApprove}, {clerk, planner.OpPublish}}
		for _, st := range steps {
			if _, err := s.ActOnProgramme(ctx, st.by, o, monday, st.op, nil, "", -1); err != nil {
				return fmt.Errorf("demo week programme: %w", err)
			}
		}
		if _, err := s.ActOnProgramme(ctx, clerk, o, monday.AddDate(0, 0, 7), planner.OpAssemble, nil, "", -1); err != nil {
			return fmt.Errorf("demo week programme: %w", err)
		}
	}
	return nil
}
