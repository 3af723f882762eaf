package inforeport

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Rules are a deployment's scoring rules for information (信息积分), in force
// from From until the next version. Points are 分; deductions are given as
// positive numbers and subtracted.
type Rules struct {
	Version int       `json:"version"`
	From    time.Time `json:"from"`
	// Adoption: points per level of adoption (each level counted once per item).
	Adoption map[Level]float64 `json:"adoption"`
	// Instruction: points per leader's 批示, by the leader's level.
	Instruction map[Level]float64 `json:"instruction"`
	// OnTime: points for a 约稿 answered by its date.
	OnTime float64 `json:"on_time"`
	// Late: deducted for a 约稿 answered after its date.
	Late float64 `json:"late"`
	// Missed: deducted for a 约稿 not answered at all once its date passed.
	Missed float64 `json:"missed"`
	// Returned: deducted each time a report is returned (退回).
	Returned float64 `json:"returned"`
	Note     string  `json:"note,omitempty"`
}

// DefaultRules are the rules a new deployment starts from (common practice
// in district offices: a line in a city publication weighs three district ones).
func DefaultRules(from time.Time) Rules {
	return Rules{Version: 1, From: from,
		Adoption:    map[Level]float64{District: 1, City: 3, Province: 5, Central: 10},
		Instruction: map[Level]float64{District: 2, City: 4, Province: 6, Central: 10},
		OnTime:      1, Late: 0.5, Missed: 1, Returned: 0.5, Note: "默认计分办法"}
}

// Check refuses rules a person could not have meant.
func (r Rules) Check() error {
	ok := func(v float64) bool { return !math.IsNaN(v) && v >= 0 && v <= 100 }
	for _, l := range Levels() {
		if !ok(r.Adoption[l]) || !ok(r.Instruction[l]) {
			return refuse("分值须在 0 到 100 之间")
		}
	}
	if !ok(r.OnTime) || !ok(r.Late) || !ok(r.Missed) || !ok(r.Returned) {
		return refuse("分值须在 0 到 100 之间")
	}
	if r.From.IsZero() {
		return refuse("请填写计分办法的施行日期")
	}
	if len([]rune(r.Note)) > MaxNote {
		return refuse("说明不能超过 %d 字", MaxNote)
	}
	return nil
}

// RuleSet is every version of a deployment's rules.
type RuleSet []Rules

// At gives the rules in force at t: the latest version whose From is not
// after t; before the first, the first.
func (rs RuleSet) At(t time.Time) Rules {
	var best Rules
	found := false
	for _, r := range rs {
		if !r.From.After(t) && (!found || r.From.After(best.From) || (r.From.Equal(best.From) && r.Version > best.Version)) {
			best, found = r, true
		}
	}
	if !found && len(rs) > 0 {
		best = slices.MinFunc(rs, func(a, b Rules) int { return a.From.Compare(b.From) })
	}
	return best
}

// Period is a half-open span [From, To) of scoring: a month or a year.
type Period struct {
	From, To time.Time
	Label    string
}

// Month is the period of one calendar month in loc.
func Month(year int, m time.Month, loc *time.Location) Period {
	from := time.Date(year, m, 1, 0, 0, 0, 0, loc)
	return Period{From: from, To: from.AddDate(0, 1, 0), Label: fmt.Sprintf("%d年%d月", year, m)}
}

