package supervise

import (
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
)

// NextAt is the earliest moment after t at which a notice of the item could
// fall due, or zero if none can (closed, or not yet assigned). It never
// comes after the first notice Due would give after t, so a scheduler can
// keep it as an indexed column, wake for the items whose NextAt has come,
// call Due for them since its last run, and store the new NextAt — without
// looking at the other items. Recompute it after every operation on the item.
//
// The warning light changes only at operations and at these instants, so a
// light stored at each wake-up (ColorAt) stays true until the next one.
func (s *Sweep) NextAt(it *Item, t time.Time) time.Time {
	if it.State == Closed || it.State == Registered || it.AssignedAt.IsZero() {
		return time.Time{}
	}
	var best time.Time
	cand := func(c time.Time) {
		if c.After(t) && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	var phaseBuf [8]phase
	var roundBuf [2]time.Time
	hist := newHistory(it, phaseBuf[:0], roundBuf[:0])
	h := &hist
	var spanBuf [4]deadlineSpan
	for ti := range it.deadlineTargets() {
		target := it.target(ti)
		for _, sp := range h.deadlines(target, spanBuf[:0]) {
			if !sp.till.IsZero() && !sp.till.After(t) {
				continue // superseded before t: nothing more of it can fire
			}
			soon := s.W.soonStart(sp.due, s.Soon)
			clamped := soon.Before(sp.from)
			if clamped {
				soon = sp.from
			}
			if s.Digest && target == "" {
				// The digests and their set-based light updates take the
				// item's own deadline, except when it was set inside the
				// yellow window.
				if clamped {
					cand(soon)
				}
				continue
			}
			cand(soon)
			cand(sp.due)
			// Red from just after the deadline: a stored light stays exact.
			cand(sp.due.Add(time.Nanosecond))
			if target == "" && !s.Digest {
				// The next working morning after the deadline (and after t).
				d := max(dayOf(sp.due)+1, dayOf(t))
				d = s.W.nextWork(d)
				if !s.W.openOf(d).After(t) {
					d = s.W.nextWork(d + 1)
				}
				cand(s.W.openOf(d))
			}
		}
	}
	// Reports: the next reminder or due time after t. A holiday can push a
	// report's due time up to a few weeks past its scheduled date.
	for d, n := nextSched(it, dayOf(t)-31), 0; d != noDay && n < 64 && !s.digested(it); d, n = nextSched(it, d+1), n+1 {
		due := s.W.reportDue(d)
		remind := s.W.openOf(dayOf(due))
		if remind.After(t) {
			cand(remind)
			break
		}
		if due.After(t) {
			cand(due)
			break
		}
	}
	for i := range it.Urgings {
		if it.Urgings[i].SignedAt.IsZero() {
			cand(s.W.urgingLimit(it.Urgings[i].At))
		}
	}
	// Handovers not yet signed for.
	hi := it.Route.Template.StepIndex(StepHandle)
	for _, tk := range it.Route.Tasks {
		if tk.Step == hi && tk.Status == route.Open && !tk.Acknowledged() {
			cand(tk.AckDue)
		}
	}
	return best
}

// NextAtAfterOperation is the item's new NextAt after an operation at now,
// given the value stored before it (zero: none). A notice may fall due at
// now itself (an extension granted inside the yellow window warns at once),
// so the bound is taken from just before now; the old value still bounds
// anything earlier, which the operation cannot change.
func (s *Sweep) NextAtAfterOperation(old time.Time, it *Item, now time.Time) time.Time {
	n := s.NextAt(it, now.Add(-time.Nanosecond))
	if n.IsZero() || (!old.IsZero() && old.Before(n)) {
		return old
	}
	return n
}

// nextSched is the earliest scheduled report date on or after day d.
func nextSched(it *Item, d int) int {
	s := it.Schedule
	switch s.Kind {
	case Weekly:
		return d + (int(s.Weekday)-(d+4)%7+7)%7
	case Monthly:
		t := dateOf(d)
		c := dayOf(monthDay(t.Year(), t.Month(), s.Day))
		if c < d {
			c = dayOf(monthDay(t.Year(), t.Month()+1, s.Day))
		}
		return c
	case AtMilestones:
		best := noDay
		for i := range it.Milestones {
			if md := dayOf(it.Milestones[i].Deadline.Original); md >= d && (best == noDay || md < best) {
				best = md
			}
		}
		return best
	}
	return noDay
}

// deadlineTargets is how many deadlines the item has: its own, then each
// sub-item's, then each milestone's; target(i) names the ith ("" for the item).
func (it *Item) deadlineTargets() int { return 1 + len(it.SubItems) + len(it.Milestones) }

func (it *Item) target(i int) string {
	switch {
	case i == 0:
		return ""
	case i <= len(it.SubItems):
		return it.SubItems[i-1].ID
	}
	return it.Milestones[i-1-len(it.SubItems)].ID
}
