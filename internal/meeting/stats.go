package meeting

import (
	"cmp"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// KindMonth is how many meetings of a kind were held in a month, and their
// hours; meetings booked but not yet begun are counted apart, so a month's
// figures are not inflated by what has not happened.
type KindMonth struct {
	Kind      Kind    `json:"kind"`
	Label     string  `json:"label"`
	Month     string  `json:"month"` // 2026-12
	Meetings  int     `json:"meetings"`
	Hours     float64 `json:"hours"`
	Scheduled int     `json:"scheduled"` // not begun at now
}

// UnitRates are a unit's replies and sign-ins over the meetings it was
// invited to (those noticed): what the evaluation module reads.
type UnitRates struct {
	UnitID    string  `json:"unit_id"`
	Invited   int     `json:"invited"`
	Answered  int     `json:"answered"`
	SignedIn  int     `json:"signed_in"`
	Expected  int     `json:"expected"` // invitations not answered absent, of meetings started
	ReplyRate float64 `json:"reply_rate"`
	SignRate  float64 `json:"sign_in_rate"`
}

// Stats are meeting statistics: per kind and month, and per unit.
type Stats struct {
	ByKind []KindMonth `json:"by_kind_month"`
	ByUnit []UnitRates `json:"by_unit"`
}

// Statistics counts the meetings not cancelled, at now: per kind and month
// (of their start, in Beijing) those begun and their hours, and those still to
// come; and, for those noticed, each invited unit's
// reply rate and — over those started — its sign-in rate (signed in of those
// expected: every invitation not answered absent).
func Statistics(ms []Meeting, now time.Time) Stats {
	loc := calendar.Shanghai()
	km := map[[2]string]*KindMonth{}
	um := map[string]*UnitRates{}
	for i := range ms {
		m := &ms[i]
		if m.Status == Cancelled {
			continue
		}
		key := [2]string{string(m.Kind), m.Start.In(loc).Format("2006-01")}
		r, ok := km[key]
		if !ok {
			r = &KindMonth{Kind: m.Kind, Label: m.Kind.Label(), Month: key[1]}
			km[key] = r
		}
		if now.Before(m.Start) {
			r.Scheduled++
		} else {
			r.Meetings++
			r.Hours += m.End.Sub(m.Start).Hours()
		}
		if m.Status != Noticed {
			continue
		}
		for _, iv := range m.Invitees {
			u, ok := um[iv.UnitID]
			if !ok {
				u = &UnitRates{UnitID: iv.UnitID}
				um[iv.UnitID] = u
			}
			u.Invited++
			if iv.Reply != nil {
				u.Answered++
			}
			if now.After(m.Start) && (iv.Reply == nil || iv.Reply.Answer != Absent) {
				u.Expected++
				if !iv.SignedIn.IsZero() {
					u.SignedIn++
				}
			}
		}
	}
	var s Stats
	for _, r := range km {
		s.ByKind = append(s.ByKind, *r)
	}
	slices.SortFunc(s.ByKind, func(a, b KindMonth) int { return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.Kind, b.Kind)) })
	for _, u := range um {
		if u.Invited > 0 {
			u.ReplyRate = float64(u.Answered) / float64(u.Invited)
		}
		if u.Expected > 0 {
			u.SignRate = float64(u.SignedIn) / float64(u.Expected)
		}
		s.ByUnit = append(s.ByUnit, *u)
	}
	slices.SortFunc(s.ByUnit, func(a, b UnitRates) int { return cmp.Compare(a.UnitID, b.UnitID) })
	return s
}