// Year is the period of one calendar year in loc.
func Year(year int, loc *time.Location) Period {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	return Period{From: from, To: from.AddDate(1, 0, 0), Label: fmt.Sprintf("%d年", year)}
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Records are what scoring reads: the reports and the 约稿, as of AsOf (a
// 约稿 unanswered at AsOf and past its date counts as missed).
type Records struct {
	Reports       []Report
	Solicitations []Solicitation
	AsOf          time.Time
}

// PointKind is why points were given or taken.
type PointKind string

const (
	PointAdoption    PointKind = "adoption"    // 采用
	PointInstruction PointKind = "instruction" // 批示
	PointOnTime      PointKind = "on_time"     // 约稿按时报送
	PointLate        PointKind = "late"        // 约稿逾期报送
	PointMissed      PointKind = "missed"      // 约稿未报送
	PointReturned    PointKind = "returned"    // 退回
)

// PointEvent is one line of a unit's score: every point is traceable to its
// item (ReportID, or SolicitationID for a 约稿 not answered).
type PointEvent struct {
	UnitID         string    `json:"unit_id"`
	ReportID       string    `json:"report_id,omitempty"`
	SolicitationID string    `json:"solicitation_id,omitempty"`
	Kind           PointKind `json:"kind"`
	Level          Level     `json:"level,omitempty"`
	Reason         string    `json:"reason"` // 市级采用：《云泽信息》第 3 期
	Points         float64   `json:"points"`
	Date           time.Time `json:"date"`
	RulesVersion   int       `json:"rules_version"`
}

// UnitScore is one unit's score in a period with the events behind it.
type UnitScore struct {
	UnitID string       `json:"unit_id"`
	Points float64      `json:"points"`
	Events []PointEvent `json:"events"`
}

// Events lists every point event the records give, each scored by the
// rules in force on its date, in date order.
func Events(rs RuleSet, rec Records) []PointEvent {
	var out []PointEvent
	add := func(e PointEvent) {
		r := rs.At(e.Date)
		e.RulesVersion = r.Version
		switch e.Kind {
		case PointAdoption:
			e.Points = r.Adoption[e.Level]
		case PointInstruction:
			e.Points = r.Instruction[e.Level]
		case PointOnTime:
			e.Points = r.OnTime
		case PointLate:
			e.Points = -r.Late
		case PointMissed:
			e.Points = -r.Missed
		case PointReturned:
			e.Points = -r.Returned
		}
		if e.Points != 0 {
			out = append(out, e)
		}
	}
	for _, r := range rec.Reports {
		if r.State == Merged {
			continue // its credit lives on in the item it was merged into
		}
		units := r.Credits()
		seen := map[Level]bool{}
		for _, a := range r.Adoptions {
			if seen[a.Level] {
				continue
			}
			seen[a.Level] = true
			for _, u := range units {
				add(PointEvent{UnitID: u, ReportID: r.ID, Kind: PointAdoption, Level: a.Level,
					Reason: a.Level.Label() + "采用：" + a.Outlet, Date: a.Date})
			}
		}
		for _, ins := range r.Instructions {
			for _, u := range units {
				add(PointEvent{UnitID: u, ReportID: r.ID, Kind: PointInstruction, Level: ins.Level,
					Reason: ins.Leader + "批示", Date: ins.At})
			}
		}
	}
	// Returns count against the unit whose report it was, merged or not.
	for _, r := range rec.Reports {
		for _, h := range r.History {
			if h.Action == "return" {
				add(PointEvent{UnitID: r.UnitID, ReportID: r.ID, Kind: PointReturned, Reason: "信息被退回：" + h.Note, Date: h.At})
			}
		}
	}
	for _, s := range rec.Solicitations {
		for _, a := range s.Answers(rec.Reports, rec.AsOf) {
			first := firstAnswer(rec.Reports, s.ID, a.UnitID)
			switch {
			case a.OnTime:
				add(PointEvent{UnitID: a.UnitID, ReportID: first, SolicitationID: s.ID, Kind: PointOnTime,
					Reason: "约稿按时报送：" + s.Topic, Date: a.First})
			case a.Answered:
				add(PointEvent{UnitID: a.UnitID, ReportID: first, SolicitationID: s.ID, Kind: PointLate,
					Reason: "约稿逾期报送：" + s.Topic, Date: a.First})
			case rec.AsOf.After(s.Due):
				add(PointEvent{UnitID: a.UnitID, SolicitationID: s.ID, Kind: PointMissed,
					Reason: "约稿未报送：" + s.Topic, Date: s.Due})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b PointEvent) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.ReportID, b.ReportID))
	})
	return out
}

func firstAnswer(reports []Report, sol, unit string) string {
	id, at := "", time.Time{}
	for _, r := range reports {
		if r.SolicitationID == sol && r.UnitID == unit && (id == "" || r.SubmittedAt.Before(at)) {
			id, at = r.ID, r.SubmittedAt
		}
	}
	return id
}

// Score gives each unit's score in the period, every point with its event,
// highest first (ties by unit ID). Units with no events are absent.
func Score(rs RuleSet, rec Records, p Period) []UnitScore {
	by := map[string]*UnitScore{}
	var order []string
	for _, e := range Events(rs, rec) {
		if !p.Contains(e.Date) {
			continue
		}
		us := by[e.UnitID]
		if us == nil {
			us = &UnitScore{UnitID: e.UnitID}
			by[e.UnitID] = us
			order = append(order, e.UnitID)
		}
		us.Points += e.Points
		us.Events = append(us.Events, e)
	}
	out := make([]UnitScore, 0, len(order))
	for _, u := range order {
		s := *by[u]
		s.Points = math.Round(s.Points*100) / 100
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b UnitScore) int {
		return cmp.Or(cmp.Compare(b.Points, a.Points), cmp.Compare(a.UnitID, b.UnitID))
	})
	return out
}

// Monthly splits a year's events into the twelve months' totals (loc is the
// office's time zone).
func Monthly(events []PointEvent, loc *time.Location) [12]float64 {
	var m [12]float64
	for _, e := range events {
		m[e.Date.In(loc).Month()-1] += e.Points
	}
	for i := range m {
		m[i] = math.Round(m[i]*100) / 100
	}
	return m
}
