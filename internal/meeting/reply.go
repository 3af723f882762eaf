package meeting

import (
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// AgendaApproved reports whether the meeting's agenda is approved, or its
// kind needs no approval.
func (m *Meeting) AgendaApproved() bool {
	if info, ok := m.Kind.Info(); ok && !info.Agenda {
		return true
	}
	return m.Route != nil && m.Route.Status == route.Done
}

// Notice sends the meeting notice (会议通知): the organizer's office, once
// the agenda is approved (where the kind needs it). It returns the people
// to tell.
func (m *Meeting) Notice(a route.Actor, now time.Time) ([]string, error) {
	switch {
	case !m.Organizes(a):
		return nil, refuse("只有办会单位可以发送会议通知")
	case m.Status == Cancelled:
		return nil, refuse("会议已取消")
	case m.Status == Noticed:
		return nil, refuse("会议通知已经发出")
	case !m.AgendaApproved():
		return nil, refuse("议题尚未审定，不能发送会议通知")
	case !now.Before(m.End):
		return nil, refuse("会议已经结束")
	}
	m.Status, m.NoticedAt, m.UpdatedAt = Noticed, now, now
	var to []string
	for _, iv := range m.Invitees {
		to = append(to, iv.PersonID)
	}
	return to, nil
}

// MayAnswerFor reports whether the actor may answer the invitee's 回执: the
// invitee, or someone of the office that answers for them.
func (iv Invitee) MayAnswerFor(a route.Actor) bool {
	return a.ID == iv.PersonID || iv.Office != "" && slices.Contains(a.Units, iv.Office)
}

// Answer records a 回执 for the invitee: attends, sends a substitute (name
// and post), or is absent (with a reason). It may be changed until the
// meeting starts.
func (m *Meeting) Answer(a route.Actor, personID string, r Reply, now time.Time) error {
	iv, ok := m.Invitee(personID)
	switch {
	case !ok:
		return refuse("不在本次会议的参会名单中")
	case !iv.MayAnswerFor(a):
		return refuse("只有本人或其单位办公室可以填写回执")
	case m.Status == Cancelled:
		return refuse("会议已取消")
	case m.Status != Noticed:
		return refuse("会议通知尚未发出")
	case !now.Before(m.Start):
		return refuse("会议已经开始，不能再填写回执")
	}
	r.SubName, r.SubPost, r.Reason = strings.TrimSpace(r.SubName), strings.TrimSpace(r.SubPost), strings.TrimSpace(r.Reason)
	switch r.Answer {
	case Attend:
		r.SubName, r.SubPost, r.Reason = "", "", ""
	case Substitute:
		if r.SubName == "" || r.SubPost == "" {
			return refuse("委派他人参加须填写参会人的姓名和职务")
		}
		r.Reason = ""
	case Absent:
		if r.Reason == "" {
			return refuse("请假须填写事由")
		}
		r.SubName, r.SubPost = "", ""
	default:
		return refuse("请选择参加、委派他人参加或请假")
	}
	if err := textlimit.First(
		textlimit.Text("sub_name", "参会人姓名", MaxName, r.SubName),
		textlimit.Text("sub_post", "参会人职务", MaxName, r.SubPost),
		textlimit.Text("reason", "请假事由", MaxReason, r.Reason)); err != nil {
		return err
	}
	r.By, r.At = a.ID, now
	iv.Reply = &r
	m.UpdatedAt = now
	return nil
}

// Unanswered lists the invitees who have not answered.
func (m *Meeting) Unanswered() []Invitee {
	var out []Invitee
	for _, iv := range m.Invitees {
		if iv.Reply == nil {
			out = append(out, iv)
		}
	}
	return out
}

// Urge reminds those who have not answered (催报回执); people names some of
// them, or none for all. It returns who is urged.
func (m *Meeting) Urge(a route.Actor, people []string, now time.Time) ([]string, error) {
	switch {
	case !m.Organizes(a):
		return nil, refuse("只有办会单位可以催报回执")
	case m.Status != Noticed:
		return nil, refuse("会议通知尚未发出")
	case !now.Before(m.Start):
		return nil, refuse("会议已经开始")
	}
	var out []string
	for i := range m.Invitees {
		iv := &m.Invitees[i]
		if iv.Reply != nil || len(people) > 0 && !slices.Contains(people, iv.PersonID) {
			continue
		}
		iv.Urges++
		iv.UrgedAt = now
		out = append(out, iv.PersonID)
	}
	if len(out) == 0 {
		return nil, refuse("没有需要催报的回执")
	}
	m.UpdatedAt = now
	return out, nil
}
