package supervise

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
)

// NoticeKind is what a scheduled notice is.
type NoticeKind string

const (
	NoticeReportReminder NoticeKind = "report_reminder" // 提醒：今日应报送进展
	NoticeReportMissing  NoticeKind = "report_missing"  // 预警：进展反馈缺报（黄灯）
	NoticeDueSoon        NoticeKind = "due_soon"        // 预警：临近期限（黄灯）
	NoticeOverdue        NoticeKind = "overdue"         // 预警：逾期（红灯）
	NoticeOverdueDaily   NoticeKind = "overdue_daily"   // 逾期期间每个工作日提醒
	NoticeEscalate       NoticeKind = "escalate"        // 红灯事项报分管领导
	NoticeSignForLate    NoticeKind = "sign_for_late"   // 交办超时未签收
	NoticeUrgingUnsigned NoticeKind = "urging_unsigned" // 催办单超时未签收
)

// Label is the notice kind's Chinese name.
func (k NoticeKind) Label() string {
	switch k {
	case NoticeReportReminder:
		return "进展反馈提醒"
	case NoticeReportMissing:
		return "进展反馈缺报预警"
	case NoticeDueSoon:
		return "临期预警"
	case NoticeOverdue:
		return "逾期预警"
	case NoticeOverdueDaily:
		return "逾期催报提醒"
	case NoticeEscalate:
		return "逾期事项报分管领导"
	case NoticeSignForLate:
		return "超时未签收提醒"
	case NoticeUrgingUnsigned:
		return "催办单未签收提醒"
	}
	return string(k)
}

// Notice is a reminder, warning or escalation that falls due at At. Key is
// its idempotency key: stable (the same notice always has the same key, so a
// scheduler that records delivered keys fires it once) and distinct (two
// different notices never share one).
type Notice struct {
	Key    string     `json:"key"`
	Kind   NoticeKind `json:"kind"`
	ItemID string     `json:"item_id"`
	At     time.Time  `json:"at"`
	// UnitID is the unit addressed (or concerned); Person is set for an escalation.
	UnitID string `json:"unit_id,omitempty"`
	Person string `json:"person,omitempty"`
	Target string `json:"target,omitempty"` // sub-item or milestone ID
	Text   string `json:"text"`
}

// history is an item's record as of a moment: built once per Due call.
type history struct {
	it *Item
	// phases are the moments the item started or stopped being handled by
	// its units, in order: true from 交办/退回/重新办理, false from 申请办结.
	phases []phase
	// rounds are the starts of each handling round (交办 and each 重新办理).
	rounds []time.Time
}

type phase struct {
	at       time.Time
	handling bool
	// closeReq marks a 申请办结 (which releases the co-units).
	closeReq bool
}

// newHistory reads the item's record; phases and rounds are appended to the
// buffers given (pass small local arrays to keep it off the heap).
func newHistory(it *Item, phases []phase, rounds []time.Time) history {
	h := history{it: it, phases: phases, rounds: rounds}
	for _, e := range it.History {
		switch e.Type {
		case EvAssigned, EvReopened:
			h.rounds = append(h.rounds, e.At)
			h.phases = append(h.phases, phase{at: e.At, handling: true})
		case EvReturned:
			h.phases = append(h.phases, phase{at: e.At, handling: true})
		case EvCloseRequested:
			h.phases = append(h.phases, phase{at: e.At, closeReq: true})
		}
	}
	return h
}

// handling reports whether the units were handling the item at t.
func (h *history) handling(t time.Time) bool {
	on := false
	for _, p := range h.phases {
		if p.at.After(t) {
			break
		}
		on = p.handling
	}
	return on
}

// roundStart is the start of the handling round in force at t.
func (h *history) roundStart(t time.Time) (time.Time, int) {
	var start time.Time
	idx := -1
	for i, r := range h.rounds {
		if r.After(t) {
			break
		}
		start, idx = r, i
	}
	return start, idx
}

