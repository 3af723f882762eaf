package evaluate

import (
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// Sum is an indicator's numerator and denominator summed over a unit's
// records of one period: what the board needs, without the records. Every
// indicator but 信息 sums whole numbers (records, characters, findings), so
// sums added in any order give exactly the figures Score adds record by
// record.
type Sum struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// Sums are one period's sums per indicator and per unit as the records
// carry it (a section, a unit merged away): ScoreSums rolls them up to the
// owning unit as Score does.
type Sums map[Indicator]map[string]Sum

// Add adds to a unit's sum of an indicator.
func (s Sums) Add(i Indicator, unit string, num, den int64) {
	if s[i] == nil {
		s[i] = map[string]Sum{}
	}
	v := s[i][unit]
	v.Num += num
	v.Den += den
	s[i][unit] = v
}

// Param is the one rule a sum of the indicator depends on — CloseDays for
// 办结, ReplyDays for 会议回执 (the limits they are computed against) — and 0
// for the indicators whose records carry their own limit.
func (r RuleSet) Param(i Indicator) int {
	switch i {
	case CloseOnTime:
		return r.CloseDays
	case MeetingReply:
		return r.ReplyDays
	}
	return 0
}

// ScoreSums is Score computed from a period's sums instead of its records
// (a store keeps them per unit and month, so a year's board does not read a
// year's records). The 信息 point events are still added one by one, as
// Score adds them. The board is Score's to the figure, except that figures
// carry no record IDs: the drill-down scores one unit's records for them.
func ScoreSums(o *Org, s Sums, points []PointEvent, rules Rules, p Period, c Class, asOf time.Time) (Board, error) {
	rs, err := rules.At(p.From)
	if err != nil {
		return Board{}, err
	}
	tl := newTallies(o, p)
	for i, byUnit := range s {
		for unit, v := range byUnit {
			if v == (Sum{}) {
				continue // a figure with no records is empty either way
			}
			if t := tl.get(i, unit); t != nil {
				t.num += float64(v.Num)
				t.den += float64(v.Den)
			}
		}
	}
	tl.points(points, p, asOf)
	return finish(tl.m, o, rs, p, c, asOf), nil
}

// TrendSums is Trend from the sums of each period (sums[k] for periods[k]).
func TrendSums(o *Org, sums []Sums, points []PointEvent, rules Rules, periods []Period, unit string, asOf time.Time) ([]TrendPoint, error) {
	u, ok := o.Unit(unit)
	if !ok {
		return nil, fmt.Errorf("未知的单位 %s", unit)
	}
	if len(sums) != len(periods) {
		return nil, fmt.Errorf("sums for %d periods, want %d", len(sums), len(periods))
	}
	var out []TrendPoint
	for k, p := range periods {
		b, err := ScoreSums(o, sums[k], points, rules, p, u.Class, asOf)
		if err != nil {
			return nil, err
		}
		r, found := b.Row(unit)
		out = append(out, TrendPoint{Period: p, Row: r, Of: len(b.Rows), Found: found})
	}
	return out, nil
}

// Dues computes working-day limits as Score does (the same memo), for a
// store that sums records by the period their limit falls in.
type Dues struct{ d *dues }

// NewDues starts a memo over cal.
func NewDues(cal *calendar.Calendar) *Dues { return &Dues{d: newDues(cal)} }

// Add is cal.AddWorkdays(t, n).
func (x *Dues) Add(t time.Time, n int) (time.Time, error) { return x.d.add(t, n) }

// CloseDue is a 办结 record's limit: its own, or n working days after it
// arrived.
func (x *Dues) CloseDue(r Timed, n int) (time.Time, error) {
	if !r.Due.IsZero() {
		return r.Due, nil
	}
	return x.d.add(r.Start, n)
}

// ReplyDue is a meeting reply's limit: n working days after the notice,
// never after the meeting's start.
func (x *Dues) ReplyDue(a Attendance, n int) (time.Time, error) {
	due, err := x.d.add(a.Noticed, n)
	if err != nil {
		return due, err
	}
	if a.Start.Before(due) {
		due = a.Start
	}
	return due, nil
}
