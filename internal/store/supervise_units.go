package store

import (
	"context"
	"fmt"

	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// putSupUnits writes the item's rows of sup_units: who is on it, and what
// the sweep's digest queries read of the item for each unit (the predicates
// of supervise.ReportSlot.Owes and OverdueSlot.OwesOverdue as columns).
func (tx *Tx) putSupUnits(ctx context.Context, it *supervise.Item, insert bool) error {
	kind, day := it.Schedule.ScheduleKey()
	handling := b2i(it.Handling())
	setAt := it.DeadlineSetAt()
	for i := range it.Units {
		u := &it.Units[i]
		args := []any{b2i(u.Lead), u.Responsible, handling, b2i(u.Released), kind, day, ts(it.AssignedAt), ts(it.LastReportBy(u.UnitID)),
			ts(it.Deadline.Due), ts(setAt), it.Registrar, it.ID, u.UnitID}
		if !insert {
			res, err := tx.exec(ctx, `UPDATE sup_units SET lead = ?, responsible = ?, handling = ?, released = ?, sched_kind = ?, sched_day = ?,
				round_start = ?, last_report_at = ?, deadline_due = ?, deadline_set_at = ?, registrar = ? WHERE item_id = ? AND unit_id = ?`, args...)
			if err != nil {
				return fmt.Errorf("save item unit: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil || n > 0 {
				continue
			}
		}
		if _, err := tx.exec(ctx, `INSERT INTO sup_units (lead, responsible, handling, released, sched_kind, sched_day, round_start, last_report_at,
			deadline_due, deadline_set_at, registrar, item_id, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
			return fmt.Errorf("save item unit: %w", err)
		}
	}
	return nil
}
