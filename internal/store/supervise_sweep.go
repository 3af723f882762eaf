package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// SupRoutes says where a person's supervision notices go beyond the inbox
// (e.g. the webhook of an SMS gateway to their phone); nil: inbox only.
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
	Yellowed int // items turned yellow by a missed report
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
// person; at a report's due time the items that missed it turn yellow with
// one UPDATE. No item is decoded for them.
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
	rows, err := tx.query(ctx, `SELECT id, content, units_fresh FROM sup_items WHERE next_notice_at > 0 AND next_notice_at <= ? ORDER BY next_notice_at, id`, ts(to))
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
		if _, err := tx.exec(ctx, `UPDATE sup_items SET next_notice_at = ?, light = ?, units_fresh = 1 WHERE id = ?`, ts(next), string(sw.ColorAt(it, to)), it.ID); err != nil {
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

// supDigests is the set-based part of the sweep: the digests of the slots in
// (from, to], and the lights of the items that missed a report.
func (tx *Tx) supDigests(ctx context.Context, sw *supervise.Sweep, from, to time.Time, res *SupSweepResult, send func(notify.Message) error) error {
	type group struct {
		unit, person string
	}
	digest := func(kind supervise.NoticeKind, work int, unit, person string, n, units int, due time.Time, at time.Time, link string) error {
		subject, body := supervise.DigestText(kind, n, units, due)
		res.Notices++
		before := res.Messages
		if err := send(notify.Message{Key: supervise.DigestKey(kind, unit, work) + "/" + person, PersonID: person, Kind: "supervise." + string(kind),
			Subject: subject, Body: body, Link: link, CreatedAt: at}); err != nil {
			return err
		}
		res.Digests += res.Messages - before
		return nil
	}
	for _, sl := range sw.OverdueSlots(from, to) {
		rows, err := tx.query(ctx, `SELECT unit_id, responsible, COUNT(*) FROM sup_units
			WHERE handling = 1 AND lead = 1 AND deadline_due > 0 AND deadline_due < ? GROUP BY unit_id, responsible ORDER BY unit_id, responsible`, ts(sl.DayStart))
		if err != nil {
			return fmt.Errorf("overdue digest: %w", err)
		}
		counts, err := scanSupGroups(rows)
		if err != nil {
			return err
		}
		for _, c := range counts {
			if err := digest(supervise.NoticeOverdueDaily, sl.Work, c.unit, c.person, c.n, 0, time.Time{}, sl.At, "/supervise?tab=mine&light=red"); err != nil {
				return err
			}
		}
	}
	for _, sl := range sw.ReportSlots(from, to) {
		rows, err := tx.query(ctx, `SELECT unit_id, responsible, registrar, COUNT(*) FROM sup_units WHERE `+supOwes+`
			GROUP BY unit_id, responsible, registrar ORDER BY unit_id, responsible, registrar`, supOwesArgs(sl)...)
		if err != nil {
			return fmt.Errorf("report digest: %w", err)
		}
		counts, err := scanSupGroups(rows)
		if err != nil {
			return err
		}
		if len(counts) == 0 {
			continue
		}
		// One digest per unit and responsible person; for a warning, one
		// more per 督查室 person over all units.
		perUnit := map[group]int{}
		var order []group
		type office struct{ n, units int }
		offices := map[string]*office{}
		var officeOrder []string
		for _, c := range counts {
			g := group{c.unit, c.person}
			if _, ok := perUnit[g]; !ok {
				order = append(order, g)
			}
			perUnit[g] += c.n
			if sl.Kind == supervise.NoticeReportMissing && c.registrar != "" {
				o, ok := offices[c.registrar]
				if !ok {
					o = &office{}
					offices[c.registrar] = o
					officeOrder = append(officeOrder, c.registrar)
				}
				o.n += c.n
			}
		}
		if sl.Kind == supervise.NoticeReportMissing {
			seen := map[[2]string]bool{}
			for _, c := range counts {
				if k := [2]string{c.registrar, c.unit}; c.registrar != "" && !seen[k] {
					seen[k] = true
					offices[c.registrar].units++
				}
			}
		}
		link := "/supervise?tab=mine"
		if sl.Kind == supervise.NoticeReportMissing {
			link = "/supervise?tab=mine&light=yellow"
		}
		for _, g := range order {
			if g.person == "" {
				continue
			}
			if err := digest(sl.Kind, sl.Work, g.unit, g.person, perUnit[g], 0, sl.Due, sl.At, link); err != nil {
				return err
			}
		}
		for _, r := range officeOrder {
			o := offices[r]
			if err := digest(sl.Kind, sl.Work, "", r, o.n, o.units, sl.Due, sl.At, "/supervise?light=yellow"); err != nil {
				return err
			}
		}
		if sl.Kind == supervise.NoticeReportMissing {
			// The light: a missed report turns a green item yellow (red and
			// yellow stay); it turns back only at an operation, which
			// recomputes it.
			r, err := tx.exec(ctx, `UPDATE sup_items SET light = ? WHERE light = ? AND id IN (SELECT item_id FROM sup_units WHERE `+supOwes+`)`,
				append([]any{string(supervise.Yellow), string(supervise.Green)}, supOwesArgs(sl)...)...)
			if err != nil {
				return fmt.Errorf("missed reports' lights: %w", err)
			}
			if n, err := r.RowsAffected(); err == nil {
				res.Yellowed += int(n)
			}
		}
	}
	return nil
}

// supGroup is one group of a digest query.
type supGroup struct {
	unit, person, registrar string
	n                       int
}

func scanSupGroups(rows *sql.Rows) ([]supGroup, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []supGroup
	for rows.Next() {
		var g supGroup
		dest := []any{&g.unit, &g.person, &g.n}
		if len(cols) == 4 {
			dest = []any{&g.unit, &g.person, &g.registrar, &g.n}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
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
