package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// SupRoutes says where a person's supervision notices go beyond the inbox
// (e.g. the webhook of an SMS gateway to their phone); nil: where the
// person chose (notify.Prefs).
type SupRoutes func(p org.Person) []Route

// supOfficeKinds are the notices the 督查室 (the item's registrar) is told of
// as well as the unit: warnings, not the unit's own reminders.
var supOfficeKinds = map[supervise.NoticeKind]bool{
	supervise.NoticeReportMissing:  true,
	supervise.NoticeOverdue:        true,
	supervise.NoticeSignForLate:    true,
	supervise.NoticeUrgingUnsigned: true,
}

// SupSweepResult says what one run of the supervision sweep did.
type SupSweepResult struct {
	Woken    int // items whose next notice had come
	Notices  int // notices due in the interval (a digest counts once per recipient)
	Messages int // inbox messages stored (repeats are no-ops and not counted)
	Digests  int // digests among the messages
	Yellowed int // items turned yellow by a yellow window opening
}

// RunSupervision is the supervision sweep over (from, to]. Call it inside the
// transaction that advances the sweep's cursor (schedule.Sweep).
//
// Items: it wakes the open items whose next_notice_at has come, stores each
// notice that fell due in the interval with tx.Notify to the unit's
// responsible person, the 督查室 for warnings, and the 分管领导 for
// escalations — keyed by notice and person, so a repeat is a no-op — and
// stores each woken item's next instant and its light as of to.
//
// Digests: the notices that fall due for most items at once (see
// supervise/digest.go) are found with set-based queries over sup_units, one
// per slot, and sent as one digest per recipient, keyed by kind, unit, day and
// person; the lights that deadlines change are set with set-based updates
// (those that missed reports change need none: see report_yellow_at). No item
// is decoded for them.
func (tx *Tx) RunSupervision(ctx context.Context, from, to time.Time, routes SupRoutes) (SupSweepResult, error) {
	var res SupSweepResult
	sw := tx.s.SupSweep(to)
	people := map[string]org.Person{}
	send := func(m notify.Message) error {
		p, ok := people[m.PersonID]
		if !ok {
			var err error
			if p, err = tx.Person(ctx, m.PersonID); err != nil {
				return fmt.Errorf("recipient %s of %s: %w", m.PersonID, m.Key, err)
			}
			people[m.PersonID] = p
		}
		var rs []Route
		if routes != nil {
			rs = routes(p)
		} else {
			var err error
			if rs, err = tx.routesFor(ctx, p, m); err != nil {
				return err
			}
		}
		stored, err := tx.Notify(ctx, m, rs)
		if err != nil {
			return fmt.Errorf("notify %s: %w", m.Key, err)
		}
		if stored {
			res.Messages++
		}
		return nil
	}
	if err := tx.supWake(ctx, sw, from, to, &res, send); err != nil {
		return res, err
	}
	if err := tx.supDigests(ctx, sw, from, to, &res, send); err != nil {
		return res, err
	}
	return res, nil
}