// released reports whether the unit's part had ended at t: a co-unit is
// released by the lead unit's first 申请办结 in the round.
func (h *history) released(u *Unit, t time.Time) bool {
	if u.Lead {
		return false
	}
	start, _ := h.roundStart(t)
	for _, p := range h.phases {
		if p.at.After(t) {
			break
		}
		if p.closeReq && !p.at.Before(start) {
			return true
		}
	}
	return false
}

// deadlineSpan is a deadline value and the time span it was in force.
type deadlineSpan struct {
	due        time.Time
	from, till time.Time // till is zero while still in force
}

// deadlines lists the values the target's deadline has had, in order.
// spans is appended to (pass a small buffer to spare the allocation).
func (h *history) deadlines(target string, spans []deadlineSpan) []deadlineSpan {
	it := h.it
	add := func(due, from time.Time) {
		if n := len(spans); n > 0 {
			spans[n-1].till = from
		}
		spans = append(spans, deadlineSpan{due: due, from: from})
	}
	var original time.Time
	switch {
	case target != "":
		for _, s := range it.SubItems {
			if s.ID == target {
				original = s.Deadline.Original
			}
		}
		for _, m := range it.Milestones {
			if m.ID == target {
				original = m.Deadline.Original
			}
		}
	case it.Proposal != nil && len(it.Proposal.Rounds) > 0:
		// Each proposal round has its own deadline; extensions apply within it.
		rounds := it.Proposal.Rounds
		for ri, rd := range rounds {
			add(rd.Deadline.Original, rd.StartedAt)
			var next time.Time
			if ri+1 < len(rounds) {
				next = rounds[ri+1].StartedAt
			}
			for _, e := range it.Extensions {
				if e.Target == "" && e.Decision == Granted && !e.DecidedAt.Before(rd.StartedAt) && (next.IsZero() || e.DecidedAt.Before(next)) {
					add(e.Granted, e.DecidedAt)
				}
			}
		}
		return spans
	default:
		original = it.Deadline.Original
	}
	if original.IsZero() {
		return nil
	}
	add(original, it.AssignedAtFirst())
	for _, e := range it.Extensions {
		if e.Target == target && e.Decision == Granted {
			add(e.Granted, e.DecidedAt)
		}
	}
	return spans
}

// AssignedAtFirst is when the item was first assigned (交办).
func (it *Item) AssignedAtFirst() time.Time {
	if !it.FirstAssignedAt.IsZero() {
		return it.FirstAssignedAt
	}
	return it.AssignedAt
}

// doneAt is when the target (sub-item or milestone) was reached, or zero.
func (it *Item) doneAt(target string) time.Time {
	for _, s := range it.SubItems {
		if s.ID == target {
			return s.DoneAt
		}
	}
	for _, m := range it.Milestones {
		if m.ID == target {
			return m.DoneAt
		}
	}
	return time.Time{}
}

func before(a, b time.Time) bool { return !a.IsZero() && !a.After(b) }

