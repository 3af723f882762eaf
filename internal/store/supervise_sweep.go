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
	Notices  int // notices due in the interval
	Messages int // inbox messages stored (repeats are no-ops and not counted)
}

// RunSupervision is the supervision sweep over (from, to]: it wakes the open
// items whose next_notice_at has come, stores each notice that fell due in
// the interval with tx.Notify to the unit's responsible person, the 督查室
// for warnings, and the 分管领导 for escalations — keyed by notice and person,
// so a repeat is a no-op — and stores each woken item's next instant and its
// light as of to. Call it inside the transaction that advances the sweep's
// cursor (schedule.Sweep).
func (tx *Tx) RunSupervision(ctx context.Context, from, to time.Time, routes SupRoutes) (SupSweepResult, error) {
	var res SupSweepResult
	rows, err := tx.query(ctx, `SELECT id, content, next_notice_at FROM sup_items WHERE next_notice_at > 0 AND next_notice_at <= ? ORDER BY next_notice_at, id`, ts(to))
	if err != nil {
		return res, fmt.Errorf("due supervision items: %w", err)
	}
	type woken struct {
		it supervise.Item
	}
	var items []woken
	for rows.Next() {
		var id, raw string
		var next int64
		if err := rows.Scan(&id, &raw, &next); err != nil {
			rows.Close()
			return res, err
		}
		var w woken
		if err := json.Unmarshal([]byte(raw), &w.it); err != nil {
			rows.Close()
			return res, fmt.Errorf("decode supervision item %s: %w", id, err)
		}
		items = append(items, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	res.Woken = len(items)
	if len(items) == 0 {
		return res, nil
	}
	os, err := tx.Oversight(ctx)
	if err != nil {
		return res, err
	}
	over := supervise.NewOverseers(os)
	sw := tx.s.SupSweep(to)
	people := map[string]org.Person{}
	person := func(id string) (org.Person, error) {
		if p, ok := people[id]; ok {
			return p, nil
		}
		p, err := tx.Person(ctx, id)
		if err != nil {
			return p, err
		}
		people[id] = p
		return p, nil
	}
	for i := range items {
		it := &items[i].it
		for _, n := range sw.Due(it, over, from, to) {
			res.Notices++
			for _, to := range supRecipients(it, n) {
				p, err := person(to)
				if err != nil {
					return res, fmt.Errorf("recipient %s of %s: %w", to, n.Key, err)
				}
				var rs []Route
				if routes != nil {
					rs = routes(p)
				}
				stored, err := tx.Notify(ctx, notify.Message{Key: n.Key + "/" + to, PersonID: to, Kind: "supervise." + string(n.Kind),
					Subject: n.Kind.Label() + "：" + it.Title, Body: n.Text, Link: "/supervise/items/" + it.ID, CreatedAt: n.At}, rs)
				if err != nil {
					return res, fmt.Errorf("notify %s: %w", n.Key, err)
				}
				if stored {
					res.Messages++
				}
			}
		}
		next := sw.NextAt(it, to)
		if _, err := tx.exec(ctx, `UPDATE sup_items SET next_notice_at = ?, light = ? WHERE id = ?`, ts(next), string(sw.ColorAt(it, to)), it.ID); err != nil {
			return res, fmt.Errorf("advance supervision item %s: %w", it.ID, err)
		}
	}
	return res, nil
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
