package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// The operations on a meeting, each a MeetingOp for MeetingAct: the rules
// decide (package meeting), the store carries out what follows — messages,
// the agenda's route, the 纪要 on the 办文 route, supervision items.

func meetingWhen(m *meeting.Meeting) string {
	loc := calendar.Shanghai()
	return m.Start.In(loc).Format("1月2日 15:04") + "—" + m.End.In(loc).Format("15:04")
}

// OpNotice sends the meeting notice to every invitee.
func OpNotice() MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		to, err := m.Notice(a, tx.now)
		if err != nil {
			return nil, err
		}
		room, err := tx.MeetingRoom(context.Background(), m.RoomID)
		if err != nil {
			return nil, err
		}
		return []MeetingNotice{{To: to, Kind: "meeting.notice", Key: "notice", Subject: "会议通知：" + m.Title,
			Body: fmt.Sprintf("请于%s到%s参加%s，并在会前填写回执（参加、委派他人参加或请假）。", meetingWhen(m), room.Name, m.Title)}}, nil
	}
}

// OpAnswer records a 回执 for person.
func OpAnswer(person string, r meeting.Reply) MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		return nil, m.Answer(a, person, r, tx.now)
	}
}

// OpUrge urges the replies not yet in (people: some of them; none: all).
func OpUrge(people []string) MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		urged, err := m.Urge(a, people, tx.now)
		if err != nil {
			return nil, err
		}
		return []MeetingNotice{{To: urged, Kind: "meeting.urge", Key: fmt.Sprintf("urge:%d", tx.now.UnixMicro()), Subject: "催报回执：" + m.Title,
			Body: fmt.Sprintf("%s（%s）的回执尚未填写，请尽快填写。", m.Title, meetingWhen(m))}}, nil
	}
}

// OpSignIn signs person in, by the QR URL ("qr") or the organizer's click.
func OpSignIn(person, via string) MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		return nil, m.SignIn(a, person, via, tx.now)
	}
}

// OpAddAgenda adds a 议题.
func OpAddAgenda(n meeting.NewAgendaItem) MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		_, err := m.AddAgendaItem(a, n, tx.now)
		return nil, err
	}
}

// OpAddMaterial records a new version of a 议题's material.
func OpAddMaterial(seq int, mat meeting.Material) MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		return nil, m.AddMaterial(a, seq, mat, tx.now)
	}
}

// OpUrgeMaterial urges the late materials in one click.
func OpUrgeMaterial() MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		late, err := m.UrgeMaterial(a, tx.now)
		if err != nil {
			return nil, err
		}
		// The presenter and the reporting unit's head are told; the link is
		// the 议题's material page, which the reporting unit may open.
		var ns []MeetingNotice
		for _, it := range late {
			var to []string
			if it.Presenter != "" {
				to = append(to, it.Presenter)
			}
			ps, err := tx.UnitPositions(context.Background(), it.UnitID)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				if p.Head && !slices.Contains(to, p.PersonID) {
					to = append(to, p.PersonID)
				}
			}
			ns = append(ns, MeetingNotice{To: to, Kind: "meeting.urge_material", Key: fmt.Sprintf("material:%d:%d", it.Seq, tx.now.UnixMicro()),
				Link:    fmt.Sprintf("/meetings/%s/agenda/%d", m.ID, it.Seq),
				Subject: "催报议题材料：" + it.Title, Body: fmt.Sprintf("%s的议题“%s”材料已逾期未报，请尽快报送。", m.Title, it.Title)})
		}
		return ns, nil
	}
}

// OpSubmitAgenda submits the agenda for approval on the route.
func OpSubmitAgenda() MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		if _, err := m.SubmitAgenda(tx.s.engine(), a, tx.now); err != nil {
			return nil, err
		}
		return tx.agendaNotices(m)
	}
}

// OpActAgenda applies a route operation to the agenda's approval.
func OpActAgenda(req route.Request) MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		if _, err := m.ActAgenda(tx.s.engine(), a, req, tx.now); err != nil {
			return nil, err
		}
		if m.AgendaApproved() {
			return []MeetingNotice{{To: []string{m.Organizer}, Kind: "meeting.agenda", Key: fmt.Sprintf("agenda:%d", m.Route.Seq),
				Subject: "议题已审定：" + m.Title, Body: "议题已审定，可以发送会议通知。"}}, nil
		}
		return tx.agendaNotices(m)
	}
}

