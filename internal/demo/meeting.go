package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// meetingsSeededKey marks a database that holds the demo's meetings.
const meetingsSeededKey = "demo_meetings_seeded"

// MeetingRooms are the demo district's meeting rooms: the 区政府's and the
// 区委's, with their seats, rostrums and equipment.
func MeetingRooms(d District) []meeting.Room {
	gov, party := meetingUnit(d, "区政府"), meetingUnit(d, "区委")
	return []meeting.Room{
		{ID: id("room:gov:1"), OrganID: gov, Name: "区政府第一会议室", Place: "区政府大楼三楼", Capacity: 80, Rostrum: 7, RowSeats: 12,
			Equipment: []string{"扩音", "投影", "电子桌牌"}, Sort: 1},
		{ID: id("room:gov:2"), OrganID: gov, Name: "区政府常务会议室", Place: "区政府大楼五楼", Capacity: 30, RowSeats: 10,
			Equipment: []string{"扩音", "投影"}, Sort: 2},
		{ID: id("room:gov:3"), OrganID: gov, Name: "区政府第二会议室", Place: "区政府大楼二楼", Capacity: 24, RowSeats: 8,
			Equipment: []string{"投影"}, Sort: 3},
		{ID: id("room:gov:video"), OrganID: gov, Name: "区政府视频会议室", Place: "区政府大楼四楼", Capacity: 40, Rostrum: 5, RowSeats: 10,
			Equipment: []string{"视频会议终端", "扩音", "大屏"}, Sort: 4},
		{ID: id("room:party:1"), OrganID: party, Name: "区委常委会议室", Place: "区委大楼四楼", Capacity: 30, RowSeats: 10,
			Equipment: []string{"扩音", "投影"}, Sort: 1},
		{ID: id("room:party:2"), OrganID: party, Name: "区委第一会议室", Place: "区委大楼二楼", Capacity: 120, Rostrum: 9, RowSeats: 14,
			Equipment: []string{"扩音", "投影", "电子桌牌", "录音"}, Sort: 2},
	}
}

func meetingUnit(d District, short string) string {
	for _, u := range d.Units {
		if u.ShortName == short && u.Kind != org.KindSection {
			return u.ID
		}
	}
	return ""
}

// SeedMeetingRooms stores the demo's meeting rooms.
func SeedMeetingRooms(ctx context.Context, s *store.Store, d District) error {
	return s.Write(ctx, func(tx *store.Tx) error {
		for _, r := range MeetingRooms(d) {
			if err := tx.PutMeetingRoom(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// SeedMeetings gives the demo district its rooms and a month of the 区政府's
// meetings around now — weekly 常务会议, 专题会, 调度会 and 工作会 — booked,
// their agendas approved, noticed, answered and (those past) signed in, with
// the leaders' time on their schedules. Each is played through the real
// operations at its own moment. It is done once.
func SeedMeetings(ctx context.Context, s *store.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, meetingsSeededKey, &v); err != nil || done {
		return err
	}
	if err := SeedMeetingRooms(ctx, s, d); err != nil {
		return err
	}
	person := func(login string) (org.Person, error) {
		for _, p := range d.People {
			if p.Login == login {
				return p, nil
			}
		}
		return org.Person{}, fmt.Errorf("演示人员 %s 不存在", login)
	}
	clerk, err := person("wenmi")
	if err != nil {
		return err
	}
	director, err := person("zhuren")
	if err != nil {
		return err
	}
	mayor, err := person("u0002")
	if err != nil {
		return err
	}
	office := meetingUnit(d, "政府办")
	var leaders []string
	for _, login := range []string{"u0002", "u0006", "lingdao", "u0014", "u0015", "u0016"} {
		p, err := person(login)
		if err != nil {
			return err
		}
		leaders = append(leaders, p.ID)
	}
	heads := map[string]string{}
	var deps []string
	for _, p := range d.Positions {
		if org.HeadTitle(p.Title) {
			if _, ok := heads[p.UnitID]; !ok {
				heads[p.UnitID] = p.PersonID
			}
		}
	}
	for _, u := range d.Units {
		if (u.Kind == org.KindDepartment || u.Kind == org.KindTown) && heads[u.ID] != "" {
			deps = append(deps, u.ID)
		}
	}
	if len(deps) < 12 {
		return errors.New("演示区县的部门和镇街不足")
	}
	rooms := MeetingRooms(d)
	loc := calendar.Shanghai()
	cal := s.Calendar()
	today := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc)
	type plan struct {
		kind       meeting.Kind
		title      string
		room       int
		hour, mins int
		hours      int
		leaders    []int
		units      []int
	}
	weekly := []plan{
		{meeting.Executive, "区政府第%d次常务会议", 1, 9, 0, 2, []int{0, 1, 2, 3, 4, 5}, []int{0, 1, 2}},
		{meeting.Topic, "全区安全生产专题会议（第%d期）", 2, 15, 0, 1, []int{1, 2}, []int{3, 4, 5, 6}},
		{meeting.Dispatch, "重点项目建设调度会（第%d期）", 0, 9, 30, 2, []int{2}, []int{0, 7, 8, 9, 10, 11}},
		{meeting.Work, "营商环境优化工作会（第%d期）", 3, 14, 30, 2, []int{3}, []int{1, 2, 4, 6}},
	}
	n := 0
	for w := -2; w <= 2; w++ {
		monday := today.AddDate(0, 0, -int((today.Weekday()+6)%7)+7*w)
		for i, p := range weekly {
			day := monday.AddDate(0, 0, i)
			for !cal.IsWorkday(day) {
				day = day.AddDate(0, 0, 1)
			}
			start := day.Add(time.Duration(p.hour)*time.Hour + time.Duration(p.mins)*time.Minute)
			end := start.Add(time.Duration(p.hours) * time.Hour)
			n++
			nm := meeting.NewMeeting{Title: fmt.Sprintf(p.title, 20+w+2), Kind: p.kind, OfficeID: office, RoomID: rooms[p.room].ID, Start: start, End: end}
			for j, li := range p.leaders {
				nm.Invitees = append(nm.Invitees, meeting.Invitee{PersonID: leaders[li], Leader: true, Rostrum: true})
				if j == 0 {
					nm.Convener = leaders[li]
				}
			}
			for _, ui := range p.units {
				nm.Invitees = append(nm.Invitees, meeting.Invitee{PersonID: heads[deps[ui]], UnitID: deps[ui]})
			}
			if err := seedMeeting(ctx, s, nm, clerk, director, mayor, now, n); err != nil {
				return fmt.Errorf("%s: %w", nm.Title, err)
			}
		}
	}
	return s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, meetingsSeededKey, fmt.Sprint(n)) })
}

