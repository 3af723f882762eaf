package document

import (
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// SignForPolicy is how long a receiving unit has to sign for (签收) an item,
// by urgency, counted from issuing.
type SignForPolicy struct {
	ExtraUrgent calendar.Limit `json:"extra_urgent"` // 特急
	Urgent      calendar.Limit `json:"urgent"`       // 加急
	Ordinary    calendar.Limit `json:"ordinary"`     // 平件
}

// DefaultSignFor is 特急 within 1 hour (clock time: it does not wait for
// office hours), 加急 within 4 working hours, others within 1 working day.
func DefaultSignFor() SignForPolicy {
	return SignForPolicy{ExtraUrgent: calendar.ClockHoursOf(1), Urgent: calendar.Hours(4), Ordinary: calendar.Days(1)}
}

// Validate checks each limit.
func (p SignForPolicy) Validate() error {
	for _, l := range []calendar.Limit{p.ExtraUrgent, p.Urgent, p.Ordinary} {
		if err := l.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Limit is the sign-for limit for an urgency.
func (p SignForPolicy) Limit(u Urgency) calendar.Limit {
	switch u {
	case ExtraUrgent:
		return p.ExtraUrgent
	case Urgent:
		return p.Urgent
	}
	return p.Ordinary
}

// SignForDue is when an item issued at issuedAt must be signed for; ok is
// false when the policy sets no limit.
func SignForDue(cal *calendar.Calendar, p SignForPolicy, u Urgency, issuedAt time.Time) (due time.Time, ok bool, err error) {
	return cal.Due(issuedAt, p.Limit(u))
}

// SignForLate reports whether an item is (or was) signed for late: signedAt
// after the due time, or not yet signed (zero) with now past it. Such items
// are flagged for the sender and the office.
func SignForLate(cal *calendar.Calendar, p SignForPolicy, u Urgency, issuedAt, signedAt, now time.Time) (bool, error) {
	due, ok, err := SignForDue(cal, p, u, issuedAt)
	if err != nil || !ok {
		return false, err
	}
	if signedAt.IsZero() {
		return now.After(due), nil
	}
	return signedAt.After(due), nil
}

// IncomingFirst is the first-step assignment of an incoming item's route
// (route.Incoming): the receiving unit's office clerk, with the sign-for
// limit of the document's urgency, to pass as route.StartOptions.First.
func IncomingFirst(unit string, u Urgency, p SignForPolicy) []route.NextTask {
	return []route.NextTask{{
		Assignee: route.Assignee{Kind: route.Role, Role: route.RoleOfficeClerk, Unit: unit},
		Limit:    p.Limit(u),
	}}
}