// supWake is the per-item part of the sweep.
func (tx *Tx) supWake(ctx context.Context, sw *supervise.Sweep, from, to time.Time, res *SupSweepResult, send func(notify.Message) error) error {
	rows, err := tx.query(ctx, `SELECT i.id, c.content, i.units_fresh FROM sup_items i JOIN sup_item_content c ON c.id = i.id
		WHERE i.next_notice_at > 0 AND i.next_notice_at <= ? ORDER BY i.next_notice_at, i.id`, ts(to))
	if err != nil {
		return fmt.Errorf("due supervision items: %w", err)
	}
	type woken struct {
		it    supervise.Item
		fresh bool
	}
	var items []woken
	for rows.Next() {
		var id, raw string
		var fresh int64
		if err := rows.Scan(&id, &raw, &fresh); err != nil {
			rows.Close()
			return err
		}
		w := woken{fresh: fresh == 1}
		if err := json.Unmarshal([]byte(raw), &w.it); err != nil {
			rows.Close()
			return fmt.Errorf("decode supervision item %s: %w", id, err)
		}
		items = append(items, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	res.Woken = len(items)
	if len(items) == 0 {
		return nil
	}
	os, err := tx.Oversight(ctx)
	if err != nil {
		return err
	}
	over := supervise.NewOverseers(os)
	for i := range items {
		it := &items[i].it
		for _, n := range sw.Due(it, over, from, to) {
			res.Notices++
			for _, to := range supRecipients(it, n) {
				if err := send(notify.Message{Key: n.Key + "/" + to, PersonID: to, Kind: "supervise." + string(n.Kind),
					Subject: n.Kind.Label() + "：" + it.Title, Body: n.Text, Link: "/supervise/items/" + it.ID, CreatedAt: n.At}); err != nil {
					return err
				}
			}
		}
		next := sw.NextAt(it, to)
		if _, err := tx.exec(ctx, `UPDATE sup_items SET next_notice_at = ?, light = ?, report_yellow_at = ?, units_fresh = 1 WHERE id = ?`,
			ts(next), string(sw.ColorAt(it, to)), ts(sw.ReportYellowAt(it, to)), it.ID); err != nil {
			return fmt.Errorf("advance supervision item %s: %w", it.ID, err)
		}
		if !items[i].fresh {
			// Written before the digest columns existed (migration 0008).
			if err := tx.putSupUnits(ctx, it, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// supOwes is the SQL of supervise.ReportSlot.Owes over sup_units (the
// arguments: schedule kind and day, the scheduled date's start, the previous
// scheduled date's start, the previous due time).
const supOwes = `handling = 1 AND released = 0 AND sched_kind = ? AND sched_day = ? AND round_start > 0 AND round_start < ?
	AND last_report_at <= CASE WHEN round_start < ? THEN ? ELSE round_start END`

func supOwesArgs(sl supervise.ReportSlot) []any {
	kind, day := sl.Schedule.ScheduleKey()
	return []any{kind, day, ts(sl.DayStart), ts(sl.PrevDayStart), ts(sl.Prev)}
}

// supGroup is one row of a digest query: the items of one unit, responsible
// person, 督查室 person (and deadline, for the overdue warnings).
type supGroup struct {
	unit, person, registrar string
	due                     int64
	n                       int
	item                    string // one of them (the only one when n is 1)
}

// supGroups runs a digest query: due is what the fourth column holds (the
// deadline when it is grouped by, or an aggregate, or 0).
func (tx *Tx) supGroups(ctx context.Context, due, where string, args ...any) ([]supGroup, error) {
	by := ""
	if due == "deadline_due" {
		by = ", deadline_due"
	}
	rows, err := tx.query(ctx, `SELECT unit_id, responsible, registrar, `+due+`, COUNT(*), MIN(item_id) FROM sup_units WHERE `+where+
		` GROUP BY unit_id, responsible, registrar`+by, args...)
	if err != nil {
		return nil, fmt.Errorf("supervision digest: %w", err)
	}
	defer rows.Close()
	var out []supGroup
	for rows.Next() {
		var g supGroup
		if err := rows.Scan(&g.unit, &g.person, &g.registrar, &g.due, &g.n, &g.item); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// supDigest is one digest to send: its recipients are summed over groups.
type supDigest struct {
	kind   supervise.NoticeKind
	key    string // without the recipient
	person string
	at     time.Time
	due    time.Time // shown in the text
	link   string
	n      int
	wide   bool // over all units (the 督查室's, a leader's): says how many
	units  map[string]bool
	item   string
}

// supDigests collects digests in a stable order.
type supDigests struct {
	m     map[string]*supDigest
	order []string
}

func (d *supDigests) add(kind supervise.NoticeKind, key, person string, wide bool, at, due time.Time, link string, g supGroup) {
	if person == "" {
		return
	}
	k := key + "/" + person
	x, ok := d.m[k]
	if !ok {
		if d.m == nil {
			d.m = map[string]*supDigest{}
		}
		x = &supDigest{kind: kind, key: k, person: person, wide: wide, at: at, due: due, link: link, units: map[string]bool{}}
		d.m[k] = x
		d.order = append(d.order, k)
	}
	x.n += g.n
	x.units[g.unit] = true
	if x.item == "" || g.item < x.item {
		x.item = g.item
	}
	if due.Before(x.due) {
		x.due = due
	}
}

// supDigests is the set-based part of the sweep: the digests of the slots in
// (from, to], and the lights the slots change.
func (tx *Tx) supDigests(ctx context.Context, sw *supervise.Sweep, from, to time.Time, res *SupSweepResult, send func(notify.Message) error) error {
	if from.IsZero() {
		return nil // no start: no slot to count from (schedule.Sweep always gives one)
	}
	var out supDigests
	handling := `state IN ('` + string(supervise.Assigned) + `', '` + string(supervise.InProgress) + `')`
	light := func(set, where string, args ...any) error {
		r, err := tx.exec(ctx, `UPDATE sup_items SET light = ? WHERE `+where, append([]any{set}, args...)...)
		if err != nil {
			return fmt.Errorf("supervision lights: %w", err)
		}
		if n, err := r.RowsAffected(); err == nil && set == string(supervise.Yellow) {
			res.Yellowed += int(n)
		}
		return nil
	}
	// Each working morning: the lead unit's overdue items.
	for _, sl := range sw.OverdueSlots(from, to) {
		gs, err := tx.supGroups(ctx, "0", `handling = 1 AND lead = 1 AND deadline_due > 0 AND deadline_due < ?`, ts(sl.DayStart))
		if err != nil {
			return err
		}
		key := func(unit string) string { return supervise.DigestKey(supervise.NoticeOverdueDaily, unit, sl.Work) }
		for _, g := range gs {
			out.add(supervise.NoticeOverdueDaily, key(g.unit), g.person, false, sl.At, time.Time{}, "/supervise?tab=mine&light=red", g)
		}
	}
	// Each midnight: the yellow windows that open (the lead unit is warned).
	for _, sl := range sw.DueSoonSlots(from, to) {
		gs, err := tx.supGroups(ctx, "MIN(deadline_due)", `handling = 1 AND lead = 1 AND deadline_due >= ? AND deadline_due < ? AND deadline_due > ?
			AND deadline_set_at <= ?`, ts(sl.From), ts(sl.To), ts(sl.At), ts(sl.At))
		if err != nil {
			return err
		}
		for _, g := range gs {
			out.add(supervise.NoticeDueSoon, supervise.DigestKey(supervise.NoticeDueSoon, g.unit, sl.Day), g.person, false, sl.At, fromTS(g.due),
				"/supervise?tab=mine&light=yellow", g)
		}
		if err := light(string(supervise.Yellow), handling+` AND deadline_due >= ? AND deadline_due < ? AND deadline_due > ? AND light = ?`,
			ts(sl.From), ts(sl.To), ts(sl.At), string(supervise.Green)); err != nil {
			return err
		}
	}
	// Deadlines passing: the lead unit and the 督查室 warned, the 分管领导
	// told, one digest per deadline instant; the items turn red.
	gs, err := tx.supGroups(ctx, "deadline_due", `handling = 1 AND lead = 1 AND deadline_due > ? AND deadline_due <= ? AND deadline_set_at <= deadline_due`,
		ts(from), ts(to))
	if err != nil {
		return err
	}
	if len(gs) > 0 {
		os, err := tx.Oversight(ctx)
		if err != nil {
			return err
		}
		over := supervise.NewOverseers(os)
		for _, g := range gs {
			due := fromTS(g.due)
			out.add(supervise.NoticeOverdue, supervise.DeadlineDigestKey(supervise.NoticeOverdue, g.unit, due), g.person, false, due, due, "/supervise?tab=mine&light=red", g)
			out.add(supervise.NoticeOverdue, supervise.DeadlineDigestKey(supervise.NoticeOverdue, "", due), g.registrar, true, due, due, "/supervise?light=red", g)
			for _, l := range over[g.unit] {
				out.add(supervise.NoticeEscalate, supervise.DeadlineDigestKey(supervise.NoticeEscalate, "", due), l, true, due, due, "/supervise?light=red", g)
			}
		}
	}
	if err := light(string(supervise.Red), handling+` AND deadline_due >= ? AND deadline_due < ? AND light <> ?`, ts(from), ts(to), string(supervise.Red)); err != nil {
		return err
	}
	// Reports: the morning's reminders and the evening's warnings; slots of
	// one kind on one day (a Friday that is the 25th has the weekly and the
	// monthly one) make one digest per recipient.
	for _, sl := range sw.ReportSlots(from, to) {
		gs, err := tx.supGroups(ctx, "0", supOwes, supOwesArgs(sl)...)
		if err != nil {
			return err
		}
		link := "/supervise?tab=mine"
		if sl.Kind == supervise.NoticeReportMissing {
			link = "/supervise?tab=mine&light=yellow"
		}
		for _, g := range gs {
			out.add(sl.Kind, supervise.DigestKey(sl.Kind, g.unit, sl.Work), g.person, false, sl.At, sl.Due, link, g)
			if sl.Kind == supervise.NoticeReportMissing {
				out.add(sl.Kind, supervise.DigestKey(sl.Kind, "", sl.Work), g.registrar, true, sl.At, sl.Due, "/supervise?light=yellow", g)
			}
		}
		// The lights need no update: report_yellow_at, set at every
		// operation, already says when a missed report turns each item yellow.
	}
	for _, k := range out.order {
		d := out.m[k]
		units, title, link := 0, "", d.link
		if d.wide {
			units = len(d.units)
		}
		if d.n == 1 {
			// One item: the digest reads as its own notice and links to it.
			if err := tx.queryRow(ctx, `SELECT title FROM sup_items WHERE id = ?`, d.item).Scan(&title); err != nil {
				return fmt.Errorf("digest item %s: %w", d.item, err)
			}
			link = "/supervise/items/" + d.item
		}
		subject, body := supervise.DigestText(d.kind, d.n, units, d.due, title)
		res.Notices++
		before := res.Messages
		if err := send(notify.Message{Key: d.key, PersonID: d.person, Kind: "supervise." + string(d.kind), Subject: subject, Body: body,
			Link: link, CreatedAt: d.at}); err != nil {
			return err
		}
		res.Digests += res.Messages - before
	}
	return nil
}

// supRecipients are the people a notice goes to, once each.
func supRecipients(it *supervise.Item, n supervise.Notice) []string {
	var out []string
	add := func(id string) {
		if id == "" {
			return
		}
		for _, x := range out {
			if x == id {
				return
			}
		}
		out = append(out, id)
	}
	if n.Person != "" {
		add(n.Person)
		return out
	}
	if u, ok := it.Unit(n.UnitID); ok {
		add(u.Responsible)
	}
	if supOfficeKinds[n.Kind] {
		add(it.Registrar)
	}
	return out
}

// SupFacts reads the statistics' facts of every item from the columns, no
// item decoded. Items without a first 交办 never count and are skipped.
func (c conn) SupFacts(ctx context.Context) (*supervise.FactTable, error) {
	ft := &supervise.FactTable{}
	err := c.supFactsSince(ctx, 0, func(lead string, f supervise.Facts) { ft.AddFacts(lead, f) })
	return ft, err
}

// supFactsSince streams the facts of items with rev > after.
func (c conn) supFactsSince(ctx context.Context, after int64, fn func(lead string, f supervise.Facts)) error {
	rows, err := c.query(ctx, `SELECT id, lead_unit, source, first_assigned_at, closed_at, deadline_due, accepted_at, last_submit_at, last_review_at, records
		FROM sup_items WHERE rev > ? AND first_assigned_at > 0`, after)
	if err != nil {
		return fmt.Errorf("read supervision facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f supervise.Facts
		var lead, src, recs string
		if err := rows.Scan(&f.ID, &lead, &src, &f.First, &f.ClosedAt, &f.Due, &f.AcceptedAt, &f.LastSubmitAt, &f.LastReviewAt, &recs); err != nil {
			return err
		}
		f.Source = supervise.Source(src)
		f.First, f.ClosedAt, f.Due = tsToNS(f.First), tsToNS(f.ClosedAt), tsToNS(f.Due)
		f.AcceptedAt, f.LastSubmitAt, f.LastReviewAt = tsToNS(f.AcceptedAt), tsToNS(f.LastSubmitAt), tsToNS(f.LastReviewAt)
		if recs != "" {
			var r supRecords
			if err := json.Unmarshal([]byte(recs), &r); err != nil {
				return fmt.Errorf("decode records of %s: %w", f.ID, err)
			}
			f.Extensions, f.Urgings, f.Rounds = r.Extensions, r.Urgings, r.Rounds
		}
		fn(lead, f)
	}
	return rows.Err()
}

// SupervisionSweepName is the supervision sweep's cursor name.
const SupervisionSweepName = "supervise"