// seedMeeting plays one meeting through: booked a week ahead by the clerk,
// its agenda approved by the office's director and the 区长, noticed, the
// replies in (the n-th meeting's third invitee sends a substitute, its
// fourth is absent), and, when past, the sign-ins and decisions.
func seedMeeting(ctx context.Context, s *store.Store, nm meeting.NewMeeting, clerk, director, mayor org.Person, now time.Time, n int) error {
	booked := nm.Start.AddDate(0, 0, -7)
	if booked.After(now) {
		booked = now
	}
	at := func(t time.Time) *store.Store { return s.At(func() time.Time { return t }) }
	if !nm.Start.After(booked) {
		return nil
	}
	m, err := at(booked).BookMeeting(ctx, clerk, nm)
	var bc *store.BookingConflict
	if errors.As(err, &bc) && len(bc.Free) > 0 && bc.Free[0].Start.After(booked) {
		// A leader is busy then: the office takes the nearest free slot.
		nm.Start, nm.End = bc.Free[0].Start, bc.Free[0].End
		m, err = at(booked).BookMeeting(ctx, clerk, nm)
	}
	if errors.As(err, &bc) {
		return nil
	}
	if err != nil {
		return err
	}
	step := func(t time.Time, by org.Person, action string, op store.MeetingOp) error {
		if t.After(now) {
			return errStop
		}
		_, err := at(t).MeetingAct(ctx, by, m.ID, action, nil, op)
		return err
	}
	t := booked.Add(time.Hour)
	if info, _ := nm.Kind.Info(); info.Agenda {
		for i, unit := range []string{nm.Invitees[len(nm.Invitees)-1].UnitID, nm.Invitees[len(nm.Invitees)-2].UnitID} {
			title := []string{"关于2027年财政预算编制有关事项", "关于老旧小区改造实施方案", "关于优化营商环境若干措施"}[(n+i)%3]
			if err := step(t, clerk, "agenda.add", store.OpAddAgenda(meeting.NewAgendaItem{Title: title, UnitID: unit, Due: nm.Start.AddDate(0, 0, -2)})); err != nil {
				return ignoreStop(err)
			}
		}
		if err := step(t, clerk, "agenda.submit", store.OpSubmitAgenda()); err != nil {
			return ignoreStop(err)
		}
		for _, who := range []org.Person{director, mayor} {
			t = t.Add(2 * time.Hour)
			cur, err := s.Meeting(ctx, m.ID)
			if err != nil {
				return err
			}
			open := cur.Route.OpenTasks()
			if len(open) == 0 {
				break
			}
			if err := step(t, who, "agenda.act", store.OpActAgenda(route.Request{Op: route.Approve, Task: open[0].ID, Comment: "同意"})); err != nil {
				return ignoreStop(err)
			}
		}
	}
	t = t.Add(time.Hour)
	if err := step(t, clerk, "notice", store.OpNotice()); err != nil {
		return ignoreStop(err)
	}
	for i, iv := range nm.Invitees {
		t = t.Add(40 * time.Minute)
		r := meeting.Reply{Answer: meeting.Attend}
		switch i {
		case 2:
			r = meeting.Reply{Answer: meeting.Substitute, SubName: "（副职）", SubPost: "副职负责人"}
		case 3:
			r = meeting.Reply{Answer: meeting.Absent, Reason: "参加市里会议"}
		}
		if i == len(nm.Invitees)-1 && n%3 == 0 {
			continue // never answers
		}
		if !t.Before(nm.Start) {
			break
		}
		if err := step(t, org.Person{ID: iv.PersonID, Name: "参会人员"}, "answer", store.OpAnswer(iv.PersonID, r)); err != nil {
			return ignoreStop(err)
		}
	}
	for i, iv := range nm.Invitees {
		if i == 3 {
			continue
		}
		t := nm.Start.Add(time.Duration(i-5) * time.Minute)
		if err := step(t, clerk, "sign_in", store.OpSignIn(iv.PersonID, "click")); err != nil {
			return ignoreStop(err)
		}
	}
	return nil
}

var errStop = errors.New("not yet")

func ignoreStop(err error) error {
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}
