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
