package access

import (
	"fmt"
	"slices"
)

// Meetings (办会): an office books meetings, and whoever works in it or in
// one of its sections (秘书科, 会务科…) may book for it. Reading a meeting
// is ReadObject on it (Kind "meeting", UnitID the office, Participants its
// people): its people, and, unclassified, the office's own.

// BookMeeting books a meeting for an office.
const BookMeeting Action = "meeting.book"

// MeetingOffice is the office a meeting is booked for, with its sections,
// and the meeting's 密级.
type MeetingOffice struct {
	UnitID   string
	Sections []string
	Level    int
}

// DecideBookMeeting decides BookMeeting. Decide answers it too, for an
// office without sections.
func DecideBookMeeting(s Subject, o MeetingOffice) Decision {
	if s.PersonID == "" {
		return deny("未登录")
	}
	if !s.business() {
		return deny("三员账户不能办理会务")
	}
	if int(s.Clearance) < o.Level {
		return deny(fmt.Sprintf("您的涉密等级（%s）低于会议的密级", s.Clearance.Label()))
	}
	if o.UnitID != "" && slices.ContainsFunc(append([]string{o.UnitID}, o.Sections...), s.inUnit) {
		return allow("本办公室会务")
	}
	return deny("只能为本人所在的办公室预订会议")
}

// A meeting's 会议材料: each 议题's reporting unit (and its presenter) and
// the office organizing the meeting upload versions; those and the
// meeting's attendees — the people invited, the chair, and the substitutes
// they named — read them. Nobody else does, whatever else of the meeting
// they may see, and nobody above their clearance.
const (
	ReadMaterial Action = "meeting.material.read"
	AddMaterial  Action = "meeting.material.add"
)

// MeetingMaterial is an agenda item's material as the decision sees it.
type MeetingMaterial struct {
	Office    MeetingOffice // the office organizing it, its sections and the meeting's 密级
	Organizer string
	Attendees []string // invitees, the chair, and the substitutes named
	UnitID    string   // the 议题's reporting unit
	Presenter string
}

// DecideMaterial decides ReadMaterial and AddMaterial.
func DecideMaterial(s Subject, a Action, m MeetingMaterial) Decision {
	if s.PersonID == "" {
		return deny("未登录")
	}
	if !s.business() {
		return deny("三员账户不能查阅会议材料")
	}
	if int(s.Clearance) < m.Office.Level {
		return deny(fmt.Sprintf("您的涉密等级（%s）低于会议的密级", s.Clearance.Label()))
	}
	office := append([]string{m.Office.UnitID}, m.Office.Sections...)
	switch {
	case s.PersonID == m.Organizer || m.Office.UnitID != "" && slices.ContainsFunc(office, s.inUnit):
		return allow("办会单位")
	case m.Presenter != "" && s.PersonID == m.Presenter || m.UnitID != "" && s.inUnit(m.UnitID):
		return allow("汇报单位")
	case a == ReadMaterial && slices.Contains(m.Attendees, s.PersonID):
		return allow("参会人员")
	case a == ReadMaterial:
		return deny("会议材料仅限参会人员、办会单位和汇报单位查阅")
	}
	return deny("只有汇报单位或办会单位可以报送议题材料")
}