// Due lists the notices that fall due in (t0, t1] for the item, judged by
// the item's record as of each notice's own time — so calling it over
// consecutive intervals, or once over their union after a day of downtime,
// yields the same notices with the same keys. The item passed must be its
// state at t1 or later (records made after t1 do not change earlier notices).
func (s *Sweep) Due(it *Item, over Overseers, t0, t1 time.Time) []Notice {
	if !t1.After(t0) || it.AssignedAt.IsZero() {
		return nil
	}
	if it.State == Closed && before(it.ClosedAt, t0) && (it.Proposal == nil || it.ClosedAt.Before(t0)) {
		// Closed before the window: nothing of it can fire in it.
		return nil
	}
	var phaseBuf [8]phase
	var roundBuf [2]time.Time
	hist := newHistory(it, phaseBuf[:0], roundBuf[:0])
	h := &hist
	var out []Notice
	in := func(t time.Time) bool { return t.After(t0) && !t.After(t1) }
	emit := func(n Notice) {
		n.ItemID = it.ID
		out = append(out, n)
	}

	// Deadlines of the item, its sub-items and milestones.
	lead := it.LeadUnit()
	var spanBuf [4]deadlineSpan
	for ti := range it.deadlineTargets() {
		target := it.target(ti)
		done := it.doneAt(target)
		unit := lead
		for _, sub := range it.SubItems {
			if sub.ID == target {
				unit = sub.UnitID
			}
		}
		live := func(t time.Time) bool { return h.handling(t) && !(target != "" && before(done, t)) }
		for _, sp := range h.deadlines(target, spanBuf[:0]) {
			stamp := func() string { return sp.due.In(s.W.loc).Format("200601021504") }
			inForce := func(t time.Time) bool { return !t.Before(sp.from) && (sp.till.IsZero() || t.Before(sp.till)) }
			// Yellow: from the start of the window, or from when this deadline
			// was set if already inside it.
			soon := s.W.soonStart(sp.due, s.Soon)
			clamped := soon.Before(sp.from)
			if clamped {
				soon = sp.from
			}
			// A digest sweep leaves the item's own deadline to the digests,
			// except a deadline set already inside the yellow window (an
			// operation's doing, one item at a time).
			mass := s.Digest && target == ""
			if in(soon) && soon.Before(sp.due) && inForce(soon) && live(soon) && (!mass || clamped) {
				emit(Notice{Key: key(it.ID, NoticeDueSoon, target, stamp()), Kind: NoticeDueSoon, At: soon, UnitID: unit, Target: target,
					Text: fmt.Sprintf("“%s”%s将于 %s 到期", it.Title, targetName(it, target), fmtTime(sp.due))})
			}
			if in(sp.due) && inForce(sp.due) && live(sp.due) && !mass {
				emit(Notice{Key: key(it.ID, NoticeOverdue, target, stamp()), Kind: NoticeOverdue, At: sp.due, UnitID: unit, Target: target,
					Text: fmt.Sprintf("“%s”%s已于 %s 到期，尚未办结", it.Title, targetName(it, target), fmtTime(sp.due))})
				if target == "" {
					for _, leader := range over.EscalateTo(it) {
						emit(Notice{Key: key(it.ID, NoticeEscalate, stamp(), leader), Kind: NoticeEscalate, At: sp.due, UnitID: unit, Person: leader,
							Text: fmt.Sprintf("您分管的单位牵头办理的“%s”已逾期（期限 %s）", it.Title, fmtTime(sp.due))})
					}
				}
			}
			if target != "" || s.Digest {
				continue
			}
			// While overdue, remind the lead unit at the opening of every working day.
			from := dayOf(sp.due) + 1
			if d0 := dayOf(t0); d0 > from {
				from = d0
			}
			for d := from; d <= dayOf(t1); d++ {
				at := s.W.openOf(d)
				if !s.W.IsWork(d) || !in(at) || !at.After(sp.due) || !inForce(at) || !live(at) {
					continue
				}
				emit(Notice{Key: key(it.ID, NoticeOverdueDaily, dayKey(d)), Kind: NoticeOverdueDaily, At: at, UnitID: unit,
					Text: fmt.Sprintf("“%s”已逾期 %d 个工作日，请抓紧办理", it.Title, s.W.between(dayOf(sp.due), d))})
			}
		}
	}

	// Progress reports: a reminder on the morning a report is due, a warning
	// at the due time if it has not come.
	for d := latestSched(it, dayOf(t1)); d != noDay && !s.digested(it); d = latestSched(it, d-1) {
		due := s.W.reportDue(d)
		remind := s.W.openOf(dayOf(due))
		if !due.After(t0) && !remind.After(t0) {
			break
		}
		rs, _ := h.roundStart(due)
		p, ok := s.periodSince(it, rs, due)
		if !ok || p.day != d {
			continue // no period of its own (before assignment, or merged by a holiday)
		}
		for i := range it.Units {
			u := &it.Units[i]
			if in(remind) && h.handling(remind) && !h.released(u, remind) && !lastReport(it, u.UnitID, remind).After(p.prev) {
				emit(Notice{Key: key(it.ID, NoticeReportReminder, u.UnitID, dayKey(d)), Kind: NoticeReportReminder, At: remind, UnitID: u.UnitID,
					Text: fmt.Sprintf("“%s”的进展情况请于 %s 前报送", it.Title, fmtTime(due))})
			}
			if in(due) && h.handling(due) && !h.released(u, due) && !lastReport(it, u.UnitID, due).After(p.prev) {
				emit(Notice{Key: key(it.ID, NoticeReportMissing, u.UnitID, dayKey(d)), Kind: NoticeReportMissing, At: due, UnitID: u.UnitID,
					Text: fmt.Sprintf("“%s”应于 %s 前报送的进展情况未报送", it.Title, fmtTime(due))})
			}
		}
	}

	// 催办单 not signed for within a working day (reported to the 督查室).
	for i := range it.Urgings {
		u := &it.Urgings[i]
		limit := s.W.urgingLimit(u.At)
		if in(limit) && !before(u.SignedAt, limit) && h.handling(limit) {
			emit(Notice{Key: key(it.ID, NoticeUrgingUnsigned, strconv.Itoa(u.Seq)), Kind: NoticeUrgingUnsigned, At: limit, UnitID: u.UnitID,
				Text: fmt.Sprintf("“%s”的催办单（%s 发出）超时未签收", it.Title, fmtTime(u.At))})
		}
	}

	// Handovers not signed for within their limit, in every round.
	for ri := 0; ri <= len(it.PastRoutes); ri++ {
		in0 := &it.Route
		if ri < len(it.PastRoutes) {
			in0 = &it.PastRoutes[ri]
		}
		hi := in0.Template.StepIndex(StepHandle)
		for _, t := range in0.Tasks {
			if t.Step != hi || t.AckDue.IsZero() || !in(t.AckDue) {
				continue
			}
			if before(t.AckedAt, t.AckDue) || before(t.ActedAt, t.AckDue) || !h.handling(t.AckDue) {
				continue
			}
			if ri+1 < len(h.rounds) && !t.AckDue.Before(h.rounds[ri+1]) {
				continue // the round was over (a new one began) before the limit
			}
			unit := unitOfTask(it, t)
			if u := it.unit(unit); u != nil && h.released(u, t.AckDue) {
				continue
			}
			emit(Notice{Key: key(it.ID, NoticeSignForLate, fmt.Sprintf("r%d", ri+1), fmt.Sprintf("t%d", t.ID)), Kind: NoticeSignForLate,
				At: t.AckDue, UnitID: unit, Text: fmt.Sprintf("“%s”交办后超时未签收", it.Title)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// unitOfTask names the unit a 办理 task was for: the unit it was handed to,
// or after a 退回 (which goes back to the person who applied) the lead unit.
func unitOfTask(it *Item, t route.Task) string {
	if t.Assignee.Kind == route.Unit {
		return t.Assignee.Unit
	}
	return it.LeadUnit()
}

func targetName(it *Item, target string) string {
	if target == "" {
		return ""
	}
	for _, s := range it.SubItems {
		if s.ID == target {
			return "的子事项“" + s.Title + "”"
		}
	}
	for _, m := range it.Milestones {
		if m.ID == target {
			return "的节点“" + m.Title + "”"
		}
	}
	return ""
}

func fmtTime(t time.Time) string {
	return t.In(time.FixedZone("CST", cstOffset)).Format("2006-01-02 15:04")
}

// keyPart escapes "/" (and "%"), keeping "/" a pure separator: each kind
// has a fixed number of parts, so distinct parts give distinct keys.
func keyPart(p string) string {
	if !strings.ContainsAny(p, "%/") {
		return p
	}
	return strings.NewReplacer("%", "%25", "/", "%2F").Replace(p)
}

// key joins the parts of an idempotency key: item ID, kind, then what
// distinguishes one notice of the kind from another (target, unit, period).
func key(itemID string, kind NoticeKind, parts ...string) string {
	k := keyPart(itemID) + "/" + string(kind)
	for _, p := range parts {
		k += "/" + keyPart(p)
	}
	return k
}
