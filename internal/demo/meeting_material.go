package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// meetingMaterialsSeededKey marks a database whose demo meetings have
// their 会议材料.
const meetingMaterialsSeededKey = "demo_meeting_materials_seeded"

// SeedMeetingMaterials gives the demo's meetings their 会议材料, uploaded by
// each reporting unit's head the working day before the due time, at
// 10:00, into the file store bs — except for the last 议题 of the latest
// meeting whose material was due before now: the office urged it the
// morning after, and it came in late that afternoon when the meeting is
// past, or is still missing when it is not. Run after SeedMeetings; done
// once.
func SeedMeetingMaterials(ctx context.Context, s *store.Store, bs *blob.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, meetingMaterialsSeededKey, &v); err != nil || done {
		return err
	}
	ms, err := s.Meetings(ctx, store.MeetingFilter{})
	if err != nil {
		return err
	}
	clerk, ok := demoPerson(d, "wenmi")
	if !ok {
		return fmt.Errorf("演示人员 wenmi 不存在")
	}
	heads := map[string]org.Person{}
	for _, p := range d.Positions {
		if org.HeadTitle(p.Title) {
			if _, ok := heads[p.UnitID]; !ok {
				for _, q := range d.People {
					if q.ID == p.PersonID {
						heads[p.UnitID] = q
					}
				}
			}
		}
	}
	units := map[string]string{}
	for _, u := range d.Units {
		units[u.ID] = u.Name
	}
	// The latest meeting whose 议题 material was due before now.
	late := -1
	for i, m := range ms {
		if len(m.Agenda) > 0 && m.Status != meeting.Cancelled && m.Agenda[0].Due.Before(now) {
			late = i
		}
	}
	at := func(t time.Time) *store.Store { return s.At(func() time.Time { return t }) }
	n := 0
	for i, m := range ms {
		for j, it := range m.Agenda {
			if it.Due.IsZero() || len(it.Materials) > 0 {
				continue
			}
			by, ok := heads[it.UnitID]
			if !ok {
				continue
			}
			when := workdayBefore(s, it.Due).Add(10 * time.Hour)
			if i == late && j == len(m.Agenda)-1 {
				urged := workdayAfter(s, it.Due).Add(9*time.Hour + 30*time.Minute)
				if urged.After(now) || !urged.Before(m.Start) {
					continue
				}
				if _, err := at(urged).MeetingAct(ctx, clerk, m.ID, "urge_material", nil, store.OpUrgeMaterial()); err != nil {
					return fmt.Errorf("%s: %w", m.Title, err)
				}
				if now.Before(m.Start) {
					continue // still missing: shown late, urged
				}
				when = urged.Add(5 * time.Hour)
			}
			if when.After(now) {
				continue
			}
			text := materialText(m, it, units[it.UnitID])
			obj, err := bs.Put(it.Title+".txt", strings.NewReader(text))
			if err != nil {
				return err
			}
			mat := meeting.Material{Name: it.Title + ".txt", SHA256: obj.SHA256, Size: obj.Size, MediaType: obj.MediaType}
			if _, err := at(when).MeetingAct(ctx, by, m.ID, "material.add", map[string]any{"seq": it.Seq, "name": mat.Name}, store.OpAddMaterial(it.Seq, mat)); err != nil {
				return fmt.Errorf("%s: %w", m.Title, err)
			}
			n++
		}
	}
	return s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, meetingMaterialsSeededKey, fmt.Sprint(n)) })
}

func demoPerson(d District, login string) (org.Person, bool) {
	for _, p := range d.People {
		if p.Login == login {
			return p, true
		}
	}
	return org.Person{}, false
}

func workdayBefore(s *store.Store, t time.Time) time.Time {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location()).AddDate(0, 0, -1)
	for !s.Calendar().IsWorkday(day) {
		day = day.AddDate(0, 0, -1)
	}
	return day
}

func workdayAfter(s *store.Store, t time.Time) time.Time {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location()).AddDate(0, 0, 1)
	for !s.Calendar().IsWorkday(day) {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// materialText is a short 汇报 on the 议题, as a reporting unit writes one.
func materialText(m meeting.Meeting, it meeting.AgendaItem, unit string) string {
	topic := strings.TrimPrefix(strings.TrimSuffix(it.Title, "有关事项"), "关于")
	return fmt.Sprintf("%s\n（提交%s）\n\n%s：\n\n一、基本情况\n今年以来，我单位围绕%s，认真贯彻区委、区政府部署，会同有关部门深入调研、反复论证，形成了初步方案。\n\n"+
		"二、主要内容\n方案明确了目标任务、责任分工和时间安排，拟分三个阶段推进，年底前完成各项工作。\n\n"+
		"三、需要研究的问题\n一是资金保障问题，拟请区财政局统筹安排；二是部门协同问题，拟建立联席会议制度。\n\n"+
		"以上汇报，请予审议。\n\n%s\n", it.Title, m.Title, "区政府", topic, unit)
}