// agendaNotices tell whoever holds the agenda's open tasks.
func (tx *Tx) agendaNotices(m *meeting.Meeting) ([]MeetingNotice, error) {
	var ns []MeetingNotice
	for _, t := range m.Route.OpenTasks() {
		people, err := tx.assigneePeople(context.Background(), t.Assignee)
		if err != nil {
			return nil, err
		}
		ns = append(ns, MeetingNotice{To: people, Kind: "meeting.agenda", Key: fmt.Sprintf("agenda:%d", t.ID),
			Subject: "议题待审定：" + m.Title, Body: fmt.Sprintf("%s的议题待您%s。", m.Title, m.Route.Template.Steps[t.Step].Name)})
	}
	return ns, nil
}

// OpAddDecision records a 议定事项.
func OpAddDecision(text, leadUnit string, due time.Time) MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		_, err := m.AddDecision(a, text, leadUnit, due, tx.now)
		return nil, err
	}
}

// OpCancel calls the meeting off and tells those already noticed.
func OpCancel() MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		noticed := m.Status == meeting.Noticed
		if err := m.Cancel(a, tx.now); err != nil {
			return nil, err
		}
		if !noticed {
			return nil, nil
		}
		var to []string
		for _, iv := range m.Invitees {
			to = append(to, iv.PersonID)
		}
		return []MeetingNotice{{To: to, Kind: "meeting.cancel", Key: "cancel", Subject: "会议取消：" + m.Title,
			Body: fmt.Sprintf("原定%s召开的%s取消。", meetingWhen(m), m.Title)}}, nil
	}
}

// meetingNames names people, units and rooms for the minutes.
type meetingNames struct {
	ctx   context.Context
	tx    *Tx
	units map[string]org.Unit
}

func (n meetingNames) Person(id string) string {
	if p, err := n.tx.Person(n.ctx, id); err == nil {
		return p.Name
	}
	return ""
}

func (n meetingNames) Unit(id string) string { return n.units[id].Name }

func (n meetingNames) Room(id string) string {
	if r, err := n.tx.MeetingRoom(n.ctx, id); err == nil {
		return r.Name
	}
	return ""
}

// OpDraftMinutes drafts the 纪要 from the meeting — attendees, agenda and
// decisions filled in — and starts it on the 发文 route of the drafter's
// unit, in the name of the meeting's organ where the unit may draft for it;
// the organ's 纪要 series numbers it at 编号.
func OpDraftMinutes(ctx context.Context, by org.Person, unitID string) MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		if err := m.SetMinutes(a, "pending", tx.now); err != nil {
			return nil, err
		}
		units, err := tx.unitMap(ctx)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(a.Units, unitID) {
			return nil, errors.New("只能在本人任职的单位起草纪要")
		}
		doc := meeting.MinutesDraft(m, meetingNames{ctx: ctx, tx: tx, units: units})
		issuer := ""
		if slices.Contains(document.Issuers(units, unitID), m.OrganID) {
			issuer = m.OrganID
		}
		rec, err := tx.CreateOutgoing(ctx, by, NewOutgoing{UnitID: unitID, Doc: doc, IssuerID: issuer})
		if err != nil {
			return nil, err
		}
		m.MinutesDoc = rec.ID
		return nil, nil
	}
}

// OpHandOver registers each 议定事项 not yet handed over as a supervision
// item (立项 and 交办 in one), led by its unit's head, its source the
// meeting; the meeting records each item: linked both ways.
func OpHandOver(ctx context.Context, by org.Person, office string) MeetingOp {
	return func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error) {
		if err := m.MayHandOver(); err != nil {
			return nil, err
		}
		var herr error
		head := func(unit string) string {
			ps, err := tx.UnitPositions(ctx, unit)
			if err != nil {
				herr = err
				return ""
			}
			for _, p := range ps {
				if p.Head {
					return p.PersonID
				}
			}
			if len(ps) > 0 {
				return ps[0].PersonID
			}
			return ""
		}
		hs := meeting.SupervisionItems(m, office, head, uid.New)
		if herr != nil {
			return nil, herr
		}
		for _, h := range hs {
			it, err := tx.CreateSupItem(ctx, by, h.Item, true)
			if err != nil {
				return nil, err
			}
			m.Link(h.Seq, it.ID, tx.now)
		}
		return nil, nil
	}
}
