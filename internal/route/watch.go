package route

import (
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// FlagKind names a problem the office and the sender must see.
type FlagKind string

const (
	// Unacknowledged: a handover not acknowledged within its limit (nothing may sit between two people).
	Unacknowledged FlagKind = "unacknowledged_handover"
	// Late: an open task past its due time.
	Late FlagKind = "overdue"
)

// Label is the flag's Chinese name.
func (k FlagKind) Label() string {
	switch k {
	case Unacknowledged:
		return "交接超时未签收"
	case Late:
		return "逾期未办"
	}
	return string(k)
}

// Flag is one flagged open task.
type Flag struct {
	Kind     FlagKind  `json:"kind"`
	Task     int       `json:"task"`
	Step     string    `json:"step"`
	Assignee Assignee  `json:"assignee"`
	From     string    `json:"from"`
	Since    time.Time `json:"since"` // when the limit ran out
}

// Flags lists the open tasks whose handover is unacknowledged past its limit
// or whose due time has passed, at now.
func (e Engine) Flags(in Instance, now time.Time) []Flag {
	var out []Flag
	for _, t := range in.Tasks {
		if t.Status != Open {
			continue
		}
		step := in.Template.Steps[t.Step].Key
		if !t.Acknowledged() && !t.AckDue.IsZero() && now.After(t.AckDue) {
			out = append(out, Flag{Kind: Unacknowledged, Task: t.ID, Step: step, Assignee: t.Assignee, From: t.FromActor, Since: t.AckDue})
		}
		if !t.Due.IsZero() && now.After(t.Due) {
			out = append(out, Flag{Kind: Late, Task: t.ID, Step: step, Assignee: t.Assignee, From: t.FromActor, Since: t.Due})
		}
	}
	return out
}

// TaskState is an open task's 正常/即将到期/逾期 state at now.
func (e Engine) TaskState(t Task, now time.Time, soon calendar.Limit) calendar.State {
	if e.Calendar == nil {
		if !t.Due.IsZero() && now.After(t.Due) {
			return calendar.Overdue
		}
		return calendar.Normal
	}
	return e.Calendar.StateAt(t.Due, now, soon)
}

// Circulation lists who has read and who has not at a circulation step
// (the latest task of each branch).
func (in Instance) Circulation(stepKey string) (read, unread []Task) {
	idx := in.Template.StepIndex(stepKey)
	latest := map[int]Task{}
	var order []int
	for _, t := range in.Tasks {
		if t.Step != idx || t.Status == Cancelled || t.Status == Withdrawn || t.Status == Returned {
			continue
		}
		if _, ok := latest[t.Branch]; !ok {
			order = append(order, t.Branch)
		}
		latest[t.Branch] = t
	}
	for _, b := range order {
		t := latest[b]
		switch t.Status {
		case Finished:
			read = append(read, t)
		case Open:
			unread = append(unread, t)
		}
	}
	return read, unread
}

// TrackRow is one line of the 流转轨迹: who had what, when, and how long it took.
type TrackRow struct {
	Task     Task          `json:"task"`
	StepName string        `json:"step_name"`
	Took     time.Duration `json:"took"` // working time from handover to action (or to now if open)
}

// Track lists the tasks in order with the working time each took.
func (e Engine) Track(in Instance, now time.Time) []TrackRow {
	out := make([]TrackRow, 0, len(in.Tasks))
	for _, t := range in.Tasks {
		end := t.ActedAt
		if t.Status == Open || end.IsZero() {
			end = now
		}
		var took time.Duration
		if e.Calendar != nil {
			took = e.Calendar.WorkingTimeBetween(t.HandedAt, end)
		} else {
			took = end.Sub(t.HandedAt)
		}
		out = append(out, TrackRow{Task: t, StepName: in.Template.Steps[t.Step].Name, Took: took})
	}
	return out
}
